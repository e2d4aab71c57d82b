//! Stable machine codes for API errors. The API sends them in `code`; the browser app maps them
//! to French text with [`ErrorCode::message_fr`]. A code, once published, never changes meaning.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The resource does not exist (or belongs to somebody else).
    NotFound,
    /// The HTTP method is not allowed on this resource.
    MethodNotAllowed,
    /// The request body is not valid JSON or does not match the expected shape.
    InvalidBody,
    /// A query-string or path parameter is malformed.
    InvalidParameter,
    /// One or more fields are invalid; see `errors`.
    ValidationFailed,
    /// The request body is too large.
    PayloadTooLarge,
    /// Authentication is required or the credentials are invalid.
    Unauthorized,
    /// The caller is authenticated but may not do this.
    Forbidden,
    /// Too many requests; retry after the delay in `Retry-After`.
    RateLimited,
    /// The server is overloaded; retry shortly.
    ServiceUnavailable,
    /// The request conflicts with the current state of the resource.
    Conflict,
    /// An unexpected error on the server side.
    Internal,
    /// Wrong e-mail address or password.
    InvalidCredentials,
    /// The account's e-mail address is not confirmed yet.
    EmailNotVerified,
    /// The link (e-mail token) is unknown, already used or expired.
    InvalidToken,
    /// Another request refreshed the session at the same moment; retry once.
    RefreshConflict,
    /// The family file cannot be sent yet; `errors` lists what is missing.
    DossierIncomplete,
    /// The family file is not in a status that allows this.
    InvalidTransition,
    /// A recap with this idempotency key is being committed; retry in a moment.
    IdempotencyInProgress,
    /// This idempotency key was used for another recap.
    IdempotencyKeyReused,
    /// The invoice run cannot issue yet: `detail` says what to fix (a missing tariff…).
    BillingIncomplete,
    /// New bookings are blocked: unpaid invoices past due exceed the commune's threshold.
    UnpaidInvoices,
    /// An API key without the scope the operation needs; `detail` names it.
    MissingScope,
    /// The last active administrator cannot be deactivated (nobody could administer).
    LastAdministrator,
    /// The invoice run was asked to issue a month that has not ended without
    /// `confirm_unfinished_month`; `detail` names the days not over.
    MonthNotEnded,
    /// The year asked for has not ended (a fiscal certificate is given from 1 January after).
    YearNotEnded,
    /// The appointment slot asked for has no place left.
    SlotFull,
    /// The service does not take messages from families (its contact settings).
    MessagesNotAccepted,
}

impl ErrorCode {
    /// The French sentence shown to a user when nothing more specific is known.
    pub fn message_fr(self) -> &'static str {
        match self {
            Self::NotFound => "La ressource demandée est introuvable.",
            Self::MethodNotAllowed => "Cette opération n'est pas permise sur cette ressource.",
            Self::InvalidBody => "La requête est mal formée.",
            Self::InvalidParameter => "Un paramètre de la requête est invalide.",
            Self::ValidationFailed => "Certains champs sont invalides.",
            Self::PayloadTooLarge => "La requête est trop volumineuse.",
            Self::Unauthorized => "Vous devez vous connecter pour accéder à cette page.",
            Self::Forbidden => "Vous n'avez pas les droits nécessaires pour cette opération.",
            Self::RateLimited => "Trop de tentatives. Veuillez patienter avant de réessayer.",
            Self::ServiceUnavailable => {
                "Le service est momentanément surchargé. Veuillez réessayer dans un instant."
            }
            Self::Conflict => "Cette opération est en conflit avec l'état actuel des données.",
            Self::Internal => "Une erreur inattendue s'est produite. Veuillez réessayer plus tard.",
            Self::InvalidCredentials => "Adresse e-mail ou mot de passe incorrect.",
            Self::EmailNotVerified => {
                "Votre adresse e-mail n'est pas encore confirmée. Ouvrez le lien reçu par e-mail, ou demandez-en un nouveau."
            }
            Self::InvalidToken => {
                "Ce lien n'est plus valable : il a déjà servi ou il a expiré. Demandez-en un nouveau."
            }
            Self::RefreshConflict => "La session vient d'être renouvelée ailleurs. Réessayez.",
            Self::DossierIncomplete => {
                "Votre dossier n'est pas encore complet : voici ce qu'il manque."
            }
            Self::InvalidTransition => {
                "Cette opération n'est pas possible dans l'état actuel du dossier."
            }
            Self::IdempotencyInProgress => {
                "Cet envoi est déjà en cours d'enregistrement. Patientez un instant."
            }
            Self::IdempotencyKeyReused => {
                "Cette clé d'idempotence a déjà servi pour un autre envoi."
            }
            Self::BillingIncomplete => {
                "La facturation ne peut pas encore être émise : il manque un tarif ou un paramètre."
            }
            Self::UnpaidInvoices => {
                "Les réservations sont suspendues tant que des factures échues restent impayées : réglez-les ou contactez la mairie."
            }
            Self::MissingScope => "Cette clé d'API n'a pas la permission qu'exige cette opération.",
            Self::LastAdministrator => {
                "C'est le dernier administrateur actif : nommez d'abord un autre administrateur."
            }
            Self::MonthNotEnded => {
                "Ce mois n'est pas terminé : confirmez pour le facturer quand même."
            }
            Self::YearNotEnded => {
                "Cette année n'est pas terminée : son attestation sera disponible en janvier."
            }
            Self::SlotFull => "Ce créneau vient d'être pris : choisissez-en un autre.",
            Self::MessagesNotAccepted => {
                "Ce service ne reçoit pas de messages par le portail : appelez-le ou écrivez-lui à son adresse."
            }
        }
    }

    /// The code as it appears in JSON (`"not_found"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::InvalidBody => "invalid_body",
            Self::InvalidParameter => "invalid_parameter",
            Self::ValidationFailed => "validation_failed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::RateLimited => "rate_limited",
            Self::ServiceUnavailable => "service_unavailable",
            Self::Conflict => "conflict",
            Self::Internal => "internal",
            Self::InvalidCredentials => "invalid_credentials",
            Self::EmailNotVerified => "email_not_verified",
            Self::InvalidToken => "invalid_token",
            Self::RefreshConflict => "refresh_conflict",
            Self::DossierIncomplete => "dossier_incomplete",
            Self::InvalidTransition => "invalid_transition",
            Self::IdempotencyInProgress => "idempotency_in_progress",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::BillingIncomplete => "billing_incomplete",
            Self::UnpaidInvoices => "unpaid_invoices",
            Self::MissingScope => "missing_scope",
            Self::LastAdministrator => "last_administrator",
            Self::MonthNotEnded => "month_not_ended",
            Self::YearNotEnded => "year_not_ended",
            Self::SlotFull => "slot_full",
            Self::MessagesNotAccepted => "messages_not_accepted",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [ErrorCode; 28] = [
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::InvalidBody,
        ErrorCode::InvalidParameter,
        ErrorCode::ValidationFailed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::RateLimited,
        ErrorCode::ServiceUnavailable,
        ErrorCode::Conflict,
        ErrorCode::Internal,
        ErrorCode::InvalidCredentials,
        ErrorCode::EmailNotVerified,
        ErrorCode::InvalidToken,
        ErrorCode::RefreshConflict,
        ErrorCode::DossierIncomplete,
        ErrorCode::InvalidTransition,
        ErrorCode::IdempotencyInProgress,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::BillingIncomplete,
        ErrorCode::UnpaidInvoices,
        ErrorCode::MissingScope,
        ErrorCode::LastAdministrator,
        ErrorCode::MonthNotEnded,
        ErrorCode::YearNotEnded,
        ErrorCode::SlotFull,
        ErrorCode::MessagesNotAccepted,
    ];

    #[test]
    fn as_str_is_the_serialized_form() {
        for code in ALL {
            let json = serde_json::to_string(&code).expect("serializable");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn every_code_has_a_french_sentence() {
        for code in ALL {
            let message = code.message_fr();
            assert!(message.ends_with('.'), "{code}: {message}");
            assert!(message.chars().next().is_some_and(char::is_uppercase));
        }
    }
}
