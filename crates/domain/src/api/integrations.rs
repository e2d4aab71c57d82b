//! Integrators (issue 14): API keys, webhooks and their deliveries, the family's calendar
//! feed, and the incremental listing of bookings.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::api_key::ApiScope;
use crate::parse::{FieldErrors, InvalidValue};
use crate::rules::webhooks::{DeliveryStatus, WebhookEvent};

/// Créer une clé d'API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiKeyRequest {
    /// Le nom qui dit à quoi sert la clé (« Logiciel de comptabilité »), 1 à 100 caractères.
    pub name: String,
    /// Les permissions de la clé, une au moins.
    pub scopes: Vec<String>,
    /// Le dernier jour de validité de la clé (facultatif, à venir, dans cinq ans au plus) :
    /// elle est refusée dès le lendemain, minuit à Paris.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::api::wire::Day>))]
    pub expires_on: Option<NaiveDate>,
}

/// A key's request, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiKey {
    pub name: String,
    pub scopes: Vec<ApiScope>,
    /// The last day the key works (Paris).
    pub expires_on: Option<NaiveDate>,
}

impl CreateApiKeyRequest {
    /// `today`: the Paris date.
    pub fn validate(&self, today: NaiveDate) -> Result<NewApiKey, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            e.push(
                "name",
                InvalidValue::new("required", "Donnez un nom à la clé."),
            );
        } else if name.chars().count() > 100 {
            e.push(
                "name",
                InvalidValue::new("too_long", "100 caractères au plus."),
            );
        }
        let scopes = e.check("scopes", crate::auth::api_key::parse_scopes(&self.scopes));
        if let Some(last_day) = self.expires_on {
            let latest = today.checked_add_signed(chrono::Duration::days(5 * 366));
            if last_day < today {
                e.push(
                    "expires_on",
                    InvalidValue::new(
                        "out_of_range",
                        "Le dernier jour de validité ne peut pas être passé.",
                    ),
                );
            } else if latest.is_some_and(|latest| last_day > latest) {
                e.push(
                    "expires_on",
                    InvalidValue::new("out_of_range", "Cinq ans au plus."),
                );
            }
        }
        match scopes {
            Some(scopes) if e.is_empty() => Ok(NewApiKey {
                name,
                scopes,
                expires_on: self.expires_on,
            }),
            _ => Err(e),
        }
    }
}

/// Une clé d'API (sans son secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyResponse {
    pub id: Uuid,
    pub name: String,
    /// Le début de la clé (`pf_live_` et son identifiant public), pour la reconnaître.
    pub prefix: String,
    pub scopes: Vec<ApiScope>,
    pub created_by: Uuid,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Le dernier appel fait avec la clé (à la minute près).
    pub last_used_at: Option<DateTime<Utc>>,
}

/// La clé créée : son secret n'est donné qu'ici, une seule fois.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKeyResponse {
    pub key: ApiKeyResponse,
    /// La clé entière, à présenter en `Authorization: Bearer …`. Elle n'est plus jamais
    /// affichée : seule une empreinte est gardée.
    pub secret: String,
}

/// Les clés d'API, des plus récentes aux plus anciennes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyListResponse {
    pub items: Vec<ApiKeyResponse>,
}

/// S'abonner à des événements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateWebhookRequest {
    /// L'adresse qui reçoit les événements (`https://…`).
    pub url: String,
    /// À quoi sert l'abonnement (facultatif, 200 caractères au plus).
    #[serde(default)]
    pub description: String,
    /// Les événements envoyés, un au moins.
    pub events: Vec<WebhookEvent>,
}

/// A subscription's request, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    pub url: String,
    pub description: String,
    /// Sorted, once each.
    pub events: Vec<WebhookEvent>,
}

impl CreateWebhookRequest {
    /// `allow_private`: a test build's `http://localhost` and private addresses.
    pub fn validate(&self, allow_private: bool) -> Result<NewWebhook, FieldErrors> {
        let mut e = FieldErrors::default();
        let url = e.check(
            "url",
            crate::rules::webhooks::check_url(&self.url, allow_private),
        );
        let description = self.description.trim().to_owned();
        if description.chars().count() > 200 {
            e.push(
                "description",
                InvalidValue::new("too_long", "200 caractères au plus."),
            );
        }
        let mut events = self.events.clone();
        events.sort_by_key(|event| event.as_str());
        events.dedup();
        if events.is_empty() {
            e.push(
                "events",
                InvalidValue::new("required", "Choisissez au moins un événement."),
            );
        }
        match url {
            Some(url) if e.is_empty() => Ok(NewWebhook {
                url: url.to_string(),
                description,
                events,
            }),
            _ => Err(e),
        }
    }
}

/// Un abonnement (sans son secret de signature).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookResponse {
    pub id: Uuid,
    pub url: String,
    pub description: String,
    pub events: Vec<WebhookEvent>,
    pub created_at: DateTime<Utc>,
    /// Envois en attente, remis et en échec.
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
}

/// L'abonnement créé et son secret de signature, donné une seule fois : il vérifie l'en-tête
/// `Portail-Signature` (HMAC-SHA256 de `horodatage.corps`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedWebhookResponse {
    pub webhook: WebhookResponse,
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookListResponse {
    pub items: Vec<WebhookResponse>,
}

/// Un envoi d'un événement à un abonnement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDeliveryResponse {
    pub id: Uuid,
    pub event_id: Uuid,
    pub event: WebhookEvent,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// Le code HTTP de la dernière réponse du destinataire.
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
}

/// Les envois d'un abonnement, des plus récents aux plus anciens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDeliveryListResponse {
    pub items: Vec<WebhookDeliveryResponse>,
    pub total: u64,
}

/// Le calendrier de la famille : une adresse secrète à ajouter à l'agenda du téléphone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeedResponse {
    pub enabled: bool,
    /// L'adresse du flux (`https://…/api/v1/calendar/….ics`), quand il est activé.
    pub url: Option<String>,
}

/// Une réservation, pour les intégrateurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingRecord {
    pub id: Uuid,
    pub family_id: Uuid,
    pub child_id: Uuid,
    pub unit_id: Uuid,
    pub service: crate::ServiceCode,
    pub date: NaiveDate,
    pub status: super::BookingStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Une page de réservations, dans l'ordre de leur dernière modification : pour suivre les
/// changements, repartir de `next_cursor` (ou de `updated_since`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingRecordPage {
    pub items: Vec<BookingRecord>,
    /// À passer en `cursor` pour la page suivante ; absent à la fin.
    pub next_cursor: Option<String>,
}

/// Lister les réservations, pour une synchronisation incrémentale.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default)]
pub struct BookingRecordQuery {
    /// Un seul service (sinon tous ceux de l'appelant).
    pub service: Option<crate::ServiceCode>,
    /// Seulement les réservations modifiées depuis cet instant (RFC 3339), incluses.
    #[serde(deserialize_with = "crate::api::wire::option_instant")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<crate::api::wire::Instant>))]
    pub updated_since: Option<DateTime<Utc>>,
    /// Le `next_cursor` de la page précédente.
    pub cursor: Option<String>,
    /// 100 par défaut, 500 au plus.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub per_page: Option<u64>,
}

/// The largest page of `list_bookings`.
pub const MAX_RECORDS_PER_PAGE: u64 = 500;

impl BookingRecordQuery {
    /// The page size, checked (never clamped).
    pub fn limit(&self) -> Result<u64, FieldErrors> {
        let limit = self.per_page.unwrap_or(100);
        if (1..=MAX_RECORDS_PER_PAGE).contains(&limit) {
            Ok(limit)
        } else {
            let mut e = FieldErrors::default();
            e.push(
                "per_page",
                InvalidValue::new(
                    "out_of_range",
                    format!("Entre 1 et {MAX_RECORDS_PER_PAGE} lignes par page."),
                ),
            );
            Err(e)
        }
    }
}

/// Exporter les réservations d'un service pour un mois.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct BookingExportQuery {
    pub service: crate::ServiceCode,
    /// Le mois, `AAAA-MM`.
    pub month: String,
}

/// Exporter les factures et avoirs d'un mois.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct InvoiceExportQuery {
    /// Le mois facturé, `AAAA-MM`.
    pub month: String,
}

/// Exporter les paiements reçus entre deux jours (inclus), un an au plus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PaymentExportQuery {
    #[cfg_attr(feature = "openapi", param(value_type = crate::api::wire::Day))]
    pub from: NaiveDate,
    #[cfg_attr(feature = "openapi", param(value_type = crate::api::wire::Day))]
    pub to: NaiveDate,
}

impl PaymentExportQuery {
    /// The first and last days, checked: in order, 366 days at most.
    pub fn validate(&self) -> Result<(NaiveDate, NaiveDate), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.to < self.from {
            e.push(
                "to",
                InvalidValue::new("out_of_range", "Le dernier jour vient après le premier."),
            );
        } else if (self.to - self.from).num_days() > 366 {
            e.push(
                "to",
                InvalidValue::new("out_of_range", "Un an au plus par export."),
            );
        }
        e.into_result((self.from, self.to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).expect("a date")
    }

    #[test]
    fn a_key_needs_a_name_known_scopes_and_a_future_expiry() {
        let request = CreateApiKeyRequest {
            name: "  Compta  ".into(),
            scopes: vec![
                "invoices:read".into(),
                "families:read".into(),
                "invoices:read".into(),
            ],
            expires_on: None,
        };
        let key = request.validate(today()).expect("valid");
        assert_eq!(key.name, "Compta");
        assert_eq!(key.scopes, [ApiScope::FamiliesRead, ApiScope::InvoicesRead]);
        let bad = CreateApiKeyRequest {
            name: " ".into(),
            scopes: vec!["everything".into()],
            expires_on: today().pred_opt(),
        };
        let errors = bad.validate(today()).expect_err("refused");
        let fields: Vec<String> = errors.into_vec().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "scopes", "expires_on"]);
        let last_day = CreateApiKeyRequest {
            expires_on: Some(today()),
            ..request.clone()
        };
        assert!(last_day.validate(today()).is_ok(), "today is its last day");
        let far = CreateApiKeyRequest {
            expires_on: today().checked_add_signed(chrono::Duration::days(3000)),
            ..request
        };
        assert!(far.validate(today()).is_err());
    }
}
