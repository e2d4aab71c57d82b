use serde::{Deserialize, Serialize};

use crate::ServiceCode;

/// The commune served by this portal and its services, as shown on the public home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "Avermes",
    "services": [{
        "code": "creche",
        "name": "Multi-accueil «\u{a0}La Souris Verte\u{a0}»",
        "structure_name": "Multi-accueil La Souris Verte",
        "phone": "04 70 45 61 51",
        "description": "Accueil occasionnel et préinscriptions en accueil régulier."
    }]
})))]
pub struct CommuneResponse {
    /// Le nom de la commune.
    pub name: String,
    /// Les services proposés aux familles, dans l'ordre d'affichage.
    pub services: Vec<ServiceSummary>,
}

/// Un service de la commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceSummary {
    /// Le code stable du service.
    pub code: ServiceCode,
    /// Le nom du service.
    pub name: String,
    /// La structure qui le porte.
    pub structure_name: String,
    /// Le téléphone de la structure, quand les familles doivent l'appeler.
    pub phone: Option<String>,
    /// Une présentation en une ou deux phrases.
    pub description: String,
}
