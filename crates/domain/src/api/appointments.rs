//! Appointments' request and response bodies (issue 24, point 5; rules:
//! `rules::appointments`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::parse::{Email, FieldErrors, InvalidValue, PersonName, Phone, message_text};
use crate::rules::appointments::{AppointmentDesk, AppointmentStatus};

/// Ouvrir des créneaux : un jour, de telle heure à telle heure, des rendez-vous de telle
/// durée, tant de personnes à la fois.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenSlotsRequest {
    pub desk: AppointmentDesk,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub date: NaiveDate,
    /// `HH:MM`, heure de Paris.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "09:00", pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub from: String,
    /// `HH:MM` : le dernier rendez-vous finit au plus tard à cette heure.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "12:00", pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub to: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 10, maximum = 180))]
    pub length_minutes: u32,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10))]
    pub capacity: u32,
}

/// Un créneau, et ce qu'il lui reste de places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentSlot {
    pub id: Uuid,
    pub desk: AppointmentDesk,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub date: NaiveDate,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`.
    pub end: String,
    pub capacity: u32,
    pub places_left: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentSlotList {
    pub items: Vec<AppointmentSlot>,
}

/// Les créneaux libres d'un guichet (les 60 prochains jours).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct SlotQuery {
    pub desk: AppointmentDesk,
}

/// Prendre un rendez-vous : le créneau, qui vient, comment le joindre, pourquoi.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentRequest {
    pub slot_id: Uuid,
    /// Nom et prénom.
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub name: String,
    /// Un numéro de téléphone français.
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub phone: String,
    /// Pour la confirmation et le rappel la veille (facultatif).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: Option<String>,
    /// Ce pour quoi vous venez.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub reason: String,
}

/// What a request says, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentDetails {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub reason: String,
}

impl AppointmentRequest {
    pub fn validate(&self) -> Result<AppointmentDetails, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.check("name", PersonName::parse(&self.name));
        let phone = e.check("phone", Phone::parse(&self.phone));
        let email = match self.email.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => e.check("email", Email::parse(raw)).map(Some),
        };
        let reason = match message_text(&self.reason, 500) {
            Ok(Some(reason)) => Some(reason),
            Ok(None) => {
                e.push(
                    "reason",
                    InvalidValue::new("required", "Dites en quelques mots pour quoi vous venez."),
                );
                None
            }
            Err(invalid) => {
                e.push("reason", invalid);
                None
            }
        };
        match (name, phone, email, reason) {
            (Some(name), Some(phone), Some(email), Some(reason)) if e.is_empty() => {
                Ok(AppointmentDetails {
                    name: name.into_inner(),
                    phone: phone.into_inner(),
                    email: email.map(|e| e.as_str().to_owned()),
                    reason,
                })
            }
            _ => Err(e),
        }
    }
}

/// Le rendez-vous pris.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentConfirmation {
    pub id: Uuid,
    pub slot: AppointmentSlot,
    pub name: String,
    /// La phrase à montrer : le jour, l'heure, le guichet.
    pub message: String,
}

/// L'agenda d'un guichet pour un jour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct AgendaQuery {
    pub desk: AppointmentDesk,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", param(value_type = crate::api::wire::Day))]
    pub date: NaiveDate,
}

/// Un rendez-vous, pour le personnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentItem {
    pub id: Uuid,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub reason: String,
    pub status: AppointmentStatus,
    /// Pris par un agent (au téléphone) plutôt que sur le portail.
    pub by_staff: bool,
}

/// Un créneau de l'agenda et ses rendez-vous.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaSlot {
    pub slot: AppointmentSlot,
    pub appointments: Vec<AppointmentItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaResponse {
    pub desk: AppointmentDesk,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub date: NaiveDate,
    pub slots: Vec<AgendaSlot>,
}

/// Venu, absent, ou annulé (la place se libère).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentStatusRequest {
    pub status: AppointmentStatus,
}
