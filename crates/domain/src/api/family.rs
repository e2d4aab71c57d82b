//! The family file: Mon foyer, Mes enfants, Mes documents, the dossier and its history.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::AccountResponse;
use crate::dossier::{
    AllocationRegime, Diet, DocumentStatus, DocumentType, DossierEventKind, FamilySituation,
    InvoicePayer, Sex,
};
use crate::parse::{Civility, Email, FieldErrors, InvalidValue, PersonName, Phone, optional_text};

use super::DossierStatus;

/// Le second responsable légal (tous les champs sont facultatifs à l'enregistrement).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SecondGuardian {
    pub civility: Option<Civility>,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 80,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub last_name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 80,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub first_name: String,
    /// `AAAA-MM-JJ`.
    #[serde(default, deserialize_with = "crate::api::wire::option_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub birth_date: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub mobile_phone: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    /// Vide : même adresse que le titulaire du compte.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 300,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub address: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 100,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub profession: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 100,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub employer: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub work_phone: String,
}

/// Une personne à prévenir en cas d'urgence et/ou autorisée à venir chercher les enfants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ContactPerson {
    /// Absent pour une nouvelle personne ; garder l'identifiant pour modifier une personne.
    pub id: Option<Uuid>,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 80,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub last_name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 80,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub first_name: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub phone: String,
    /// Lien avec l'enfant (grand-mère, voisin…).
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 60,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub relationship: String,
    pub emergency_contact: bool,
    pub can_pick_up: bool,
}

/// « Mon foyer » — informations complémentaires.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "family_situation": "marie",
    "dependent_children": 2,
    "allocation_regime": "caf",
    "beneficiary_number": "1234567",
    "family_quotient": 850,
    "family_quotient_year": 2026,
    "insurance_company": "MAIF",
    "insurance_policy_number": "RC-123456",
    "invoice_payer": "titulaire",
    "second_guardian": {"civility": "monsieur", "last_name": "Durand", "first_name": "Paul", "mobile_phone": "06 98 76 54 32"},
    "contacts": [{"last_name": "Martin", "first_name": "Jeanne", "phone": "04 70 11 22 33", "relationship": "Grand-mère", "emergency_contact": true, "can_pick_up": true}]
})))]
#[serde(default)]
pub struct Household {
    pub family_situation: Option<FamilySituation>,
    #[cfg_attr(feature = "openapi", schema(maximum = 20))]
    pub dependent_children: Option<u8>,
    pub allocation_regime: Option<AllocationRegime>,
    /// Numéro d'allocataire (CAF ou MSA).
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 30,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub beneficiary_number: String,
    /// Quotient familial en euros, et l'année de l'attestation.
    #[cfg_attr(feature = "openapi", schema(maximum = 20000))]
    pub family_quotient: Option<u32>,
    /// De 2000 à l'année prochaine.
    #[cfg_attr(feature = "openapi", schema(minimum = 2000))]
    pub family_quotient_year: Option<i32>,
    /// Assurance responsabilité civile.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 100,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub insurance_company: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 60,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub insurance_policy_number: String,
    pub invoice_payer: Option<InvoicePayer>,
    pub second_guardian: Option<SecondGuardian>,
    pub contacts: Vec<ContactPerson>,
}

fn optional_phone(raw: &str) -> Result<Option<Phone>, InvalidValue> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        Phone::parse(raw).map(Some)
    }
}

fn optional_name(raw: &str) -> Result<Option<PersonName>, InvalidValue> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        PersonName::parse(raw).map(Some)
    }
}

impl Household {
    /// Checks what was typed (empty is allowed: sections can be saved incomplete) and returns
    /// the normalised household.
    pub fn validate(&self, today: NaiveDate) -> Result<Household, FieldErrors> {
        let mut e = FieldErrors::default();
        let mut clean = self.clone();
        if let Some(n) = self.dependent_children.filter(|n| *n > 20) {
            e.push(
                "dependent_children",
                InvalidValue::new(
                    "out_of_range",
                    format!(
                        "{} à charge : vérifiez ce nombre.",
                        crate::format::count(n, "enfant", "enfants")
                    ),
                ),
            );
        }
        if let Some(qf) = self.family_quotient.filter(|qf| *qf > 20_000) {
            e.push(
                "family_quotient",
                InvalidValue::new(
                    "out_of_range",
                    format!("Un quotient familial de {qf} € paraît trop élevé."),
                ),
            );
        }
        if let Some(year) = self
            .family_quotient_year
            .filter(|y| !(2000..=chrono::Datelike::year(&today) + 1).contains(y))
        {
            e.push(
                "family_quotient_year",
                InvalidValue::new(
                    "out_of_range",
                    format!("L'année {year} n'est pas valide pour une attestation."),
                ),
            );
        }
        clean.beneficiary_number = e
            .check(
                "beneficiary_number",
                optional_text(&self.beneficiary_number, 30),
            )
            .flatten()
            .unwrap_or_default();
        clean.insurance_company = e
            .check(
                "insurance_company",
                optional_text(&self.insurance_company, 100),
            )
            .flatten()
            .unwrap_or_default();
        clean.insurance_policy_number = e
            .check(
                "insurance_policy_number",
                optional_text(&self.insurance_policy_number, 60),
            )
            .flatten()
            .unwrap_or_default();
        if let Some(second) = &self.second_guardian {
            let mut s = second.clone();
            s.last_name = e
                .check(
                    "second_guardian.last_name",
                    optional_name(&second.last_name),
                )
                .flatten()
                .map(PersonName::into_inner)
                .unwrap_or_default();
            s.first_name = e
                .check(
                    "second_guardian.first_name",
                    optional_name(&second.first_name),
                )
                .flatten()
                .map(PersonName::into_inner)
                .unwrap_or_default();
            s.mobile_phone = e
                .check(
                    "second_guardian.mobile_phone",
                    optional_phone(&second.mobile_phone),
                )
                .flatten()
                .map(Phone::into_inner)
                .unwrap_or_default();
            s.work_phone = e
                .check(
                    "second_guardian.work_phone",
                    optional_phone(&second.work_phone),
                )
                .flatten()
                .map(Phone::into_inner)
                .unwrap_or_default();
            s.email = if second.email.trim().is_empty() {
                String::new()
            } else {
                e.check("second_guardian.email", Email::parse(&second.email))
                    .map(String::from)
                    .unwrap_or_default()
            };
            s.address = e
                .check(
                    "second_guardian.address",
                    optional_text(&second.address, 300),
                )
                .flatten()
                .unwrap_or_default();
            s.profession = e
                .check(
                    "second_guardian.profession",
                    optional_text(&second.profession, 100),
                )
                .flatten()
                .unwrap_or_default();
            s.employer = e
                .check(
                    "second_guardian.employer",
                    optional_text(&second.employer, 100),
                )
                .flatten()
                .unwrap_or_default();
            if let Some(birth) = second.birth_date.filter(|d| *d > today) {
                e.push(
                    "second_guardian.birth_date",
                    InvalidValue::new(
                        "out_of_range",
                        format!("La date de naissance {birth} est dans le futur."),
                    ),
                );
            }
            let empty = s.civility.is_none()
                && s.last_name.is_empty()
                && s.first_name.is_empty()
                && s.mobile_phone.is_empty()
                && s.email.is_empty();
            clean.second_guardian = (!empty).then_some(s);
        }
        if self.contacts.len() > 20 {
            e.push(
                "contacts",
                InvalidValue::new("too_many", "Vingt personnes au plus."),
            );
        }
        for (i, contact) in self.contacts.iter().enumerate() {
            let field = |name: &str| format!("contacts.{i}.{name}");
            let c = &mut clean.contacts[i];
            c.last_name = e
                .check(&field("last_name"), PersonName::parse(&contact.last_name))
                .map(PersonName::into_inner)
                .unwrap_or_default();
            c.first_name = e
                .check(&field("first_name"), PersonName::parse(&contact.first_name))
                .map(PersonName::into_inner)
                .unwrap_or_default();
            c.phone = e
                .check(&field("phone"), Phone::parse(&contact.phone))
                .map(Phone::into_inner)
                .unwrap_or_default();
            c.relationship = e
                .check(
                    &field("relationship"),
                    optional_text(&contact.relationship, 60),
                )
                .flatten()
                .unwrap_or_default();
            if !contact.emergency_contact && !contact.can_pick_up {
                e.push(&field("emergency_contact"), InvalidValue::new("required", "Cochez au moins un rôle : à prévenir en cas d'urgence, ou autorisée à venir chercher les enfants."));
            }
        }
        if e.is_empty() { Ok(clean) } else { Err(e) }
    }
}

/// Un enfant, tel que la famille le saisit dans « Mes enfants ».
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "last_name": "Durand", "first_name": "Léa", "sex": "fille", "birth_date": "2019-05-14",
    "school": "École Jean-Jaurès", "class_level": "CP", "doctor_name": "Dr Morel", "doctor_phone": "04 70 44 55 66",
    "allergies": "Arachide", "has_pai": true, "vaccinations_up_to_date": true, "last_dtp_date": "2024-03-01",
    "diet": "aucun", "photo_consent": true, "emergency_care_consent": true, "may_leave_alone": false, "outings_consent": true,
    "pickup_contact_ids": []
})))]
#[serde(default)]
pub struct ChildRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 80,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub last_name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 80,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub first_name: String,
    pub sex: Option<Sex>,
    /// `AAAA-MM-JJ`.
    #[serde(default, deserialize_with = "crate::api::wire::option_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub birth_date: Option<NaiveDate>,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 120,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub school: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 40,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub class_level: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 120,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub doctor_name: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub doctor_phone: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 1000,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub allergies: String,
    /// Projet d'accueil individualisé.
    pub has_pai: Option<bool>,
    pub vaccinations_up_to_date: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::wire::option_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub last_dtp_date: Option<NaiveDate>,
    pub diet: Option<Diet>,
    /// Autorisations.
    pub photo_consent: Option<bool>,
    pub emergency_care_consent: Option<bool>,
    pub may_leave_alone: Option<bool>,
    pub outings_consent: Option<bool>,
    /// Les personnes du foyer autorisées à venir chercher cet enfant.
    pub pickup_contact_ids: Vec<Uuid>,
}

impl ChildRequest {
    /// The first name is enough to save a child; the rest is needed to submit the dossier.
    pub fn validate(&self, today: NaiveDate) -> Result<ChildRequest, FieldErrors> {
        let mut e = FieldErrors::default();
        let mut clean = self.clone();
        clean.first_name = e
            .check("first_name", PersonName::parse(&self.first_name))
            .map(PersonName::into_inner)
            .unwrap_or_default();
        clean.last_name = e
            .check("last_name", optional_name(&self.last_name))
            .flatten()
            .map(PersonName::into_inner)
            .unwrap_or_default();
        if let Some(birth) = self.birth_date {
            if birth > today {
                e.push("birth_date", InvalidValue::new("out_of_range", "La date de naissance est dans le futur (pour un enfant à naître, faites une préinscription en crèche)."));
            } else if chrono::Datelike::year(&today) - chrono::Datelike::year(&birth) > 25 {
                e.push(
                    "birth_date",
                    InvalidValue::new(
                        "out_of_range",
                        "Cette date de naissance est trop ancienne pour un enfant.",
                    ),
                );
            }
        }
        if let Some(dtp) = self.last_dtp_date.filter(|d| *d > today) {
            e.push(
                "last_dtp_date",
                InvalidValue::new(
                    "out_of_range",
                    format!("La date du dernier rappel DTP ({dtp}) est dans le futur."),
                ),
            );
        }
        clean.school = e
            .check("school", optional_text(&self.school, 120))
            .flatten()
            .unwrap_or_default();
        clean.class_level = e
            .check("class_level", optional_text(&self.class_level, 40))
            .flatten()
            .unwrap_or_default();
        clean.doctor_name = e
            .check("doctor_name", optional_text(&self.doctor_name, 120))
            .flatten()
            .unwrap_or_default();
        clean.doctor_phone = e
            .check("doctor_phone", optional_phone(&self.doctor_phone))
            .flatten()
            .map(Phone::into_inner)
            .unwrap_or_default();
        clean.allergies = e
            .check("allergies", optional_text(&self.allergies, 1000))
            .flatten()
            .unwrap_or_default();
        if self.pickup_contact_ids.len() > 20 {
            e.push(
                "pickup_contact_ids",
                InvalidValue::new("too_many", "Vingt personnes au plus."),
            );
        }
        if e.is_empty() { Ok(clean) } else { Err(e) }
    }

    /// The fields still needed before the dossier can be sent, in French.
    pub fn missing_for_submission(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        let mut need = |absent: bool, label: &'static str| {
            if absent {
                missing.push(label)
            }
        };
        need(self.last_name.is_empty(), "nom");
        need(self.sex.is_none(), "sexe");
        need(self.birth_date.is_none(), "date de naissance");
        need(self.has_pai.is_none(), "PAI (oui ou non)");
        need(
            self.vaccinations_up_to_date.is_none(),
            "vaccinations à jour (oui ou non)",
        );
        need(self.diet.is_none(), "régime alimentaire");
        need(
            self.photo_consent.is_none()
                || self.emergency_care_consent.is_none()
                || self.may_leave_alone.is_none()
                || self.outings_consent.is_none(),
            "autorisations",
        );
        missing
    }
}

/// Un enfant enregistré. Pour un agent dont les services n'accueillent pas les enfants, les
/// informations médicales sont masquées (`null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildResponse {
    pub id: Uuid,
    #[serde(flatten)]
    pub details: ChildRequest,
    /// Vrai quand les informations médicales ont été masquées pour l'appelant.
    #[serde(default)]
    pub medical_redacted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildListResponse {
    pub items: Vec<ChildResponse>,
    pub total: u64,
}

/// Une pièce justificative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": "0193f3c2-7a1e-7b3c-9d2e-5f6a7b8c9d0e", "document_type": "justificatif_domicile", "child_id": null,
    "filename": "facture-edf.pdf", "content_type": "application/pdf", "size_bytes": 184220,
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "status": "en_attente", "refusal_reason": null, "uploaded_at": "2026-11-28T09:12:00Z"
})))]
pub struct DocumentResponse {
    pub id: Uuid,
    pub document_type: DocumentType,
    /// L'enfant concerné, ou `null` pour une pièce de la famille.
    pub child_id: Option<Uuid>,
    pub filename: String,
    /// Le type reconnu d'après le contenu du fichier.
    pub content_type: String,
    pub size_bytes: u64,
    pub sha256: String,
    pub status: DocumentStatus,
    pub refusal_reason: Option<String>,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentListResponse {
    pub items: Vec<DocumentResponse>,
    pub total: u64,
}

/// Les paramètres d'un dépôt de pièce (le fichier est le corps de la requête).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct UploadDocumentQuery {
    pub document_type: DocumentType,
    /// L'enfant concerné ; absent pour une pièce de la famille.
    pub child_id: Option<Uuid>,
    /// Le nom du fichier, tel qu'il sera proposé au téléchargement.
    /// 200 caractères au plus ; ni « / », ni « \ », ni « .. », ni caractère de contrôle, et pas de « . » au début.
    #[cfg_attr(
        feature = "openapi",
        param(pattern = r"^(?!\s*\.)(?!.*\.\.)(?=.*\S)[^/\\\x00-\x1F\x7F-\x9F]{1,200}$")
    )]
    pub filename: String,
}

/// Une section du dossier, pour la liste de ce qui manque.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DossierSection {
    Account,
    Household,
    Children,
    Documents,
}

impl DossierSection {
    /// The page of the web app where it is filled in.
    pub fn path(self) -> &'static str {
        match self {
            Self::Account => "/mon-compte",
            Self::Household => "/mon-foyer",
            Self::Children => "/mes-enfants",
            Self::Documents => "/mes-documents",
        }
    }
}

/// Ce qui manque pour envoyer le dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissingItem {
    pub section: DossierSection,
    /// En français, pour la famille.
    pub label: String,
}

/// Un événement de l'historique du dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DossierEvent {
    pub kind: DossierEventKind,
    pub status_after: DossierStatus,
    /// Le message de la mairie (demande de complément, motif de refus).
    pub message: Option<String>,
    /// `family`, `staff` ou `system`.
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// L'état du dossier, ce qui manque et l'historique.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DossierResponse {
    pub status: DossierStatus,
    /// Le statut en mots.
    pub status_label: String,
    /// Le dernier message de la mairie quand un complément est demandé.
    pub info_request_message: Option<String>,
    pub missing: Vec<MissingItem>,
    /// Vrai quand « Envoyer mon dossier » est possible maintenant.
    pub can_submit: bool,
    pub history: Vec<DossierEvent>,
    /// « À faire » (`GET /dossier` only): an offered crèche place, what is owed, the
    /// services' answers not read, the next bookings — as `GET /to-do` answers.
    #[serde(default)]
    pub to_do: Vec<ToDoItem>,
}

/// Modifier le titulaire du compte (« Mon compte ») : les champs des étapes 2 à 4 de
/// l'inscription, vérifiés par les mêmes règles.
pub type UpdateAccountRequest = super::auth::HolderDetails;

/// Changer d'adresse e-mail : un lien de confirmation part vers la nouvelle adresse.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ChangeEmailRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub new_email: String,
    pub current_password: String,
}

impl ChangeEmailRequest {
    /// The new address, checked (the current password is checked by the server).
    pub fn validate(&self) -> Result<crate::parse::Email, crate::parse::FieldErrors> {
        crate::parse::Email::parse(&self.new_email)
            .map_err(|invalid| crate::parse::FieldErrors::one("new_email", invalid))
    }
}

/// Toutes les données de la famille (« Télécharger mes données »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataExport {
    pub exported_at: DateTime<Utc>,
    pub account: AccountResponse,
    pub household: Household,
    pub children: Vec<ChildResponse>,
    /// Les pièces (description ; les fichiers se téléchargent un par un).
    pub documents: Vec<DocumentResponse>,
    pub dossier_history: Vec<DossierEvent>,
    pub deletion_requested_at: Option<DateTime<Utc>>,
    /// « Ma semaine type » de chaque enfant et service.
    #[serde(default)]
    pub week_patterns: Vec<crate::api::SavedWeekPattern>,
    /// Les conversations avec les services, chacune avec tous ses messages (les fichiers
    /// joints se téléchargent un par un).
    #[serde(default)]
    pub conversations: Vec<crate::api::ConversationResponse>,
}

/// Avant de supprimer les données d'une famille (à sa demande) : ce qui l'empêche encore, ce
/// qui sera supprimé, ce qui sera gardé et pourquoi.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErasurePreview {
    pub deletion_requested_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Vide : la suppression est possible.
    pub blockers: Vec<String>,
    pub erased: Vec<String>,
    pub kept: Vec<KeptData>,
}

/// Une donnée gardée après la suppression, et pourquoi.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeptData {
    pub what: String,
    pub why: String,
}

crate::string_enum! {
    /// Une ligne de « À faire » sur le tableau de bord.
    pub enum ToDoKind {
        PlaceOffered => ("place_proposee", "Place proposée en crèche"),
        Balance => ("reste_a_regler", "Reste à régler"),
        Message => ("message", "Réponse d'un service"),
        NextBookings => ("prochaines_reservations", "Prochaines réservations"),
    }
}

// `string_enum!` writes the enum's derives; a `#[default]` variant cannot be passed to it.
#[allow(clippy::derivable_impls)]
impl Default for ToDoKind {
    fn default() -> Self {
        Self::NextBookings
    }
}

/// Une chose à faire ou à savoir, en français, et la page où la faire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToDoItem {
    /// Not decoded by the web app, which shows the text (its decoder would cost the parents'
    /// first load ~0.4 kB: docs/performance.md).
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing, default))]
    pub kind: ToDoKind,
    pub text: String,
    /// La page du portail où agir (« /mes-factures »).
    pub href: String,
    /// À faire avant une échéance (une place à accepter, une facture échue).
    pub urgent: bool,
}

/// « À faire » : ce que le tableau de bord de la famille montre, le plus urgent d'abord.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToDoList {
    pub items: Vec<ToDoItem>,
}
