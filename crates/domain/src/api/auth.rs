//! Accounts and sessions: registration, e-mail confirmation, login, password reset.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::StaffRole;
use crate::parse::{
    AddressLine, CityName, Civility, Email, FieldErrors, Password, PersonName, Phone, PostalCode,
    optional_text, parse_guardian_birth_date, passwords_match,
};

/// Le formulaire d'inscription en cinq étapes, envoyé en une fois à la fin.
///
/// Les champs texte absents valent une chaîne vide : chaque erreur est renvoyée sur son champ.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "email": "marie.durand@exemple.fr",
    "password": "cheval agrafe batterie correcte",
    "password_confirmation": "cheval agrafe batterie correcte",
    "address_line1": "12 rue des Écoles",
    "address_line2": "",
    "postal_code": "03000",
    "city": "Avermes",
    "mobile_phone": "06 12 34 56 78",
    "home_phone": "",
    "civility": "madame",
    "last_name": "Durand",
    "first_name": "Marie",
    "birth_date": "1988-04-02",
    "profession": "Infirmière",
    "employer": "Centre hospitalier de Moulins",
    "work_phone": "",
    "accept_terms": true
})))]
#[serde(default)]
pub struct RegisterFamilyRequest {
    // Étape 1 — Informations de connexion
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub password: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub password_confirmation: String,
    /// Étapes 2 à 4 : coordonnées, informations personnelles et professionnelles.
    #[serde(flatten)]
    pub holder: HolderDetails,
    // Étape 5 — Validation
    /// La case « Accepter » : les conditions d'utilisation et les deux certifications.
    pub accept_terms: bool,
}

/// Le titulaire du compte, tel que les étapes 2 à 4 de l'inscription le décrivent : les mêmes
/// champs à l'inscription en ligne et au guichet (dans la requête, au même niveau que les autres).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct HolderDetails {
    // Étape 2 — Coordonnées
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 200,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub address_line1: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 200,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub address_line2: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 10))]
    pub postal_code: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 100,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub city: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub mobile_phone: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub home_phone: String,
    // Étape 3 — Informations personnelles
    /// `madame` ou `monsieur`.
    pub civility: String,
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
    pub birth_date: String,
    // Étape 4 — Informations professionnelles (facultatives)
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

/// Créer en mairie le compte d'une famille (aide aux démarches) : les mêmes étapes que
/// l'inscription, remplies par l'agent avec le parent, sans mot de passe.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AssistedFamilyRequest {
    // Étape 1 — L'adresse e-mail du parent, s'il en a une (jamais de mot de passe : le parent
    // choisit le sien depuis le lien reçu).
    /// Vide : la famille est suivie par la mairie seule jusqu'à ce qu'une adresse soit ajoutée.
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    /// Étapes 2 à 4 : les mêmes champs qu'à l'inscription.
    #[serde(flatten)]
    pub holder: HolderDetails,
    // Étape 5 — Validation
    /// L'agent a lu au parent le texte sur la protection des données et les conditions, et
    /// coche «\u{a0}Accepter\u{a0}» pour lui (enregistré comme tel).
    pub accept_terms_for_family: bool,
}

/// An assisted registration whose every field is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistedRegistration {
    pub email: Option<Email>,
    pub person: Person,
}

impl AssistedFamilyRequest {
    /// The errors of one step (0 to 4): step 0 is the address alone, which may be empty.
    pub fn step_errors(&self, step: usize, today: NaiveDate) -> FieldErrors {
        let mut e = FieldErrors::default();
        match step {
            0 => {
                if !self.email.trim().is_empty() {
                    e.check("email", Email::parse(&self.email));
                }
            }
            4 => {
                if !self.accept_terms_for_family {
                    e.push("accept_terms_for_family", must_accept_for_family());
                }
            }
            _ => self.holder.check_step(step, today, &mut e),
        }
        e
    }

    /// Every field checked.
    pub fn validate(&self, today: NaiveDate) -> Result<AssistedRegistration, FieldErrors> {
        let mut e = FieldErrors::default();
        let email = if self.email.trim().is_empty() {
            Some(None)
        } else {
            e.check("email", Email::parse(&self.email)).map(Some)
        };
        if !self.accept_terms_for_family {
            e.push("accept_terms_for_family", must_accept_for_family());
        }
        let person = self.holder.person(today, &mut e);
        match (email, person) {
            (Some(email), Some(person)) if e.is_empty() => {
                Ok(AssistedRegistration { email, person })
            }
            _ => Err(e),
        }
    }
}

fn must_accept_for_family() -> crate::parse::InvalidValue {
    crate::parse::InvalidValue::new(
        "required",
        "Lisez au parent le texte sur la protection des données, puis cochez «\u{a0}Accepter\u{a0}» pour lui.",
    )
}

/// A registration whose every field is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub email: Email,
    pub password: Password,
    pub person: Person,
}

/// The account holder, as steps 2 to 4 of the wizard say them (valid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub address_line1: AddressLine,
    pub address_line2: Option<String>,
    pub postal_code: PostalCode,
    pub city: CityName,
    pub mobile_phone: Option<Phone>,
    pub home_phone: Option<Phone>,
    pub civility: Civility,
    pub last_name: PersonName,
    pub first_name: PersonName,
    pub birth_date: NaiveDate,
    pub profession: Option<String>,
    pub employer: Option<String>,
    pub work_phone: Option<Phone>,
}

/// The five steps of the wizard, in order.
pub const REGISTRATION_STEPS: [&str; 5] = [
    "Informations de connexion",
    "Coordonnées",
    "Informations personnelles",
    "Informations professionnelles",
    "Validation",
];

fn optional_phone(raw: &str) -> Result<Option<Phone>, crate::parse::InvalidValue> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        Phone::parse(raw).map(Some)
    }
}

impl RegisterFamilyRequest {
    /// The errors of one step (0 to 4), as the browser shows them before « Suivant → ».
    pub fn step_errors(&self, step: usize, today: NaiveDate) -> FieldErrors {
        let mut errors = FieldErrors::default();
        self.check_step(step, today, &mut errors);
        errors
    }

    /// Every field checked; the server's answer to « ✓ Valider ».
    pub fn validate(&self, today: NaiveDate) -> Result<Registration, FieldErrors> {
        let mut e = FieldErrors::default();
        let email = e.check("email", Email::parse(&self.email));
        let inputs = [
            self.email.as_str(),
            self.holder.last_name.as_str(),
            self.holder.first_name.as_str(),
        ];
        let password = e.check("password", Password::parse(&self.password, &inputs));
        e.check(
            "password_confirmation",
            passwords_match(&self.password, &self.password_confirmation),
        );
        if !self.accept_terms {
            e.push("accept_terms", must_accept());
        }
        let person = self.holder.person(today, &mut e);
        match (email, password, person) {
            (Some(email), Some(password), Some(person)) if e.is_empty() => Ok(Registration {
                email,
                password,
                person,
            }),
            _ => Err(e),
        }
    }

    fn check_step(&self, step: usize, today: NaiveDate, e: &mut FieldErrors) {
        match step {
            0 => {
                e.check("email", Email::parse(&self.email));
                // The browser checks the length; the server also checks the strength.
                e.check("password", Password::parse(&self.password, &[&self.email]));
                e.check(
                    "password_confirmation",
                    passwords_match(&self.password, &self.password_confirmation),
                );
            }
            1..=3 => self.holder.check_step(step, today, e),
            _ => {
                if !self.accept_terms {
                    e.push("accept_terms", must_accept());
                }
            }
        }
    }
}

impl HolderDetails {
    /// Every field checked (« Mon compte », where they are sent alone).
    pub fn validate(&self, today: NaiveDate) -> Result<Person, FieldErrors> {
        let mut e = FieldErrors::default();
        match self.person(today, &mut e) {
            Some(person) if e.is_empty() => Ok(person),
            _ => Err(e),
        }
    }

    /// Steps 2 to 4, checked (each refused field in `e`).
    pub fn person(&self, today: NaiveDate, e: &mut FieldErrors) -> Option<Person> {
        let address_line1 = e.check("address_line1", AddressLine::parse(&self.address_line1));
        let address_line2 = e.check(
            "address_line2",
            optional_text(&self.address_line2, AddressLine::MAX_LEN),
        );
        let postal_code = e.check("postal_code", PostalCode::parse(&self.postal_code));
        let city = e.check("city", CityName::parse(&self.city));
        let mobile_phone = e.check("mobile_phone", optional_phone(&self.mobile_phone));
        let home_phone = e.check("home_phone", optional_phone(&self.home_phone));
        if matches!((&mobile_phone, &home_phone), (Some(None), Some(None))) {
            e.push("mobile_phone", at_least_one_phone());
        }
        let civility = e.check("civility", Civility::parse(&self.civility));
        let last_name = e.check("last_name", PersonName::parse(&self.last_name));
        let first_name = e.check("first_name", PersonName::parse(&self.first_name));
        let birth_date = e.check(
            "birth_date",
            parse_guardian_birth_date(&self.birth_date, today),
        );
        let profession = e.check("profession", optional_text(&self.profession, 100));
        let employer = e.check("employer", optional_text(&self.employer, 100));
        let work_phone = e.check("work_phone", optional_phone(&self.work_phone));
        Some(Person {
            address_line1: address_line1?,
            address_line2: address_line2?,
            postal_code: postal_code?,
            city: city?,
            mobile_phone: mobile_phone?,
            home_phone: home_phone?,
            civility: civility?,
            last_name: last_name?,
            first_name: first_name?,
            birth_date: birth_date?,
            profession: profession?,
            employer: employer?,
            work_phone: work_phone?,
        })
    }

    /// The errors of one of steps 2 to 4 (`step` 1 to 3): those of [`Self::person`] whose
    /// field that step asks.
    fn check_step(&self, step: usize, today: NaiveDate, e: &mut FieldErrors) {
        let mut all = FieldErrors::default();
        self.person(today, &mut all);
        e.extend(FieldErrors::from(
            all.into_vec()
                .into_iter()
                .filter(|error| registration_step_of(&error.field) == step)
                .collect::<Vec<_>>(),
        ));
    }
}

/// The step (0–4) of the wizard where a field is typed: a server-side error sends the user
/// back there.
pub fn registration_step_of(field: &str) -> usize {
    match field {
        "email" | "password" | "password_confirmation" => 0,
        "address_line1" | "address_line2" | "postal_code" | "city" | "mobile_phone"
        | "home_phone" => 1,
        "civility" | "last_name" | "first_name" | "birth_date" => 2,
        "profession" | "employer" | "work_phone" => 3,
        _ => 4,
    }
}

fn at_least_one_phone() -> crate::parse::InvalidValue {
    crate::parse::InvalidValue::new(
        "required",
        "Indiquez au moins un numéro de téléphone (portable ou fixe).",
    )
}

fn must_accept() -> crate::parse::InvalidValue {
    crate::parse::InvalidValue::new(
        "required",
        "Vous devez cocher «\u{a0}Accepter\u{a0}» pour créer votre compte.",
    )
}

/// Une réponse qui ne dit rien de plus qu'un message (pour ne pas révéler si un compte existe).
/// Un mot de passe à vérifier avant la fin de l'inscription (la première étape) : assez
/// long, et pas trop facile à deviner, compte tenu de l'adresse e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"password": "cheval agrafe batterie correcte", "email": "marie.durand@exemple.fr"})))]
pub struct PasswordCheckRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 256))]
    pub password: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
}

impl PasswordCheckRequest {
    /// The password's errors (`password`), as the registration's last step would say them.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.check("password", Password::parse(&self.password, &[&self.email]));
        if self.email.chars().count() > 254 {
            e.push(
                "email",
                crate::parse::InvalidValue::new(
                    "too_long",
                    "L'adresse e-mail compte 254 caractères au plus.",
                ),
            );
        }
        e.into_result(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"message": "Si un compte existe avec cette adresse, un e-mail contenant un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Le lien est valable 1 heure."})))]
pub struct MessageResponse {
    pub message: String,
}

/// Une adresse e-mail seule (renvoi de confirmation, mot de passe oublié).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "marie.durand@exemple.fr"})))]
#[serde(default)]
pub struct EmailRequest {
    pub email: String,
}

/// Le jeton reçu par e-mail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"token": "q3J9…"})))]
#[serde(default)]
pub struct TokenRequest {
    pub token: String,
}

/// Connexion (familles et personnel).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "marie.durand@exemple.fr", "password": "cheval agrafe batterie correcte", "remember_me": true})))]
#[serde(default)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// « Se souvenir de moi » : la session dure 30 jours au lieu de finir avec le navigateur.
    pub remember_me: bool,
}

/// Un jeton d'accès (JWT, 15 minutes) ; le jeton de rafraîchissement est dans un cookie
/// `HttpOnly`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiJ9…", "token_type": "Bearer", "expires_in": 900})))]
pub struct SessionResponse {
    pub access_token: String,
    /// Toujours `Bearer`.
    pub token_type: String,
    /// Durée de validité du jeton d'accès, en secondes.
    pub expires_in: u64,
}

/// Nouveau mot de passe à partir d'un lien reçu par e-mail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"token": "q3J9…", "new_password": "cheval agrafe batterie correcte", "new_password_confirmation": "cheval agrafe batterie correcte"})))]
#[serde(default)]
pub struct ResetPasswordRequest {
    pub token: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub new_password: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub new_password_confirmation: String,
}

/// Changement de mot de passe depuis « Mon compte ».
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"current_password": "ancien mot de passe solide", "new_password": "cheval agrafe batterie correcte", "new_password_confirmation": "cheval agrafe batterie correcte"})))]
#[serde(default)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub new_password: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub new_password_confirmation: String,
}

/// Le statut du dossier famille.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DossierStatus {
    Incomplete,
    Submitted,
    InfoRequested,
    Validated,
    ToReverify,
}

impl DossierStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Incomplete => "incomplete",
            Self::Submitted => "submitted",
            Self::InfoRequested => "info_requested",
            Self::Validated => "validated",
            Self::ToReverify => "to_reverify",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Incomplete,
            Self::Submitted,
            Self::InfoRequested,
            Self::Validated,
            Self::ToReverify,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }

    /// The status in words, for the dashboard.
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Incomplete => "Dossier à compléter",
            Self::Submitted => "Dossier envoyé, en attente de validation",
            Self::InfoRequested => "Complément d'information demandé",
            Self::Validated => "Dossier validé",
            Self::ToReverify => "Dossier à vérifier pour la nouvelle année",
        }
    }
}

/// Le compte de la famille : le titulaire et l'état du dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "family_id": "0193f3c2-7a1e-7b3c-9d2e-5f6a7b8c9d0e",
    "email": "marie.durand@exemple.fr",
    "civility": "madame",
    "first_name": "Marie",
    "last_name": "Durand",
    "birth_date": "1988-04-02",
    "address_line1": "12 rue des Écoles",
    "address_line2": null,
    "postal_code": "03000",
    "city": "Avermes",
    "mobile_phone": "06 12 34 56 78",
    "home_phone": null,
    "profession": "Infirmière",
    "employer": null,
    "work_phone": null,
    "dossier_status": "incomplete"
})))]
pub struct AccountResponse {
    pub family_id: Uuid,
    /// L'adresse de connexion ; vide pour une famille créée en mairie sans adresse e-mail.
    pub email: String,
    pub civility: Civility,
    pub first_name: String,
    pub last_name: String,
    /// `AAAA-MM-JJ`.
    pub birth_date: NaiveDate,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub mobile_phone: Option<String>,
    pub home_phone: Option<String>,
    pub profession: Option<String>,
    pub employer: Option<String>,
    pub work_phone: Option<String>,
    pub dossier_status: DossierStatus,
}

/// Un membre du personnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"id": "0193f3c2-7a1e-7b3c-9d2e-5f6a7b8c9d0e", "email": "agent.alja@avermes.example", "display_name": "Camille Martin", "role": "agent", "active": true, "services": ["alja", "restauration"]})))]
pub struct StaffResponse {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: StaffRole,
    pub active: bool,
    /// Les services confiés (un agent sans service ne voit aucun dossier).
    #[serde(default)]
    pub services: Vec<crate::ServiceCode>,
}

/// Un compte du personnel désactivé : ses sessions sont closes, ses clés d'API ne
/// fonctionnent plus ; ses abonnements webhook sont repris par un autre administrateur.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffDeactivationResponse {
    pub staff: StaffResponse,
    /// Les sessions closes à l'instant, sur toutes les instances.
    pub sessions_ended: u64,
    /// Les clés d'API qu'il avait créées, désormais refusées (elles agissaient en son nom).
    pub api_keys_stopped: u64,
    /// Ses abonnements webhook, repris par `webhooks_taken_over_by` (ils continuent).
    pub webhooks_taken_over: Vec<TakenOverWebhook>,
    pub webhooks_taken_over_by: Option<String>,
}

/// Un abonnement webhook repris par un autre administrateur.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TakenOverWebhook {
    pub id: Uuid,
    pub url: String,
}

/// La liste du personnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffListResponse {
    pub items: Vec<StaffResponse>,
    pub total: u64,
}

/// Création d'un compte du personnel : un e-mail d'invitation permet de choisir le mot de passe.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "agent.alja@avermes.example", "display_name": "Camille Martin", "role": "agent"})))]
#[serde(default)]
pub struct CreateStaffRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 80,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub display_name: String,
    /// `admin` ou `agent`.
    pub role: String,
}

/// A staff account to create, every field valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaff {
    pub email: Email,
    pub display_name: PersonName,
    pub role: StaffRole,
}

impl CreateStaffRequest {
    /// Every field checked (the 422's `errors`).
    pub fn validate(&self) -> Result<NewStaff, FieldErrors> {
        let mut errors = FieldErrors::default();
        let email = errors.check("email", Email::parse(&self.email));
        let display_name = errors.check("display_name", PersonName::parse(&self.display_name));
        let role = errors.check(
            "role",
            StaffRole::parse(&self.role).ok_or_else(|| {
                crate::parse::InvalidValue::invalid_format(
                    "Choisissez «\u{a0}admin\u{a0}» ou «\u{a0}agent\u{a0}».",
                )
            }),
        );
        match (email, display_name, role) {
            (Some(email), Some(display_name), Some(role)) => Ok(NewStaff {
                email,
                display_name,
                role,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")
    }

    fn complete() -> RegisterFamilyRequest {
        RegisterFamilyRequest {
            email: "marie.durand@exemple.fr".into(),
            password: "cheval agrafe batterie correcte".into(),
            password_confirmation: "cheval agrafe batterie correcte".into(),
            holder: HolderDetails {
                address_line1: "12 rue des Écoles".into(),
                postal_code: "03000".into(),
                city: "Avermes".into(),
                mobile_phone: "0612345678".into(),
                civility: "madame".into(),
                last_name: "Durand".into(),
                first_name: "Marie".into(),
                birth_date: "1988-04-02".into(),
                ..HolderDetails::default()
            },
            accept_terms: true,
        }
    }

    #[test]
    fn a_complete_form_is_a_registration() {
        let registration = complete().validate(today()).expect("valid");
        assert_eq!(registration.email.as_str(), "marie.durand@exemple.fr");
        assert_eq!(
            registration.person.mobile_phone.map(Phone::into_inner),
            Some("06 12 34 56 78".into())
        );
        assert_eq!(registration.person.profession, None);
    }

    #[test]
    fn an_empty_form_names_every_required_field() {
        let errors = RegisterFamilyRequest::default()
            .validate(today())
            .expect_err("invalid");
        let fields: Vec<String> = errors.into_vec().into_iter().map(|e| e.field).collect();
        for field in [
            "email",
            "password",
            "password_confirmation",
            "address_line1",
            "postal_code",
            "city",
            "mobile_phone",
            "civility",
            "last_name",
            "first_name",
            "birth_date",
            "accept_terms",
        ] {
            assert!(
                fields.iter().any(|f| f == field),
                "{field} missing from {fields:?}"
            );
        }
        assert!(
            !fields.iter().any(|f| f == "profession"),
            "professional fields are optional"
        );
    }

    #[test]
    fn one_phone_is_enough_and_none_is_not() {
        let mut form = complete();
        form.holder.mobile_phone.clear();
        form.holder.home_phone = "04 70 00 00 00".into();
        assert!(form.validate(today()).is_ok());
        form.holder.home_phone.clear();
        let errors = form.step_errors(1, today());
        assert!(
            errors
                .message_for("mobile_phone")
                .is_some_and(|m| m.contains("au moins un"))
        );
    }

    #[test]
    fn each_step_checks_only_its_own_fields() {
        let form = RegisterFamilyRequest {
            email: "marie@exemple.fr".into(),
            password: "une phrase assez longue".into(),
            password_confirmation: "une phrase assez longue".into(),
            ..RegisterFamilyRequest::default()
        };
        assert!(form.step_errors(0, today()).is_empty());
        assert!(!form.step_errors(1, today()).is_empty());
        assert!(
            form.step_errors(3, today()).is_empty(),
            "step 4 is optional"
        );
        assert_eq!(
            form.step_errors(4, today()).message_for("accept_terms"),
            Some("Vous devez cocher «\u{a0}Accepter\u{a0}» pour créer votre compte.".into())
        );
    }

    #[test]
    fn the_holder_s_fields_are_at_the_top_level_of_the_json() {
        let json = serde_json::to_value(complete()).expect("json");
        assert_eq!(json["last_name"], "Durand");
        assert_eq!(json["email"], "marie.durand@exemple.fr");
        assert!(json.get("holder").is_none());
        let back: RegisterFamilyRequest = serde_json::from_value(serde_json::json!({
            "email": "a@exemple.fr", "city": "Avermes", "accept_terms": true
        }))
        .expect("a partial form");
        assert_eq!(back.holder.city, "Avermes");
        assert_eq!(back.holder.last_name, "");
        let counter: AssistedFamilyRequest =
            serde_json::from_value(serde_json::json!({ "first_name": "Louis" })).expect("json");
        assert_eq!(counter.holder.first_name, "Louis");
    }

    #[test]
    fn dossier_statuses_round_trip() {
        for status in [
            DossierStatus::Incomplete,
            DossierStatus::Submitted,
            DossierStatus::InfoRequested,
            DossierStatus::Validated,
            DossierStatus::ToReverify,
        ] {
            assert_eq!(DossierStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn a_counter_registration_needs_no_password_and_the_address_may_be_empty() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
        let mut form = AssistedFamilyRequest {
            email: String::new(),
            holder: HolderDetails {
                address_line1: "3 place de la Mairie".to_owned(),
                postal_code: "03000".to_owned(),
                city: "Avermes".to_owned(),
                home_phone: "04 70 12 34 56".to_owned(),
                civility: "monsieur".to_owned(),
                last_name: "Bernard".to_owned(),
                first_name: "Louis".to_owned(),
                birth_date: "1979-06-15".to_owned(),
                ..HolderDetails::default()
            },
            accept_terms_for_family: true,
        };
        let valid = form.validate(today).expect("valid without an address");
        assert_eq!(valid.email, None);
        assert_eq!(valid.person.last_name.as_str(), "Bernard");
        assert!(form.step_errors(0, today).is_empty());
        form.email = "louis.bernard@exemple".to_owned();
        form.accept_terms_for_family = false;
        let errors = form.validate(today).expect_err("invalid");
        let fields: Vec<String> = errors.into_vec().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "accept_terms_for_family"]);
        assert!(!form.step_errors(0, today).is_empty());
        assert!(!form.step_errors(4, today).is_empty());
        form.email = "louis.bernard@exemple.fr".to_owned();
        form.accept_terms_for_family = true;
        assert!(form.validate(today).expect("valid").email.is_some());
    }
}
