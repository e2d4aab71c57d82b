//! Messages with the services' bodies (issue 24, point 2; rules: `rules::messages`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ServiceCode;
use crate::parse::{FieldErrors, InvalidValue, message_text, required_text};
use crate::rules::messages::{BODY_MAX, CAPTION_MAX, ConversationStatus, SUBJECT_MAX};

/// Écrire à un service : l'objet et le premier message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewConversationRequest {
    pub service: ServiceCode,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 120,
            pattern = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$"
        )
    )]
    pub subject: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 5000,
            pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
        )
    )]
    pub body: String,
}

fn body_of(raw: &str, max: usize, e: &mut FieldErrors, field: &str) -> Option<String> {
    match message_text(raw, max) {
        Ok(Some(body)) => Some(body),
        Ok(None) => {
            e.push(
                field,
                InvalidValue::new("required", "Écrivez votre message."),
            );
            None
        }
        Err(invalid) => {
            e.push(field, invalid);
            None
        }
    }
}

impl NewConversationRequest {
    /// The subject and the message, checked.
    pub fn validate(&self) -> Result<(String, String), FieldErrors> {
        let mut e = FieldErrors::default();
        let subject = match required_text(&self.subject, SUBJECT_MAX) {
            Ok(subject) => Some(subject),
            Err(invalid) => {
                e.push("subject", invalid);
                None
            }
        };
        let body = body_of(&self.body, BODY_MAX, &mut e, "body");
        match (subject, body) {
            (Some(subject), Some(body)) if e.is_empty() => Ok((subject, body)),
            _ => Err(e),
        }
    }
}

/// Répondre dans une conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 5000,
            pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
        )
    )]
    pub body: String,
}

impl MessageRequest {
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::default();
        match body_of(&self.body, BODY_MAX, &mut e, "body") {
            Some(body) => Ok(body),
            None => Err(e),
        }
    }
}

/// Joindre un fichier (PDF, JPEG ou PNG, 10 Mo au plus) : le fichier est le corps de la
/// requête, son nom et le mot qui l'accompagne sont des paramètres.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct AttachmentQuery {
    /// Le nom du fichier (« ordonnance.pdf »).
    #[cfg_attr(feature = "openapi", param(max_length = 200))]
    pub filename: String,
    /// Un mot avec le fichier (facultatif).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(max_length = 1000))]
    pub body: Option<String>,
}

impl AttachmentQuery {
    /// The caption, checked (empty is none).
    pub fn caption(&self) -> Result<String, FieldErrors> {
        message_text(self.body.as_deref().unwrap_or_default(), CAPTION_MAX)
            .map(Option::unwrap_or_default)
            .map_err(|invalid| FieldErrors::one("body", invalid))
    }
}

/// Clore une conversation (plus rien à faire) ou la rouvrir.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationStatusRequest {
    pub status: ConversationStatus,
}

/// Les conversations d'une famille, ou la boîte de réception du personnel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ConversationQuery {
    /// Un seul service.
    pub service: Option<ServiceCode>,
    /// `open` ou `closed`.
    pub status: Option<ConversationStatus>,
    /// Seulement celles qui ont un message non lu.
    pub unread: Option<bool>,
    /// À partir de 1.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100_000))]
    pub page: Option<u64>,
    /// 50 par défaut.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u64>,
}

/// Une conversation, sans ses messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationSummary {
    pub id: Uuid,
    pub service: ServiceCode,
    /// Le nom du service, tel que la commune l'écrit.
    pub service_name: String,
    pub subject: String,
    pub status: ConversationStatus,
    pub family_id: Uuid,
    /// Le nom de la famille (pour le personnel ; absent pour la famille elle-même).
    pub family_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_message_at: DateTime<Utc>,
    /// Un message de l'autre côté attend d'être lu par qui regarde.
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationList {
    pub items: Vec<ConversationSummary>,
    pub total: u64,
}

/// Un fichier joint à un message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentInfo {
    pub filename: String,
    pub content_type: String,
    pub size_bytes: u64,
}

/// Un message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageItem {
    pub id: Uuid,
    /// Écrit par la famille (ou pour elle, à l'accueil) plutôt que par le service.
    pub from_family: bool,
    /// Qui l'a écrit, tel que le lecteur doit le lire (« Vous », le service, la famille, l'agent).
    pub author: String,
    /// Écrit pour la famille par un agent à l'accueil : son nom.
    pub written_for_family_by: Option<String>,
    pub body: String,
    pub sent_at: DateTime<Utc>,
    pub attachment: Option<AttachmentInfo>,
}

/// Une conversation et tous ses messages, du plus ancien au plus récent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationResponse {
    pub conversation: ConversationSummary,
    pub messages: Vec<MessageItem>,
}

/// La boîte de réception d'un service : conversations ouvertes, et non lues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxCount {
    pub service: ServiceCode,
    pub service_name: String,
    pub open: u64,
    pub unread: u64,
}

/// Les boîtes de réception que lit l'agent (les services qui lui sont confiés).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxCounts {
    pub items: Vec<InboxCount>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_needs_a_subject_and_words_within_bounds() {
        let ok = NewConversationRequest {
            service: ServiceCode::Rpe,
            subject: "  Atelier d'éveil  ".to_owned(),
            body: "Bonjour,\nreste-t-il une place ?\n".to_owned(),
        };
        assert_eq!(
            ok.validate(),
            Ok((
                "Atelier d'éveil".to_owned(),
                "Bonjour,\nreste-t-il une place ?".to_owned()
            ))
        );
        let empty = NewConversationRequest {
            subject: " ".to_owned(),
            body: "\n ".to_owned(),
            ..ok.clone()
        };
        let errors = empty.validate().expect_err("empty");
        assert!(errors.message_for("subject").is_some());
        assert_eq!(
            errors.message_for("body").as_deref(),
            Some("Écrivez votre message.")
        );
        let long = MessageRequest {
            body: "a".repeat(BODY_MAX + 1),
        };
        assert!(long.validate().is_err());
        let control = MessageRequest {
            body: "bonjour\u{7}".to_owned(),
        };
        assert!(control.validate().is_err());
        let caption = AttachmentQuery {
            filename: "a.pdf".to_owned(),
            body: None,
        };
        assert_eq!(caption.caption(), Ok(String::new()));
    }
}
