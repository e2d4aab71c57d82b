//! Calls to the portal's REST API, with its problem+json errors turned into French messages.
//! Calls that need an account go through [`authed`], which renews an expired access token
//! once from the session cookie and retries.

mod accounts;
mod billing;
mod family;
mod integrations;
mod planning;
mod preregistrations;
mod session;

pub use accounts::*;
pub use billing::*;
pub use family::*;
pub use integrations::*;
pub use planning::*;
pub use preregistrations::*;
pub use session::{
    ACTING_KEY, Session, SessionState, provide_sessions, use_family_session, use_staff_session,
};

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use portail_domain::ErrorCode;
use portail_domain::api::{CommuneResponse, FieldError, HealthResponse, Problem};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A failed call: the server's problem when it sent one, a network failure, or an answer the
/// app cannot read (a server newer or older than the app: reloading fixes it).
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    Problem(Problem),
    Network,
    UnexpectedAnswer,
}

impl ApiError {
    /// The sentence to show the user.
    pub fn message(&self) -> String {
        match self {
            Self::Problem(problem) => problem.detail.clone(),
            Self::Network => {
                "Le serveur ne répond pas. Vérifiez votre connexion internet puis réessayez."
                    .to_owned()
            }
            Self::UnexpectedAnswer => {
                "Le serveur a envoyé une réponse que cette page ne sait pas lire : \
                rechargez la page (une nouvelle version du portail est peut-être en ligne)."
                    .to_owned()
            }
        }
    }

    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Problem(problem) => Some(problem.code),
            Self::Network | Self::UnexpectedAnswer => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Problem(problem) => Some(problem.status),
            Self::Network | Self::UnexpectedAnswer => None,
        }
    }

    /// The per-field errors of a 422.
    /// The server's own words: each field error's message when it names some (a refused
    /// send says what is missing), else `message`. For a place with no field to show them by.
    pub fn reasons(&self) -> String {
        match self {
            Self::Problem(problem) if !problem.errors.is_empty() => problem
                .errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            other => other.message(),
        }
    }

    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Self::Problem(problem) => problem.errors.clone(),
            Self::Network | Self::UnexpectedAnswer => Vec::new(),
        }
    }
}

/// What a request carries.
pub(crate) enum Body<'a> {
    Empty,
    /// Already serialised, so the code that sends is written once, not once per body type.
    Json(String),
    /// A file, as the browser holds it.
    Bytes(&'a wasm_bindgen::JsValue),
}

impl Body<'_> {
    pub(crate) fn json<B: Serialize>(body: Option<&B>) -> Self {
        match body.map(serde_json::to_string) {
            Some(Ok(json)) => Self::Json(json),
            // Our own request types always serialise.
            Some(Err(_)) | None => Self::Empty,
        }
    }
}

/// One request: where, how, with what. Built once, sent once or twice (token renewal).
pub(crate) struct Outgoing<'a> {
    pub method: Method,
    pub path: &'a str,
    pub body: Body<'a>,
    pub idempotency_key: Option<&'a str>,
}

impl Outgoing<'_> {
    pub(crate) async fn send(&self, token: Option<&str>) -> Result<Response, ApiError> {
        let mut builder = RequestBuilder::new(self.path)
            .method(self.method.clone())
            .header("Accept", "application/json");
        if let Some(token) = token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        if let Some(key) = self.idempotency_key {
            builder = builder.header("Idempotency-Key", key);
        }
        let request = match &self.body {
            Body::Empty => builder.build(),
            Body::Json(json) => builder
                .header("Content-Type", "application/json")
                .body(json.as_str()),
            Body::Bytes(bytes) => builder
                .header("Content-Type", "application/octet-stream")
                .body(*bytes),
        };
        request
            .map_err(|_| ApiError::Network)?
            .send()
            .await
            .map_err(|_| ApiError::Network)
    }
}

/// A 2xx answer's text (`null` when it has no body), or the problem the server sent.
pub(crate) async fn answer_text(response: Response) -> Result<String, ApiError> {
    if response.ok() {
        let text = response.text().await.map_err(|_| ApiError::Network)?;
        return Ok(if text.is_empty() {
            "null".to_owned()
        } else {
            text
        });
    }
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    Err(ApiError::Problem(
        serde_json::from_str::<Problem>(&text).unwrap_or_else(|_| {
            Problem::new(
                status,
                ErrorCode::Internal,
                ErrorCode::Internal.message_fr(),
            )
        }),
    ))
}

/// The only generic step: reading the answer's JSON into `T`.
pub(crate) async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let text = answer_text(response).await?;
    serde_json::from_str(&text).map_err(|_| ApiError::UnexpectedAnswer)
}

async fn anonymous(outgoing: Outgoing<'_>) -> Result<Response, ApiError> {
    outgoing.send(None).await
}

pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(
        anonymous(Outgoing {
            method: Method::GET,
            path,
            body: Body::Empty,
            idempotency_key: None,
        })
        .await?,
    )
    .await
}

pub async fn post_json<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    decode(
        anonymous(Outgoing {
            method: Method::POST,
            path,
            body: Body::json(Some(body)),
            idempotency_key: None,
        })
        .await?,
    )
    .await
}

pub async fn get_health() -> Result<HealthResponse, ApiError> {
    // A degraded server answers 503 with the same body: read it either way.
    let response = Request::get("/api/v1/health")
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    serde_json::from_str(&text).map_err(|_| ApiError::UnexpectedAnswer)
}

pub async fn get_commune() -> Result<CommuneResponse, ApiError> {
    get_json("/api/v1/commune").await
}
