//! The family file's life: which moves are allowed from which status, and what is still
//! missing before it can be sent.
//!
//! ```text
//! incomplete ──submit──▶ submitted ──validate──▶ validated ──(yearly date)──▶ to_reverify
//!                          ▲   │                     │                          │
//!            resubmit ─────┘   └──request info──▶ info_requested ◀──────────────┤
//!                                                                               │
//!      to_reverify ──confirm, nothing changed──▶ validated; changed──▶ submitted ┘
//! ```

use crate::api::{
    ChildRequest, DocumentResponse, DossierSection, DossierStatus, Household, MissingItem,
};
use crate::dossier::{AllocationRegime, DocumentStatus, DocumentType, DossierEventKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DossierAction {
    /// The family sends (or sends again) its file.
    Submit,
    /// Staff validate it.
    Validate,
    /// Staff ask for more information.
    RequestInfo,
    /// The yearly re-verification date has come.
    StartReverification,
    /// The family confirms its information for the new year.
    ConfirmReverification { unchanged_since_validation: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{action:?} is not possible from {from:?}")]
pub struct TransitionRefused {
    pub from: DossierStatus,
    pub action: DossierAction,
}

impl TransitionRefused {
    /// Why, in French.
    pub fn message_fr(&self) -> &'static str {
        match (self.from, self.action) {
            (DossierStatus::Submitted, DossierAction::Submit) => {
                "Votre dossier est déjà envoyé ; il est en cours de vérification."
            }
            (DossierStatus::Validated, DossierAction::Submit) => "Votre dossier est déjà validé.",
            (DossierStatus::ToReverify, DossierAction::Submit) => {
                "Confirmez l'exactitude de vos informations pour la nouvelle année."
            }
            (_, DossierAction::Validate) => "Seul un dossier envoyé peut être validé.",
            (_, DossierAction::RequestInfo) => {
                "Un complément ne peut être demandé que pour un dossier envoyé, validé ou à vérifier."
            }
            (_, DossierAction::ConfirmReverification { .. }) => {
                "Aucune vérification annuelle n'est en attente pour ce dossier."
            }
            _ => "Cette opération n'est pas possible dans l'état actuel du dossier.",
        }
    }
}

/// The next status, and what the history records.
pub fn transition(
    from: DossierStatus,
    action: DossierAction,
) -> Result<(DossierStatus, DossierEventKind), TransitionRefused> {
    use DossierStatus as S;
    let refused = || TransitionRefused { from, action };
    match (from, action) {
        (S::Incomplete, DossierAction::Submit) => Ok((S::Submitted, DossierEventKind::Submitted)),
        (S::InfoRequested, DossierAction::Submit) => {
            Ok((S::Submitted, DossierEventKind::Resubmitted))
        }
        (S::Submitted, DossierAction::Validate) => Ok((S::Validated, DossierEventKind::Validated)),
        (S::Submitted | S::Validated | S::ToReverify, DossierAction::RequestInfo) => {
            Ok((S::InfoRequested, DossierEventKind::InfoRequested))
        }
        (S::Validated, DossierAction::StartReverification) => {
            Ok((S::ToReverify, DossierEventKind::ReverificationStarted))
        }
        (
            S::ToReverify,
            DossierAction::ConfirmReverification {
                unchanged_since_validation,
            },
        ) => Ok((
            if unchanged_since_validation {
                S::Validated
            } else {
                S::Submitted
            },
            DossierEventKind::ReverificationConfirmed,
        )),
        _ => Err(refused()),
    }
}

/// May the family book, pre-register or enrol? Only once the town hall has validated its file
/// (« Vous ne pourrez accéder aux inscriptions que lorsque cette validation sera effectuée »).
/// Whether two children of a family are the same child entered twice: same first name, same
/// last name (case and surrounding spaces aside) and same birth date. Twins differ by first
/// name; a second « Léa Martin » born the same day is a double entry.
pub fn same_child(
    a: (&str, &str, Option<chrono::NaiveDate>),
    b: (&str, &str, Option<chrono::NaiveDate>),
) -> bool {
    let same = |x: &str, y: &str| x.trim().to_lowercase() == y.trim().to_lowercase();
    same(a.0, b.0) && same(a.1, b.1) && a.2 == b.2
}

pub fn can_book(status: DossierStatus) -> bool {
    status == DossierStatus::Validated
}

/// A document a family must provide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    pub document_type: DocumentType,
    pub per_child: bool,
}

/// A child as far as completeness is concerned.
pub struct ChildFacts<'a> {
    pub id: uuid::Uuid,
    pub details: &'a ChildRequest,
}

/// Everything still missing before « Envoyer mon dossier », section by section.
pub fn missing_items(
    household: &Household,
    children: &[ChildFacts<'_>],
    documents: &[DocumentResponse],
    requirements: &[Requirement],
) -> Vec<MissingItem> {
    let mut missing = Vec::new();
    let mut need = |section: DossierSection, absent: bool, label: String| {
        if absent {
            missing.push(MissingItem { section, label });
        }
    };
    let h = household;
    need(
        DossierSection::Household,
        h.family_situation.is_none(),
        "Mon foyer : la situation familiale".to_owned(),
    );
    need(
        DossierSection::Household,
        h.dependent_children.is_none(),
        "Mon foyer : le nombre d'enfants à charge".to_owned(),
    );
    need(
        DossierSection::Household,
        h.allocation_regime.is_none(),
        "Mon foyer : le régime d'allocations (CAF, MSA ou autre)".to_owned(),
    );
    need(
        DossierSection::Household,
        matches!(
            h.allocation_regime,
            Some(AllocationRegime::Caf | AllocationRegime::Msa)
        ) && h.beneficiary_number.is_empty(),
        "Mon foyer : le numéro d'allocataire".to_owned(),
    );
    need(
        DossierSection::Household,
        h.insurance_company.is_empty() || h.insurance_policy_number.is_empty(),
        "Mon foyer : l'assurance responsabilité civile (compagnie et numéro de contrat)".to_owned(),
    );
    need(
        DossierSection::Household,
        h.invoice_payer.is_none(),
        "Mon foyer : qui règle les factures".to_owned(),
    );
    need(
        DossierSection::Household,
        !h.contacts.iter().any(|c| c.emergency_contact),
        "Mon foyer : au moins une personne à prévenir en cas d'urgence".to_owned(),
    );
    need(
        DossierSection::Children,
        children.is_empty(),
        "Mes enfants : ajoutez au moins un enfant".to_owned(),
    );
    for child in children {
        let fields = child.details.missing_for_submission();
        need(
            DossierSection::Children,
            !fields.is_empty(),
            format!(
                "Mes enfants : {} — {}",
                child.details.first_name,
                fields.join(", ")
            ),
        );
    }
    missing.extend(missing_documents(h, children, documents, requirements));
    missing
}

/// The documents still to send: each requirement (per child where it says so), and the
/// attestation of a quotient familial declared.
fn missing_documents(
    h: &Household,
    children: &[ChildFacts<'_>],
    documents: &[DocumentResponse],
    requirements: &[Requirement],
) -> Vec<MissingItem> {
    let mut missing = Vec::new();
    let mut need = |absent: bool, label: String| {
        if absent {
            missing.push(MissingItem {
                section: DossierSection::Documents,
                label,
            });
        }
    };
    let provided = |document_type: DocumentType, child: Option<uuid::Uuid>| {
        documents.iter().any(|d| {
            d.document_type == document_type
                && d.child_id == child
                && d.status != DocumentStatus::Refused
        })
    };
    // A quotient familial declared is priced on the CAF's (or MSA's) attestation: without it
    // the family would be billed at the bracket the rules give an unproven quotient.
    let asks_caf = requirements
        .iter()
        .any(|r| r.document_type == DocumentType::CafCertificate);
    need(
        h.family_quotient.is_some() && !asks_caf && !provided(DocumentType::CafCertificate, None),
        format!(
            "Mes documents : {} (vous avez indiqué un quotient familial)",
            DocumentType::CafCertificate.label_fr()
        ),
    );
    for requirement in requirements {
        if requirement.per_child {
            for child in children {
                need(
                    !provided(requirement.document_type, Some(child.id)),
                    format!(
                        "Mes documents : {} {}",
                        requirement.document_type.label_fr(),
                        crate::format::de(&child.details.first_name)
                    ),
                );
            }
        } else {
            need(
                !provided(requirement.document_type, None),
                format!("Mes documents : {}", requirement.document_type.label_fr()),
            );
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ContactPerson;
    use crate::dossier::{Diet, FamilySituation, InvoicePayer, Sex};
    use chrono::{NaiveDate, Utc};
    use uuid::Uuid;

    #[test]
    fn a_complete_file_is_submitted_and_a_completed_one_resubmitted() {
        assert_eq!(
            transition(DossierStatus::Incomplete, DossierAction::Submit),
            Ok((DossierStatus::Submitted, DossierEventKind::Submitted))
        );
        assert_eq!(
            transition(DossierStatus::InfoRequested, DossierAction::Submit),
            Ok((DossierStatus::Submitted, DossierEventKind::Resubmitted))
        );
    }

    #[test]
    fn only_a_submitted_file_can_be_validated() {
        for from in [
            DossierStatus::Incomplete,
            DossierStatus::InfoRequested,
            DossierStatus::Validated,
            DossierStatus::ToReverify,
        ] {
            assert!(
                transition(from, DossierAction::Validate).is_err(),
                "{from:?}"
            );
        }
        assert_eq!(
            transition(DossierStatus::Submitted, DossierAction::Validate).map(|t| t.0),
            Ok(DossierStatus::Validated)
        );
    }

    #[test]
    fn sending_twice_is_refused_with_a_french_reason() {
        let refused =
            transition(DossierStatus::Submitted, DossierAction::Submit).expect_err("refused");
        assert!(refused.message_fr().contains("déjà envoyé"));
    }

    #[test]
    fn a_confirmed_reverification_skips_review_only_when_nothing_changed() {
        let unchanged = DossierAction::ConfirmReverification {
            unchanged_since_validation: true,
        };
        let changed = DossierAction::ConfirmReverification {
            unchanged_since_validation: false,
        };
        assert_eq!(
            transition(DossierStatus::ToReverify, unchanged).map(|t| t.0),
            Ok(DossierStatus::Validated)
        );
        assert_eq!(
            transition(DossierStatus::ToReverify, changed).map(|t| t.0),
            Ok(DossierStatus::Submitted)
        );
        assert!(transition(DossierStatus::Validated, unchanged).is_err());
        assert_eq!(
            transition(DossierStatus::Validated, DossierAction::StartReverification).map(|t| t.0),
            Ok(DossierStatus::ToReverify)
        );
        assert!(transition(DossierStatus::Submitted, DossierAction::StartReverification).is_err());
    }

    #[test]
    fn only_a_validated_family_books() {
        assert!(can_book(DossierStatus::Validated));
        for status in [
            DossierStatus::Incomplete,
            DossierStatus::Submitted,
            DossierStatus::InfoRequested,
            DossierStatus::ToReverify,
        ] {
            assert!(!can_book(status), "{status:?}");
        }
    }

    fn complete_child() -> ChildRequest {
        ChildRequest {
            last_name: "Durand".into(),
            first_name: "Léa".into(),
            sex: Some(Sex::Girl),
            birth_date: NaiveDate::from_ymd_opt(2019, 5, 14),
            has_pai: Some(false),
            vaccinations_up_to_date: Some(true),
            diet: Some(Diet::Standard),
            photo_consent: Some(true),
            emergency_care_consent: Some(true),
            may_leave_alone: Some(false),
            outings_consent: Some(true),
            ..ChildRequest::default()
        }
    }

    fn complete_household() -> Household {
        Household {
            family_situation: Some(FamilySituation::Married),
            dependent_children: Some(1),
            allocation_regime: Some(AllocationRegime::Caf),
            beneficiary_number: "1234567".into(),
            insurance_company: "MAIF".into(),
            insurance_policy_number: "RC-1".into(),
            invoice_payer: Some(InvoicePayer::AccountHolder),
            contacts: vec![ContactPerson {
                emergency_contact: true,
                ..ContactPerson::default()
            }],
            ..Household::default()
        }
    }

    fn document(
        document_type: DocumentType,
        child_id: Option<Uuid>,
        status: DocumentStatus,
    ) -> DocumentResponse {
        DocumentResponse {
            id: Uuid::nil(),
            document_type,
            child_id,
            filename: "x.pdf".into(),
            content_type: "application/pdf".into(),
            size_bytes: 1,
            sha256: String::new(),
            status,
            refusal_reason: None,
            uploaded_at: chrono::DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn an_empty_file_lists_every_section_with_its_page() {
        let missing = missing_items(
            &Household::default(),
            &[],
            &[],
            &[Requirement {
                document_type: DocumentType::ProofOfAddress,
                per_child: false,
            }],
        );
        let sections: Vec<DossierSection> = missing.iter().map(|m| m.section).collect();
        assert!(sections.contains(&DossierSection::Household));
        assert!(sections.contains(&DossierSection::Children));
        assert!(sections.contains(&DossierSection::Documents));
        assert_eq!(DossierSection::Documents.path(), "/mes-documents");
    }

    #[test]
    fn a_complete_file_misses_nothing_and_a_refused_document_does_not_count() {
        let child = complete_child();
        let child_id = Uuid::from_u128(7);
        let children = [ChildFacts {
            id: child_id,
            details: &child,
        }];
        let requirements = [
            Requirement {
                document_type: DocumentType::ProofOfAddress,
                per_child: false,
            },
            Requirement {
                document_type: DocumentType::VaccinationRecord,
                per_child: true,
            },
        ];
        let mut documents = vec![
            document(DocumentType::ProofOfAddress, None, DocumentStatus::Pending),
            document(
                DocumentType::VaccinationRecord,
                Some(child_id),
                DocumentStatus::Accepted,
            ),
        ];
        assert_eq!(
            missing_items(&complete_household(), &children, &documents, &requirements),
            vec![]
        );

        documents[0].status = DocumentStatus::Refused;
        let missing = missing_items(&complete_household(), &children, &documents, &requirements);
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].label, "Mes documents : Justificatif de domicile");
    }

    #[test]
    fn a_child_with_gaps_is_named_with_what_it_lacks() {
        let mut child = complete_child();
        child.diet = None;
        child.photo_consent = None;
        let children = [ChildFacts {
            id: Uuid::nil(),
            details: &child,
        }];
        let missing = missing_items(&complete_household(), &children, &[], &[]);
        assert_eq!(missing.len(), 1);
        assert_eq!(
            missing[0].label,
            "Mes enfants : Léa — régime alimentaire, autorisations"
        );
    }

    #[test]
    fn a_quotient_declared_asks_for_its_attestation_until_one_is_sent() {
        let documents_missing = |household: &Household, documents: &[DocumentResponse]| {
            missing_items(household, &[], documents, &[])
                .into_iter()
                .filter(|m| m.section == DossierSection::Documents)
                .collect::<Vec<_>>()
        };
        let mut household = complete_household();
        assert!(documents_missing(&household, &[]).is_empty());
        household.family_quotient = Some(640);
        let missing = documents_missing(&household, &[]);
        assert_eq!(missing.len(), 1);
        assert!(
            missing[0].label.contains("Attestation CAF"),
            "{:?}",
            missing[0]
        );
        let refused = [document(
            DocumentType::CafCertificate,
            None,
            DocumentStatus::Refused,
        )];
        assert_eq!(documents_missing(&household, &refused).len(), 1);
        let sent = [document(
            DocumentType::CafCertificate,
            None,
            DocumentStatus::Pending,
        )];
        assert!(documents_missing(&household, &sent).is_empty());
    }

    #[test]
    fn caf_families_give_their_beneficiary_number_others_need_not() {
        let mut household = complete_household();
        household.beneficiary_number.clear();
        assert_eq!(
            missing_items(&household, &[], &[], &[])
                .iter()
                .filter(|m| m.label.contains("allocataire"))
                .count(),
            1
        );
        household.allocation_regime = Some(AllocationRegime::Other);
        assert_eq!(
            missing_items(&household, &[], &[], &[])
                .iter()
                .filter(|m| m.label.contains("allocataire"))
                .count(),
            0
        );
    }

    #[test]
    fn a_child_entered_twice_is_recognised_but_not_twins() {
        let born = chrono::NaiveDate::from_ymd_opt(2019, 5, 14);
        assert!(same_child(
            ("Léa", "Martin", born),
            (" léa ", "MARTIN", born)
        ));
        assert!(!same_child(
            ("Léa", "Martin", born),
            ("Lucas", "Martin", born)
        ));
        let other = chrono::NaiveDate::from_ymd_opt(2020, 5, 14);
        assert!(!same_child(
            ("Léa", "Martin", born),
            ("Léa", "Martin", other)
        ));
    }
}
