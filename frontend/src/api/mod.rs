//! Calls to the portal's REST API, with its problem+json errors turned into French messages.
//! Calls that need an account go through [`authed`], which renews an expired access token
//! once from the session cookie and retries.

mod accounts;
mod family;
mod planning;
mod session;

pub use accounts::*;
pub use family::*;
pub use planning::*;
pub use session::{Session, SessionState, provide_sessions, use_family_session, use_staff_session};

use gloo_net::http::{Request, RequestBuilder, Response};
use portail_domain::ErrorCode;
use portail_domain::api::{CommuneResponse, FieldError, HealthResponse, Problem};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A failed call: the server's problem when it sent one, else a network failure.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    Problem(Problem),
    Network,
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
        }
    }

    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Problem(problem) => Some(problem.code),
            Self::Network => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Problem(problem) => Some(problem.status),
            Self::Network => None,
        }
    }

    /// The per-field errors of a 422.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Self::Problem(problem) => problem.errors.clone(),
            Self::Network => Vec::new(),
        }
    }
}

pub(crate) async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        // 202/204 answers without a body decode as `()` through `null`.
        let text = response.text().await.map_err(|_| ApiError::Network)?;
        let text = if text.is_empty() {
            "null".to_owned()
        } else {
            text
        };
        return serde_json::from_str(&text).map_err(|_| ApiError::Network);
    }
    let status = response.status();
    match response.json::<Problem>().await {
        Ok(problem) => Err(ApiError::Problem(problem)),
        Err(_) => Err(ApiError::Problem(Problem::new(
            status,
            ErrorCode::Internal,
            ErrorCode::Internal.message_fr(),
        ))),
    }
}

pub(crate) async fn send<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = request
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode(response).await
}

pub(crate) fn with_json<B: Serialize>(
    builder: RequestBuilder,
    body: Option<&B>,
) -> Result<Request, gloo_net::Error> {
    let builder = builder.header("Accept", "application/json");
    match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    }
}

pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    send(with_json::<()>(Request::get(path), None)).await
}

pub async fn post_json<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    send(with_json(Request::post(path), Some(body))).await
}

pub async fn get_health() -> Result<HealthResponse, ApiError> {
    // A degraded server answers 503 with the same body: read it either way.
    let response = Request::get("/api/v1/health")
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    response
        .json::<HealthResponse>()
        .await
        .map_err(|_| ApiError::Network)
}

pub async fn get_commune() -> Result<CommuneResponse, ApiError> {
    get_json("/api/v1/commune").await
}
