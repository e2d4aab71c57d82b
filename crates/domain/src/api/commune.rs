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
    /// Les annonces affichées aujourd'hui sur les tuiles du tableau de bord des familles
    /// (les mêmes que `GET /announcements`).
    #[serde(default)]
    pub announcements: Vec<AnnouncementResponse>,
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
    /// L'adresse e-mail du service, quand il en a une.
    #[serde(default)]
    pub email: Option<String>,
    /// Quand le joindre (« Du lundi au vendredi, 8 h 30 – 12 h »).
    #[serde(default)]
    pub hours: Option<String>,
    /// Les familles peuvent lui écrire depuis leur espace (« Écrire au service »).
    #[serde(default = "yes")]
    pub accepts_messages: bool,
}

fn yes() -> bool {
    true
}

/// Comment joindre un service : ce que les familles lisent sur leur tableau de bord et sur les
/// pages qui les renvoient vers lui. Chaque champ vide est effacé.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceContactRequest {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 30, pattern = r"^[0-9 .()+-]*$")
    )]
    pub phone: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 200,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub hours: Option<String>,
    /// Les familles peuvent écrire au service depuis leur espace (oui si absent).
    #[serde(default = "yes")]
    pub accepts_messages: bool,
}

impl ServiceContactRequest {
    /// The longest « hours » line.
    pub const MAX_HOURS_LEN: usize = 200;

    /// Checks each field; an empty one means « none ». Returns the cleaned contact.
    pub fn validate(&self) -> Result<Self, crate::parse::FieldErrors> {
        use crate::parse::{Email, FieldErrors, Phone, optional_text};
        let mut e = FieldErrors::default();
        let present = |v: &Option<String>| {
            v.as_deref()
                .filter(|v| !v.trim().is_empty())
                .map(str::to_owned)
        };
        let phone = present(&self.phone)
            .and_then(|raw| e.check("phone", Phone::parse(&raw)))
            .map(|p| p.as_str().to_owned());
        let email = present(&self.email)
            .and_then(|raw| e.check("email", Email::parse(&raw)))
            .map(|m| m.as_str().to_owned());
        let hours = e
            .check(
                "hours",
                optional_text(
                    self.hours.as_deref().unwrap_or_default(),
                    Self::MAX_HOURS_LEN,
                ),
            )
            .flatten();
        e.into_result(Self {
            phone,
            email,
            hours,
            accepts_messages: self.accepts_messages,
        })
    }
}

crate::string_enum! {
    /// A tile of the family dashboard (SPEC §4), to which staff attach announcements.
    pub enum TileCode {
        MyAccount => ("mon_compte", "Mon compte"),
        MyHousehold => ("mon_foyer", "Mon foyer"),
        MyChildren => ("mes_enfants", "Mes enfants"),
        MyPlanning => ("mon_planning", "Mon planning"),
        MyInvoices => ("mes_factures", "Mes factures"),
        MyDocuments => ("mes_documents", "Mes documents"),
        MyPreRegistrations => ("mes_preinscriptions", "Mes préinscriptions en crèche"),
    }
}

/// Une annonce du tableau de bord des familles, sur une tuile, du premier au dernier jour
/// inclus (dates de Paris) : « ALJA : ouverture des réservations pour l'été le 3 mai à 9 h ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnouncementRequest {
    pub tile: TileCode,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 300,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub text: String,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub starts_on: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::api::wire::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::api::wire::Day))]
    pub ends_on: chrono::NaiveDate,
}

impl AnnouncementRequest {
    pub const MAX_TEXT_LEN: usize = 300;

    /// The text is required and single-spaced; the last day is not before the first.
    pub fn validate(&self) -> Result<Self, crate::parse::FieldErrors> {
        let mut e = crate::parse::FieldErrors::default();
        let text = e.check(
            "text",
            crate::parse::required_text(&self.text, Self::MAX_TEXT_LEN),
        );
        if self.ends_on < self.starts_on {
            e.push(
                "ends_on",
                crate::parse::InvalidValue::new(
                    "out_of_range",
                    "Le dernier jour ne peut pas précéder le premier.",
                ),
            );
        }
        e.into_result(Self {
            text: text.unwrap_or_default(),
            ..self.clone()
        })
    }

    /// Shown on `today` (from the first to the last day, both included).
    pub fn shown_on(&self, today: chrono::NaiveDate) -> bool {
        (self.starts_on..=self.ends_on).contains(&today)
    }
}

/// Une annonce enregistrée.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnouncementResponse {
    pub id: uuid::Uuid,
    #[serde(flatten)]
    pub announcement: AnnouncementRequest,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnouncementListResponse {
    pub items: Vec<AnnouncementResponse>,
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(phone: &str, email: &str, hours: &str) -> ServiceContactRequest {
        ServiceContactRequest {
            phone: Some(phone.to_owned()),
            email: Some(email.to_owned()),
            hours: Some(hours.to_owned()),
            accepts_messages: true,
        }
    }

    #[test]
    fn a_service_contact_is_cleaned_and_empty_fields_mean_none() {
        let clean = contact("0470456151", " rpe@avermes.fr ", " Le mardi, 9 h – 12 h ")
            .validate()
            .expect("valid");
        assert_eq!(clean.phone.as_deref(), Some("04 70 45 61 51"));
        assert_eq!(clean.email.as_deref(), Some("rpe@avermes.fr"));
        assert_eq!(clean.hours.as_deref(), Some("Le mardi, 9 h – 12 h"));
        let empty = contact(" ", "", "").validate().expect("valid");
        assert_eq!((empty.phone, empty.email, empty.hours), (None, None, None));
    }

    #[test]
    fn each_bad_field_is_named_in_french() {
        let errors = contact("appelez-nous", "pas une adresse", &"x".repeat(201))
            .validate()
            .expect_err("invalid")
            .into_vec();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["phone", "email", "hours"]);
        assert!(errors.iter().all(|e| !e.message.is_empty()));
        assert!(contact("", "", "9 h\u{0}").validate().is_err());
    }

    #[test]
    fn an_announcement_needs_a_text_and_days_in_order() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2027, 5, d).expect("date");
        let request = AnnouncementRequest {
            tile: TileCode::MyPlanning,
            text: "  ALJA :   ouverture le 3 mai à 9 h ".to_owned(),
            starts_on: day(1),
            ends_on: day(3),
        };
        let clean = request.validate().expect("valid");
        assert_eq!(clean.text, "ALJA : ouverture le 3 mai à 9 h");
        assert!(clean.shown_on(day(1)) && clean.shown_on(day(3)));
        assert!(!clean.shown_on(day(4)));
        let backwards = AnnouncementRequest {
            ends_on: day(1),
            starts_on: day(2),
            ..request.clone()
        };
        assert_eq!(
            backwards.validate().expect_err("refused").into_vec()[0].field,
            "ends_on"
        );
        let empty = AnnouncementRequest {
            text: " ".to_owned(),
            ..request
        };
        assert_eq!(
            empty.validate().expect_err("refused").into_vec()[0].field,
            "text"
        );
    }
}

/// Une page légale (« Mentions légales », « Données personnelles », « Déclaration
/// d'accessibilité ») : écrite à partir des réglages de la commune tant qu'un administrateur
/// n'a pas remplacé son texte. Texte simple : paragraphes séparés par une ligne vide, `## `
/// pour un titre, `- ` pour un élément de liste.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalPageResponse {
    pub slug: String,
    pub title: String,
    pub body: String,
    /// Le texte a été écrit par un administrateur (sinon : celui que le portail rédige).
    pub customised: bool,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Le texte d'une page légale ; vide ou absent : revenir au texte rédigé par le portail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalPageRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub body: Option<String>,
}

impl LegalPageRequest {
    /// The longest text an administrator may write for a page.
    pub const MAX_CHARS: usize = 20_000;

    /// The text to keep (`None`: back to the portal's own), or the field's French error.
    pub fn validate(&self) -> Result<Option<&str>, crate::parse::FieldErrors> {
        let text = self
            .body
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        if text.is_some_and(|t| t.chars().count() > Self::MAX_CHARS) {
            let mut errors = crate::parse::FieldErrors::default();
            errors.push(
                "body",
                crate::parse::InvalidValue::invalid_format(format!(
                    "Le texte ne peut dépasser {} caractères.",
                    Self::MAX_CHARS
                )),
            );
            return Err(errors);
        }
        Ok(text)
    }
}
