//! The one error type of the HTTP layer, rendered as `application/problem+json` (RFC 9457)
//! with a stable `code`, a French `detail` and per-field `errors`. Each use-case's error is
//! told to the caller in one place, here: `accounts.rs`, `billing.rs`, `family.rs`,
//! `integrations.rs`, `planning.rs`, `preregistrations.rs` (`impl From<…Error> for ApiError`),
//! so a handler only writes `?`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use portail_domain::ErrorCode;
use portail_domain::api::{FieldError, Problem};
use portail_domain::parse::FieldErrors;
use portail_service::password::PasswordError;

mod accounts;
mod appointments;
mod billing;
mod family;
mod integrations;
mod messages;
mod planning;
mod preregistrations;
pub mod responses;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// An error the caller can act on: its status, code and French detail are sent as they are.
    #[error("{code}: {detail}")]
    Known {
        status: StatusCode,
        code: ErrorCode,
        detail: String,
        errors: Vec<FieldError>,
        retry_after_secs: Option<u64>,
    },
    /// Anything else: logged once here with its cause chain, answered opaquely.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::Known {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after_secs: None,
        }
    }

    /// The default answer for an absent resource (and for another family's: never 403).
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            ErrorCode::NotFound.message_fr(),
        )
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self::Known {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::ValidationFailed,
            detail: ErrorCode::ValidationFailed.message_fr().to_owned(),
            errors,
            retry_after_secs: None,
        }
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::Known {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: ErrorCode::RateLimited,
            detail: ErrorCode::RateLimited.message_fr().to_owned(),
            errors: Vec::new(),
            retry_after_secs: Some(retry_after_secs.max(1)),
        }
    }

    pub fn busy() -> Self {
        Self::Known {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: ErrorCode::ServiceUnavailable,
            detail: ErrorCode::ServiceUnavailable.message_fr().to_owned(),
            errors: Vec::new(),
            retry_after_secs: Some(2),
        }
    }

    /// The server is stopping (SIGTERM): another instance, or this one restarted, will answer.
    pub fn shutting_down() -> Self {
        Self::Known {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: ErrorCode::ServiceUnavailable,
            detail: "Le portail redémarre : réessayez dans quelques secondes.".to_owned(),
            errors: Vec::new(),
            retry_after_secs: Some(5),
        }
    }

    fn problem(&self) -> Problem {
        match self {
            Self::Known {
                status,
                code,
                detail,
                errors,
                ..
            } => Problem {
                errors: errors.clone(),
                ..Problem::new(status.as_u16(), *code, detail.clone())
            },
            Self::Unexpected(_) => {
                Problem::new(500, ErrorCode::Internal, ErrorCode::Internal.message_fr())
            }
        }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        Self::validation(errors.into_vec())
    }
}

impl From<PasswordError> for ApiError {
    fn from(error: PasswordError) -> Self {
        match error {
            PasswordError::Busy => Self::busy(),
            PasswordError::Unexpected(e) => Self::Unexpected(e),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Known { status, .. } => *status,
            Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Unexpected(error) = self {
            tracing::error!(error = ?error, "unexpected error while serving a request");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let Self::Known {
            retry_after_secs: Some(secs),
            ..
        } = self
        {
            response.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        response.body(body)
    }
}

/// Failures of actix's extractors (malformed JSON, wrong query string) as problems, in French.
pub mod extractor {
    use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
    use actix_web::{HttpRequest, http::StatusCode};
    use portail_domain::ErrorCode;

    use super::ApiError;

    pub fn json(error: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
        let api_error = match &error {
            JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::PayloadTooLarge,
                    ErrorCode::PayloadTooLarge.message_fr(),
                )
            }
            JsonPayloadError::ContentType => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::InvalidBody,
                "Le corps de la requête doit être du JSON (Content-Type: application/json).",
            ),
            JsonPayloadError::Deserialize(inner) => ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidBody,
                json_detail(inner),
            ),
            _ => ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidBody,
                ErrorCode::InvalidBody.message_fr(),
            ),
        };
        api_error.into()
    }

    pub fn query(error: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
        // The library's text (English) goes to the log, not to the caller.
        tracing::debug!(error = %error, "malformed query string");
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
            "Un paramètre de l'adresse est invalide : vérifiez les nombres, les dates \
             (AAAA-MM-JJ), les identifiants et les valeurs proposées par la documentation.",
        )
        .into()
    }

    /// A French sentence for a body that is not the expected JSON, with where it stops;
    /// never serde's English text (it goes to the log).
    pub fn json_detail(error: &serde_json::Error) -> String {
        use serde_json::error::Category;
        tracing::debug!(error = %error, "malformed JSON body");
        let place = format!("ligne {}, colonne {}", error.line(), error.column());
        match error.classify() {
            Category::Eof => {
                format!(
                    "Le corps de la requête est incomplet : le JSON s'arrête trop tôt ({place})."
                )
            }
            Category::Syntax | Category::Io => {
                format!("Le corps de la requête n'est pas du JSON valide ({place}).")
            }
            Category::Data => match missing_field(error) {
                Some(field) => format!("Le champ «\u{a0}{field}\u{a0}» est obligatoire."),
                None => format!(
                    "Une valeur du corps de la requête n'a pas le type ou le format attendu \
                     ({place}) : voir la documentation de l'API (/api/docs)."
                ),
            },
        }
    }

    /// serde's « missing field `name` »: the field's name is ours, not library text.
    fn missing_field(error: &serde_json::Error) -> Option<String> {
        let text = error.to_string();
        let rest = text.strip_prefix("missing field `")?;
        let name = rest.split('`').next()?;
        name.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
            .then(|| name.to_owned())
    }

    pub fn path(error: PathError, _req: &HttpRequest) -> actix_web::Error {
        // A malformed id in a path is an absent resource, like an unknown one.
        tracing::debug!(error = %error, "malformed path parameter");
        ApiError::not_found().into()
    }
}

/// The last line of defence: a panic in a handler (a bug) answers a 500 problem, logged,
/// instead of dropping the connection without an answer.
pub async fn catch_panics(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    use futures_util::FutureExt as _;
    // The request cannot be kept for the answer (routing needs it unshared): the error is
    // returned as such, and actix answers it with `ApiError`'s problem.
    match std::panic::AssertUnwindSafe(next.call(req))
        .catch_unwind()
        .await
    {
        Ok(result) => result.map(actix_web::dev::ServiceResponse::map_into_boxed_body),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(ApiError::Unexpected(anyhow::anyhow!("a handler panicked: {message}")).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{App, test, web};

    use super::*;

    #[actix_web::test]
    async fn a_panicking_handler_answers_a_500_problem_not_a_dropped_connection() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(catch_panics))
                .route(
                    "/boom",
                    web::get().to(|| async {
                        let pages: Vec<u64> = Vec::new();
                        // An index out of bounds: a bug, as the overflow of a page once was.
                        let page = pages.get(3).copied();
                        #[expect(clippy::unwrap_used, reason = "the bug this test stands for")]
                        let page = page.unwrap();
                        actix_web::HttpResponse::Ok().body(page.to_string())
                    }),
                )
                .route("/fine", web::get().to(|| async { "ok" })),
        )
        .await;
        // What actix's dispatcher turns an error of the service into: our problem.
        let error =
            test::try_call_service(&app, test::TestRequest::get().uri("/boom").to_request())
                .await
                .expect_err("the panic becomes an error, not a lost connection");
        let response = error.error_response();
        assert_eq!(response.status(), 500);
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some(PROBLEM_JSON)
        );
        let body: serde_json::Value = serde_json::from_slice(
            &actix_web::body::to_bytes(response.into_body())
                .await
                .expect("a body"),
        )
        .expect("json");
        assert_eq!(body["code"], "internal");
        let fine =
            test::call_service(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(fine.status(), 200);
    }
}
