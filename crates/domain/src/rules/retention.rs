//! How long the portal keeps what (RGPD: data kept no longer than its purpose needs), as the
//! commune's data-protection officer sets it. The defaults and their reasons are in
//! `docs/operations.md`; the daily job applies them (`portail_service::retention`).

use chrono::{DateTime, Months, NaiveDate, Utc};

/// The durations, each a setting (`PORTAIL_RETENTION_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// A family that has not logged in for this many years is erased (unless it owes money
    /// or has a request open).
    pub inactive_family_years: u32,
    /// A refused document, or one replaced by a newer accepted one, is deleted this many
    /// months after it was reviewed (or uploaded).
    pub document_months: u32,
    /// Invoices and payments are kept this many years after their date (public accounting),
    /// then stripped of the payer's name and address.
    pub accounting_years: u32,
    /// Audit rows are deleted after this many years.
    pub audit_years: u32,
    /// An account whose e-mail address was never confirmed is deleted after this many days.
    pub unconfirmed_days: u32,
    /// A conversation with a service is deleted (its files too) this many months after its
    /// last message.
    pub message_months: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            inactive_family_years: 3,
            document_months: 6,
            accounting_years: 10,
            audit_years: 1,
            unconfirmed_days: 30,
            message_months: 12,
        }
    }
}

/// The instants and dates before which each kind of data goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    pub inactive_before: DateTime<Utc>,
    pub documents_before: DateTime<Utc>,
    pub accounting_before: NaiveDate,
    pub audit_before: DateTime<Utc>,
    pub unconfirmed_before: DateTime<Utc>,
    pub messages_before: DateTime<Utc>,
}

impl RetentionPolicy {
    /// Checks the durations are sensible: never zero, and accounting at least the legal
    /// minimum a commune's records need (the DPO may lengthen, not shorten it below that).
    pub fn check(&self) -> Result<(), String> {
        let fields = [
            (
                "PORTAIL_RETENTION_INACTIVE_FAMILY_YEARS",
                self.inactive_family_years,
                1,
                30,
            ),
            (
                "PORTAIL_RETENTION_DOCUMENT_MONTHS",
                self.document_months,
                1,
                120,
            ),
            (
                "PORTAIL_RETENTION_ACCOUNTING_YEARS",
                self.accounting_years,
                10,
                50,
            ),
            ("PORTAIL_RETENTION_AUDIT_YEARS", self.audit_years, 1, 30),
            (
                "PORTAIL_RETENTION_UNCONFIRMED_DAYS",
                self.unconfirmed_days,
                1,
                365,
            ),
            (
                "PORTAIL_RETENTION_MESSAGE_MONTHS",
                self.message_months,
                1,
                120,
            ),
        ];
        for (name, value, min, max) in fields {
            if !(min..=max).contains(&value) {
                return Err(format!(
                    "{name} doit être compris entre {min} et {max} (reçu : {value})"
                ));
            }
        }
        Ok(())
    }

    pub fn cutoffs(&self, now: DateTime<Utc>, today: NaiveDate) -> Cutoffs {
        let years_ago = |years: u32| {
            now.checked_sub_months(Months::new(years.saturating_mul(12)))
                .unwrap_or(DateTime::<Utc>::MIN_UTC)
        };
        Cutoffs {
            inactive_before: years_ago(self.inactive_family_years),
            documents_before: now
                .checked_sub_months(Months::new(self.document_months))
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
            accounting_before: today
                .checked_sub_months(Months::new(self.accounting_years.saturating_mul(12)))
                .unwrap_or(NaiveDate::MIN),
            audit_before: years_ago(self.audit_years),
            unconfirmed_before: now
                .checked_sub_signed(chrono::Duration::days(i64::from(self.unconfirmed_days)))
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
            messages_before: now
                .checked_sub_months(Months::new(self.message_months))
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
        }
    }
}

/// A stored document, as the retention reads it.
#[derive(Debug, Clone, Copy)]
pub struct DocumentFacts {
    pub refused: bool,
    /// When it was decided on (or uploaded, when never reviewed).
    pub settled_at: DateTime<Utc>,
    pub uploaded_at: DateTime<Utc>,
    /// The newest accepted document of the same kind (same family, child and type), if any.
    pub newest_accepted_at: Option<DateTime<Utc>>,
}

/// Is this document past its keeping? Refused ones after the duration; accepted or pending
/// ones only once a newer one was accepted (superseded), the duration after that.
pub fn document_expired(facts: &DocumentFacts, cutoffs: &Cutoffs) -> bool {
    if facts.refused {
        return facts.settled_at < cutoffs.documents_before;
    }
    facts
        .newest_accepted_at
        .is_some_and(|newest| newest > facts.uploaded_at && newest < cutoffs.documents_before)
}

/// What stands in the way of erasing a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasureBlocker {
    /// Invoices not fully paid: the amount owed, in cents.
    Unpaid(i64),
    /// A crèche pre-registration still being decided.
    OpenPreregistration,
    /// A child on a waiting list.
    WaitingList,
    /// Booking requests (« souhaits ») not answered yet.
    PendingRequests,
    /// Bookings still to come.
    UpcomingBookings,
}

impl ErasureBlocker {
    pub fn label_fr(self) -> String {
        match self {
            Self::Unpaid(cents) => format!(
                "des factures restent à payer ({})",
                crate::format::euros(cents)
            ),
            Self::OpenPreregistration => "une préinscription en crèche est en cours".to_owned(),
            Self::WaitingList => "un enfant est sur une liste d'attente".to_owned(),
            Self::PendingRequests => "des souhaits de réservation attendent une réponse".to_owned(),
            Self::UpcomingBookings => "des réservations sont à venir".to_owned(),
        }
    }
}

/// What keeps a family from being erased, from what is known of it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ErasureFacts {
    pub owed_cents: i64,
    pub open_preregistrations: u64,
    pub waiting_entries: u64,
    pub pending_requests: u64,
    pub upcoming_bookings: u64,
}

pub fn erasure_blockers(facts: &ErasureFacts) -> Vec<ErasureBlocker> {
    let mut blockers = Vec::new();
    if facts.owed_cents > 0 {
        blockers.push(ErasureBlocker::Unpaid(facts.owed_cents));
    }
    if facts.open_preregistrations > 0 {
        blockers.push(ErasureBlocker::OpenPreregistration);
    }
    if facts.waiting_entries > 0 {
        blockers.push(ErasureBlocker::WaitingList);
    }
    if facts.pending_requests > 0 {
        blockers.push(ErasureBlocker::PendingRequests);
    }
    if facts.upcoming_bookings > 0 {
        blockers.push(ErasureBlocker::UpcomingBookings);
    }
    blockers
}

/// What an erasure keeps, and why (shown to staff before they press the button).
pub const KEPT_FR: [(&str, &str); 2] = [
    (
        "Les factures et les paiements (numéros, montants, nom et adresse du payeur tels qu'imprimés)",
        "obligation de conservation des pièces comptables publiques ; ils sont anonymisés à la fin de cette durée",
    ),
    (
        "Le journal d'audit (qui a consulté ou modifié le dossier, et quand)",
        "preuve des accès aux données, gardée la durée fixée pour le journal puis supprimée",
    ),
];

/// What an erasure deletes.
pub const ERASED_FR: [&str; 5] = [
    "le compte (adresse e-mail, mot de passe, sessions)",
    "le foyer, les responsables et les personnes autorisées",
    "les enfants, leurs fiches sanitaires, réservations et présences",
    "les documents déposés (fichiers compris)",
    "les préinscriptions et inscriptions en liste d'attente closes",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(raw)
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_cutoffs_count_back_from_now() {
        let now = at("2027-03-10T08:00:00Z");
        let today = NaiveDate::from_ymd_opt(2027, 3, 10).expect("date");
        let cutoffs = RetentionPolicy::default().cutoffs(now, today);
        assert_eq!(cutoffs.inactive_before, at("2024-03-10T08:00:00Z"));
        assert_eq!(cutoffs.documents_before, at("2026-09-10T08:00:00Z"));
        assert_eq!(
            cutoffs.accounting_before,
            NaiveDate::from_ymd_opt(2017, 3, 10).expect("date")
        );
        assert_eq!(cutoffs.audit_before, at("2026-03-10T08:00:00Z"));
        assert_eq!(cutoffs.unconfirmed_before, at("2027-02-08T08:00:00Z"));
    }

    #[test]
    fn a_document_goes_when_refused_long_ago_or_replaced_long_ago_never_when_current() {
        let cutoffs =
            RetentionPolicy::default().cutoffs(at("2027-03-10T08:00:00Z"), NaiveDate::MIN);
        let old = at("2026-01-05T10:00:00Z");
        let recent = at("2027-02-01T10:00:00Z");
        let refused = |settled_at| DocumentFacts {
            refused: true,
            settled_at,
            uploaded_at: settled_at,
            newest_accepted_at: None,
        };
        assert!(document_expired(&refused(old), &cutoffs));
        assert!(!document_expired(&refused(recent), &cutoffs));
        // The current accepted one stays, however old.
        let current = DocumentFacts {
            refused: false,
            settled_at: old,
            uploaded_at: old,
            newest_accepted_at: Some(old),
        };
        assert!(!document_expired(&current, &cutoffs));
        // Replaced by a newer accepted one long ago: goes; replaced recently: stays.
        let replaced = DocumentFacts {
            newest_accepted_at: Some(at("2026-02-01T10:00:00Z")),
            ..current
        };
        assert!(document_expired(&replaced, &cutoffs));
        let just_replaced = DocumentFacts {
            newest_accepted_at: Some(recent),
            ..current
        };
        assert!(!document_expired(&just_replaced, &cutoffs));
    }

    #[test]
    fn a_family_that_owes_or_waits_is_not_erased_and_says_why_in_french() {
        assert!(erasure_blockers(&ErasureFacts::default()).is_empty());
        let blockers = erasure_blockers(&ErasureFacts {
            owed_cents: 1250,
            waiting_entries: 1,
            ..ErasureFacts::default()
        });
        assert_eq!(
            blockers,
            [ErasureBlocker::Unpaid(1250), ErasureBlocker::WaitingList]
        );
        assert!(
            blockers[0].label_fr().contains("12,50"),
            "{}",
            blockers[0].label_fr()
        );
    }

    #[test]
    fn the_durations_are_checked_with_a_french_sentence() {
        assert!(RetentionPolicy::default().check().is_ok());
        let error = RetentionPolicy {
            accounting_years: 2,
            ..RetentionPolicy::default()
        }
        .check()
        .expect_err("too short");
        assert!(
            error.contains("PORTAIL_RETENTION_ACCOUNTING_YEARS"),
            "{error}"
        );
    }
}
