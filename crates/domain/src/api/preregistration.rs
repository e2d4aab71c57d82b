//! « Mes préinscriptions en crèche »: request and response bodies (issue 13).

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::rules::preregistration::PreRegistrationStatus;
use crate::rules::preregistration::{self, Child, DaySchedule, PreRegistration};

/// Un jour d'accueil souhaité : heures d'arrivée et de départ (heure locale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayScheduleBody {
    #[serde(deserialize_with = "crate::api::wire::time")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::LocalTime))]
    pub arrival: NaiveTime,
    #[serde(deserialize_with = "crate::api::wire::time")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::LocalTime))]
    pub departure: NaiveTime,
}

/// Une préinscription en crèche (accueil régulier) : pour un enfant de la famille
/// (`child_id`) ou un enfant à naître (`expected_on`, la naissance prévue), la date d'entrée
/// souhaitée, le planning de la semaine (du lundi au vendredi, `null` les jours sans
/// accueil), le nombre de semaines par an, un commentaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreRegistrationRequest {
    /// L'enfant de la famille (absent pour un enfant à naître).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present_uuid"
    )]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub child_id: Option<Uuid>,
    #[serde(default, deserialize_with = "crate::api::wire::option_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub expected_on: Option<NaiveDate>,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub wished_start: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(min_items = 5, max_items = 5))]
    pub schedule: [Option<DayScheduleBody>; 5],
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 52))]
    pub weeks_per_year: u32,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub comment: String,
}

/// A field that may be absent but, when present, is an id (never `null`: what the schema says).
fn present_uuid<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Uuid>, D::Error> {
    Uuid::deserialize(deserializer).map(Some)
}

impl PreRegistrationRequest {
    /// The rules' view, with the child's birth date when it is born (`None` for an unknown
    /// child).
    pub fn rules(&self, birth_date: Option<NaiveDate>) -> Option<PreRegistration> {
        let child = match (self.child_id, self.expected_on, birth_date) {
            (Some(_), None, Some(birth_date)) => Child::Born { birth_date },
            (None, Some(expected_on), _) => Child::Unborn { expected_on },
            _ => return None,
        };
        Some(PreRegistration {
            child,
            wished_start: self.wished_start,
            schedule: self.schedule.map(|d| {
                d.map(|d| DaySchedule {
                    arrival: d.arrival,
                    departure: d.departure,
                })
            }),
            weeks_per_year: self.weeks_per_year,
        })
    }

    /// What a draft may hold: one child or one expected birth, a comment of 1,000 characters.
    pub fn validate_shape(&self) -> Result<(), crate::parse::FieldErrors> {
        let mut e = crate::parse::FieldErrors::default();
        if self.child_id.is_some() == self.expected_on.is_some() {
            e.push(
                "child_id",
                crate::parse::InvalidValue::new(
                    "invalid_value",
                    "Choisissez un enfant de la famille, ou indiquez la naissance prévue.",
                ),
            );
        }
        if self.comment.chars().count() > 1000 {
            e.push(
                "comment",
                crate::parse::InvalidValue::new("too_long", "1 000 caractères au plus."),
            );
        }
        if !(1..=52).contains(&self.weeks_per_year) {
            e.push(
                "weeks_per_year",
                crate::parse::InvalidValue::new("out_of_range", "De 1 à 52 semaines par an."),
            );
        }
        e.into_result(())
    }

    /// The rules a request must meet to be sent (`rules::preregistration::check`).
    pub fn check_for_sending(
        &self,
        birth_date: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<(), crate::parse::FieldErrors> {
        self.validate_shape()?;
        let rules = self.rules(birth_date).ok_or_else(|| {
            let mut e = crate::parse::FieldErrors::default();
            e.push(
                "child_id",
                crate::parse::InvalidValue::new(
                    "invalid_value",
                    "Indiquez la date de naissance de l'enfant dans «\u{a0}Mes enfants\u{a0}».",
                ),
            );
            e
        })?;
        preregistration::check(&rules, &preregistration::CrecheLimits::default(), today)
    }
}

/// Une préinscription, telle que la famille la suit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreRegistrationResponse {
    pub id: Uuid,
    pub status: PreRegistrationStatus,
    pub request: PreRegistrationRequest,
    /// Le prénom de l'enfant, ou « Enfant à naître ».
    pub child_label: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub sent_on: Option<NaiveDate>,
    /// Place proposée : l'accueil commencerait ce jour.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub offered_from: Option<NaiveDate>,
    /// Place proposée : répondre au plus tard ce jour (ensuite la proposition tombe).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub answer_by: Option<NaiveDate>,
    /// Le motif d'un refus, ou le mot de la crèche.
    pub reason: Option<String>,
    /// Liste d'attente : le rang (1 = la prochaine place).
    pub rank: Option<u32>,
    /// Les pièces que la commune demande pour une préinscription, et si elles sont fournies
    /// (dans « Mes documents »).
    pub documents: Vec<PreRegistrationDocument>,
}

/// Une pièce demandée pour la préinscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreRegistrationDocument {
    pub document_type: crate::dossier::DocumentType,
    /// Déposée dans « Mes documents » et pas refusée.
    pub provided: bool,
}

/// La réponse de la famille à une place proposée.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlaceOfferAnswer {
    /// `true` : j'accepte la place ; `false` : je la refuse (la demande revient en liste
    /// d'attente).
    pub accept: bool,
}

crate::string_enum! {
    /// Ce que la commission décide pour des préinscriptions.
    pub enum PreRegistrationDecision {
        ToCommission => ("en_commission", "Passer en commission"),
        Offer => ("proposee", "Proposer une place"),
        Refuse => ("refusee", "Refuser"),
        Wait => ("liste_attente", "Mettre en liste d'attente"),
    }
}

/// Une décision de la commission, pour une ou plusieurs préinscriptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecidePreRegistrationsRequest {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 200))]
    pub ids: Vec<Uuid>,
    pub decision: PreRegistrationDecision,
    /// Proposer : le premier jour d'accueil (à venir).
    #[serde(default, deserialize_with = "crate::api::wire::option_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub offered_from: Option<NaiveDate>,
    /// Proposer : la famille répond au plus tard ce jour (de demain à 30 jours).
    #[serde(default, deserialize_with = "crate::api::wire::option_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub answer_by: Option<NaiveDate>,
    /// Refuser : le motif (obligatoire), dit à la famille.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub reason: String,
}

/// The longest a family is given to answer an offer.
pub const MAX_ANSWER_DAYS: i64 = 30;

impl DecidePreRegistrationsRequest {
    /// Every field's French reason, or the decision's parts.
    pub fn validate(&self, today: NaiveDate) -> Result<(), crate::parse::FieldErrors> {
        use crate::parse::InvalidValue;
        let mut e = crate::parse::FieldErrors::default();
        if self.ids.is_empty() || self.ids.len() > 200 {
            e.push(
                "ids",
                InvalidValue::new("out_of_range", "De 1 à 200 préinscriptions à la fois."),
            );
        }
        if self.reason.chars().count() > 1000 {
            e.push(
                "reason",
                InvalidValue::new("too_long", "1 000 caractères au plus."),
            );
        }
        match self.decision {
            PreRegistrationDecision::Offer => {
                match self.offered_from {
                    None => e.push(
                        "offered_from",
                        InvalidValue::new("required", "Indiquez le premier jour d'accueil."),
                    ),
                    Some(d) if d <= today => e.push(
                        "offered_from",
                        InvalidValue::new("out_of_range", "Le premier jour d'accueil est à venir."),
                    ),
                    Some(_) => {}
                }
                let latest = today + chrono::Duration::days(MAX_ANSWER_DAYS);
                match self.answer_by {
                    None => e.push(
                        "answer_by",
                        InvalidValue::new("required", "Indiquez la date limite de réponse."),
                    ),
                    Some(d) if d <= today || d > latest => e.push(
                        "answer_by",
                        InvalidValue::new(
                            "out_of_range",
                            format!("La famille répond entre demain et {MAX_ANSWER_DAYS} jours."),
                        ),
                    ),
                    Some(d) if self.offered_from.is_some_and(|f| d >= f) => e.push(
                        "answer_by",
                        InvalidValue::new(
                            "out_of_range",
                            "La réponse est attendue avant le premier jour d'accueil.",
                        ),
                    ),
                    Some(_) => {}
                }
            }
            PreRegistrationDecision::Refuse if self.reason.trim().is_empty() => e.push(
                "reason",
                InvalidValue::new(
                    "required",
                    "Indiquez le motif du refus : il est dit à la famille.",
                ),
            ),
            _ => {}
        }
        e.into_result(())
    }
}

/// Ce que devient chaque préinscription d'une décision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionOutcome {
    pub id: Uuid,
    /// `true` : appliquée ; `false` : laissée telle quelle (`message` dit pourquoi).
    pub applied: bool,
    /// Le statut après la décision (ou inchangé).
    pub status: Option<PreRegistrationStatus>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecidePreRegistrationsResponse {
    pub items: Vec<DecisionOutcome>,
}

/// Placer une demande de la liste d'attente à un rang, avec un motif (journalisé).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReorderWaitingListRequest {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000))]
    pub rank: u32,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub reason: String,
}

impl ReorderWaitingListRequest {
    pub fn validate(&self) -> Result<(), crate::parse::FieldErrors> {
        use crate::parse::InvalidValue;
        let mut e = crate::parse::FieldErrors::default();
        if !(1..=10_000).contains(&self.rank) {
            e.push(
                "rank",
                InvalidValue::new("out_of_range", "Un rang à partir de 1."),
            );
        }
        let reason = self.reason.trim().chars().count();
        if reason == 0 {
            e.push(
                "reason",
                InvalidValue::new("required", "Indiquez pourquoi ce rang : c'est journalisé."),
            );
        } else if reason > 1000 {
            e.push(
                "reason",
                InvalidValue::new("too_long", "1 000 caractères au plus."),
            );
        }
        e.into_result(())
    }
}

/// Filtres de la vue « commission ».
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PreRegistrationQuery {
    /// Un statut (les brouillons ne sont jamais montrés).
    pub status: Option<PreRegistrationStatus>,
    /// Entrée souhaitée à partir de ce jour.
    #[serde(default, deserialize_with = "crate::api::wire::option_date")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<crate::api::wire::Day>))]
    pub start_from: Option<NaiveDate>,
    /// Entrée souhaitée jusqu'à ce jour.
    #[serde(default, deserialize_with = "crate::api::wire::option_date")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<crate::api::wire::Day>))]
    pub start_to: Option<NaiveDate>,
    /// Âge à l'entrée, en mois, au plus (un enfant à naître a 0 mois).
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 48))]
    pub max_age_months: Option<u32>,
    /// Accueil souhaité ce jour de la semaine (1 = lundi … 5 = vendredi).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 5))]
    pub weekday: Option<u8>,
    /// Heures d'accueil par semaine, au plus.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 60))]
    pub max_weekly_hours: Option<u32>,
}

impl PreRegistrationQuery {
    /// The filters' bounds, as documented (422 with each field's reason).
    pub fn validate(&self) -> Result<(), crate::parse::FieldErrors> {
        use crate::parse::InvalidValue;
        let mut e = crate::parse::FieldErrors::default();
        if self.weekday.is_some_and(|w| !(1..=5).contains(&w)) {
            e.push(
                "weekday",
                InvalidValue::new("out_of_range", "Un jour de 1 (lundi) à 5 (vendredi)."),
            );
        }
        if self.max_age_months.is_some_and(|m| m > 48) {
            e.push(
                "max_age_months",
                InvalidValue::new("out_of_range", "De 0 à 48 mois."),
            );
        }
        if self
            .max_weekly_hours
            .is_some_and(|h| !(1..=60).contains(&h))
        {
            e.push(
                "max_weekly_hours",
                InvalidValue::new("out_of_range", "De 1 à 60 heures."),
            );
        }
        e.into_result(())
    }
}

/// Une préinscription, vue par la commission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffPreRegistration {
    #[serde(flatten)]
    pub preregistration: PreRegistrationResponse,
    pub family_id: Uuid,
    /// Le nom du foyer (premier responsable).
    pub family_name: String,
    /// Âge à l'entrée souhaitée, en mois (0 pour un enfant à naître).
    pub age_at_start_months: u32,
    /// Minutes d'accueil par semaine.
    pub weekly_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffPreRegistrationListResponse {
    pub items: Vec<StaffPreRegistration>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreRegistrationListResponse {
    pub items: Vec<PreRegistrationResponse>,
    pub total: u64,
    /// Les documents que la crèche demande avant l'envoi (déposés dans « Mes documents »).
    #[serde(default)]
    pub asked_documents: Vec<crate::dossier::DocumentType>,
    /// Pourquoi la famille ne peut pas encore envoyer de préinscription (dossier pas encore
    /// validé) ; absent quand elle le peut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cannot_send: Option<String>,
}
