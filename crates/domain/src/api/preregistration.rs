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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreRegistrationListResponse {
    pub items: Vec<PreRegistrationResponse>,
    pub total: u64,
}
