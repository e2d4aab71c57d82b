//! « Aide aux démarches » (issue 13): a family created at the counter, an agent acting for a
//! family. The request body is `AssistedFamilyRequest` (beside the wizard's, in `auth`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// La famille créée en mairie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssistedFamilyResponse {
    pub family_id: Uuid,
    /// Un e-mail est parti pour que le parent choisisse son mot de passe (avec une adresse).
    pub invitation_sent: bool,
}

/// Agir pour une famille : un jeton d'accès de 30 minutes au plus, à présenter comme celui de
/// la famille (`Authorization: Bearer …`) sur ses routes ; chaque requête est journalisée avec
/// l'agent et la famille. Ni mot de passe, ni compte, ni sessions de la famille.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActingResponse {
    pub access_token: String,
    pub family_id: Uuid,
    /// « Marie DURAND » : le titulaire du compte de la famille.
    pub family_label: String,
    /// La fin de l'accès (30 minutes après le début, ou plus tôt avec « Terminer »).
    pub expires_at: DateTime<Utc>,
}

/// Combien d'accès « agir pour une famille » viennent d'être terminés.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StopActingResponse {
    pub ended: u32,
}
