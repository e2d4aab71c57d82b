//! The JSON body extractor of the API. Like `web::Json` (same limit, same French errors from
//! `error::extractor::json`), but the body must be a JSON **object**: serde's derived structs
//! also accept an array of their fields in order (`[null, null]` for a household), which the
//! specification does not allow and no client means.

use std::ops::Deref;

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use futures_util::future::LocalBoxFuture;
use portail_domain::ErrorCode;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::error::ApiError;

/// A request body read as a JSON object into `T`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // Content type, size limit and JSON syntax are checked by actix's extractor (and its
        // errors answered by `error::extractor::json`); the text is then read once into `T`.
        let raw = web::Json::<Box<RawValue>>::from_request(req, payload);
        Box::pin(async move {
            let raw = raw.await?.into_inner();
            let text = raw.get().trim_start();
            if !text.starts_with('{') {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::InvalidBody,
                    "Le corps de la requête doit être un objet JSON ({ … }).",
                )
                .into());
            }
            match serde_json::from_str(text) {
                Ok(value) => Ok(Json(value)),
                Err(error) => read_integral_floats(text).map(Json).ok_or_else(|| {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        ErrorCode::InvalidBody,
                        crate::error::extractor::json_detail(&error),
                    )
                    .into()
                }),
            }
        })
    }
}

/// JSON Schema counts `2.0` and `1e2` as integers, serde does not: a body refused for that is
/// read again with such numbers as integers. Only on the slow path, after a first refusal, so
/// that the usual body is read once; `2.5` stays refused.
fn read_integral_floats<T: DeserializeOwned>(text: &str) -> Option<T> {
    fn integral(value: &mut serde_json::Value) -> bool {
        use serde_json::Value;
        match value {
            Value::Number(number) if number.is_f64() => {
                let float = number.as_f64().unwrap_or(f64::NAN);
                // Within ±2^53 a float is an exact integer; beyond, it is not a count we take.
                let exact = float.fract() == 0.0 && float.abs() <= 9_007_199_254_740_992.0;
                if exact {
                    #[allow(clippy::cast_possible_truncation)]
                    let whole = float as i64;
                    *number = whole.into();
                }
                exact
            }
            // Every value is visited (no short circuit): all of them are rewritten.
            Value::Array(items) => items.iter_mut().map(integral).fold(false, |a, b| a | b),
            Value::Object(fields) => fields.values_mut().map(integral).fold(false, |a, b| a | b),
            _ => false,
        }
    }
    let mut value: serde_json::Value = serde_json::from_str(text).ok()?;
    if !integral(&mut value) {
        return None;
    }
    serde_json::from_value(value).ok()
}
