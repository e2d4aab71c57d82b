//! Certificates' request and response bodies (issue 24, point 3): the attestation fiscale for
//! childcare costs and the attestation de présence (rules: `rules::billing::certificate`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ServiceCode;

/// Ce qui a été payé pour un service de garde.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareAmount {
    pub service: ServiceCode,
    /// Le nom du service dans la commune.
    pub service_name: String,
    pub amount_cents: i64,
}

/// Un enfant de moins de six ans au 1er janvier de l'année, et ce que la famille a payé cette
/// année-là pour sa garde (crèche, accueil de loisirs ; repas exclus).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FiscalCertificateChild {
    pub child_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub birth_date: NaiveDate,
    /// Le total payé dans l'année pour sa garde (centimes).
    pub amount_cents: i64,
    pub by_service: Vec<CareAmount>,
}

/// L'attestation fiscale d'une famille pour une année civile terminée.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FiscalCertificateResponse {
    pub year: i32,
    pub family_id: Uuid,
    pub family_name: String,
    /// Les enfants de moins de six ans au 1er janvier de l'année (vide : aucun).
    pub children: Vec<FiscalCertificateChild>,
}

/// Les attestations fiscales d'une année, pour le personnel : les familles qui ont payé la
/// garde d'un enfant de moins de six ans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FiscalCertificateListResponse {
    pub year: i32,
    pub items: Vec<FiscalCertificateResponse>,
    /// Le nombre d'attestations (une par enfant).
    pub certificates: u64,
    pub total_cents: i64,
}

/// Le personnel : une seule famille, ou toutes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default)]
pub struct FiscalCertificateQuery {
    /// Une famille (sinon toutes celles qui ont payé une garde dans l'année).
    pub family_id: Option<Uuid>,
}

/// L'attestation de présence demandée : un enfant, un service, une période (400 jours au plus,
/// commencée).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct AttendanceCertificateQuery {
    pub child_id: Uuid,
    pub service: ServiceCode,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", param(value_type = crate::api::wire::Day))]
    pub from: NaiveDate,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", param(value_type = crate::api::wire::Day))]
    pub to: NaiveDate,
}

/// Un jour de présence et ce que l'enfant y a fréquenté.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendedDay {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub date: NaiveDate,
    /// Les prestations, par exemple « Matin », « Journée avec repas ».
    pub units: Vec<String>,
}

/// Les jours où l'enfant a été pointé présent dans le service sur la période.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceCertificateResponse {
    pub child_id: Uuid,
    pub child_name: String,
    pub family_name: String,
    pub service: ServiceCode,
    pub service_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub from: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub to: NaiveDate,
    pub days: Vec<AttendedDay>,
}
