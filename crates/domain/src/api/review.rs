//! The staff side of family files: the work queue, a family's file, decisions, the audit log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    AccountResponse, ChildResponse, DocumentResponse, DossierEvent, DossierStatus, Household,
    MissingItem,
};
use crate::ServiceCode;
use crate::dossier::DocumentType;

/// Une famille dans la liste du personnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilySummary {
    pub family_id: Uuid,
    /// « Durand Marie ».
    pub holder_name: String,
    pub email: String,
    pub status: DossierStatus,
    /// Quand le dossier a été (r)envoyé pour la dernière fois.
    pub submitted_at: Option<DateTime<Utc>>,
    pub children: Vec<String>,
}

/// Le nombre de dossiers par statut.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCounts {
    pub incomplete: u64,
    pub submitted: u64,
    pub info_requested: u64,
    pub validated: u64,
    pub to_reverify: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyListResponse {
    pub items: Vec<FamilySummary>,
    pub total: u64,
    pub counts: StatusCounts,
}

/// Recherche et filtre de la liste des familles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default)]
pub struct FamilyListQuery {
    /// Un nom (titulaire ou enfant) ou une adresse e-mail, ou une partie.
    pub q: Option<String>,
    /// `submitted` (la file de travail, les plus anciens d'abord), `validated`…
    pub status: Option<DossierStatus>,
    /// Seulement les familles modifiées depuis cet instant (RFC 3339), pour une
    /// synchronisation incrémentale.
    #[serde(deserialize_with = "crate::api::wire::option_instant")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<crate::api::wire::Instant>))]
    pub updated_since: Option<DateTime<Utc>>,
    /// À partir de 1.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100_000))]
    pub page: Option<u64>,
    /// 50 par défaut.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u64>,
}

/// Le dossier complet d'une famille, pour le personnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyDetailResponse {
    pub account: AccountResponse,
    pub household: Household,
    pub children: Vec<ChildResponse>,
    pub documents: Vec<DocumentResponse>,
    pub missing: Vec<MissingItem>,
    pub history: Vec<DossierEvent>,
    pub info_request_message: Option<String>,
    pub deletion_requested_at: Option<DateTime<Utc>>,
}

/// « Demander un complément » : le message est envoyé par e-mail et affiché à la famille.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"message": "L'attestation d'assurance est illisible : merci d'en déposer une nouvelle."})))]
#[serde(default)]
pub struct RequestInfoRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
        )
    )]
    pub message: String,
}

/// La décision sur une pièce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentDecision {
    Accept,
    Refuse,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"decision": "refuse", "reason": "Le justificatif date de plus de trois mois."})))]
pub struct ReviewDocumentRequest {
    pub decision: DocumentDecision,
    /// Obligatoire pour un refus.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 1000,
            pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
        )
    )]
    pub reason: Option<String>,
}

/// Une entrée du journal d'audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEventResponse {
    pub id: Uuid,
    pub staff_id: Uuid,
    pub staff_name: String,
    /// The stable code of the action (`portail_domain::audit::action`): `view_family`,
    /// `view_document`, `validate_family`, `review_document`, `view_attendance`…
    pub action: String,
    /// What was done, in French, to follow the staff member's name: « a accepté la pièce
    /// «&nbsp;Attestation d'assurance&nbsp;» ».
    pub summary: String,
    pub family_id: Option<Uuid>,
    pub target_id: Option<Uuid>,
    pub detail: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEventListResponse {
    pub items: Vec<AuditEventResponse>,
    pub total: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default)]
pub struct AuditEventQuery {
    pub family_id: Option<Uuid>,
    /// À partir de 1.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100_000))]
    pub page: Option<u64>,
    /// 50 par défaut.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u64>,
}

/// Une pièce exigée : pour toutes les familles (`service` absent) ou pour un service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentRequirement {
    pub id: Uuid,
    pub service: Option<ServiceCode>,
    pub document_type: DocumentType,
    /// Une pièce par enfant plutôt qu'une pour la famille.
    pub per_child: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentRequirementListResponse {
    pub items: Vec<DocumentRequirement>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateDocumentRequirementRequest {
    pub service: Option<ServiceCode>,
    pub document_type: DocumentType,
    #[serde(default)]
    pub per_child: bool,
}

/// Les réglages de la commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"name": "Avermes", "reverification_month": 8, "reverification_day": 1})))]
pub struct CommuneSettings {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub name: String,
    /// Chaque année à cette date, les dossiers validés passent « à vérifier ».
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 12))]
    pub reverification_month: u32,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 31))]
    pub reverification_day: u32,
}

/// Les services confiés à un agent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct StaffServicesRequest {
    pub services: Vec<ServiceCode>,
}
