//! Access tokens: HS256 JWTs valid 15 minutes, bound to a session that the server checks on
//! every request (so logout and password changes end them at once).

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use portail_domain::auth::{AccountKind, StaffRole};
use portail_service::accounts::sessions::IssuedSession;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const ISSUER: &str = "portail-famille";
pub const AUDIENCE: &str = "portail-famille-api";
pub const ACCESS_TOKEN_TYPE: &str = "access";
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// The account's id.
    pub sub: Uuid,
    /// The session's id.
    pub sid: Uuid,
    /// Always `access`: no other kind of token is ever accepted in its place.
    pub typ: String,
    pub kind: AccountKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fam: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<StaffRole>,
    pub iat: i64,
    pub exp: i64,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &SecretString) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        // The algorithm is pinned: a token claiming `none` or RS256 is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry is checked against the server's clock (injectable in tests), below.
        validation.validate_exp = false;
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
        }
    }

    pub fn issue(&self, session: &IssuedSession, now: DateTime<Utc>) -> anyhow::Result<String> {
        let claims = AccessClaims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: session.account_id,
            sid: session.session_id,
            typ: ACCESS_TOKEN_TYPE.to_owned(),
            kind: session.kind,
            fam: session.family_id,
            role: session.role,
            iat: now.timestamp(),
            exp: now.timestamp() + ACCESS_TOKEN_SECONDS,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| anyhow::anyhow!("Failed to sign an access token: {e}"))
    }

    /// The token of an agent acting for a family: the agent's own session (`sid`), bound to
    /// the family (`fam`), valid until the session ends (30 minutes, no refresh).
    pub fn issue_acting(
        &self,
        staff_id: Uuid,
        role: StaffRole,
        session_id: Uuid,
        family_id: Uuid,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let claims = AccessClaims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: staff_id,
            sid: session_id,
            typ: ACCESS_TOKEN_TYPE.to_owned(),
            kind: AccountKind::Staff,
            fam: Some(family_id),
            role: Some(role),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| anyhow::anyhow!("Failed to sign an acting token: {e}"))
    }

    /// The claims of a valid, unexpired access token; `None` for anything else.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<AccessClaims> {
        let data = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map_err(|error| tracing::debug!(error = %error, "access token refused"))
            .ok()?;
        let claims = data.claims;
        (claims.typ == ACCESS_TOKEN_TYPE && claims.exp > now.timestamp()).then_some(claims)
    }
}
