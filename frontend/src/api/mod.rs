//! Calls to the portal's REST API, with its problem+json errors turned into French messages.

use gloo_net::http::{Request, Response};
use portail_domain::ErrorCode;
use portail_domain::api::{CommuneResponse, HealthResponse, Problem};
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
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiError::Network);
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

pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(path)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode(response).await
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
