//! Access tokens: HS256 JWTs valid 15 minutes, bound to a session that the server checks on
//! every request (so logout and password changes end them at once).

use std::sync::{Arc, Mutex, RwLock};

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

/// The signing keys: the configured secret (`root`) and those `portail rotate-jwt-secret`
/// added (read from the database by every instance). Tokens are signed with the current key
/// and name it in their header (`kid`; none for `root`); a retired key is still accepted for
/// `signing_keys::grace()`, then refused.
pub struct JwtKeys {
    root: Arc<Key>,
    ring: RwLock<Ring>,
    validation: Validation,
    last_reload: Mutex<Option<std::time::Instant>>,
}

struct Key {
    kid: Option<String>,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Key {
    fn new(kid: Option<String>, secret: &[u8]) -> Self {
        Self {
            kid,
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

#[derive(Default)]
struct Ring {
    /// The key new tokens are signed with; `None`: the root key.
    signing: Option<Arc<Key>>,
    /// Stored keys still accepted, and until when (`None`: the current key).
    accepted: Vec<(Arc<Key>, Option<DateTime<Utc>>)>,
    /// When the root key stops being accepted (after a rotation).
    root_until: Option<DateTime<Utc>>,
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
            root: Arc::new(Key::new(None, bytes)),
            ring: RwLock::default(),
            validation,
            last_reload: Mutex::default(),
        }
    }

    /// Takes the stored keys (`signing_keys::load`) as they are now.
    pub fn apply(&self, stored: &[portail_service::signing_keys::StoredKey]) {
        use portail_service::signing_keys::{ROOT, grace};
        let mut ring = Ring::default();
        for row in stored {
            let until = row
                .retired_at
                .map(|at| portail_service::clock::after(at, grace()));
            if row.kid == ROOT {
                ring.root_until = until;
                continue;
            }
            let Some(secret) = &row.secret else {
                continue;
            };
            let key = Arc::new(Key::new(Some(row.kid.clone()), secret.as_bytes()));
            if row.retired_at.is_none() {
                ring.signing = Some(key.clone());
            }
            ring.accepted.push((key, until));
        }
        if let Ok(mut current) = self.ring.write() {
            *current = ring;
        }
    }

    /// Reads the stored keys again. On a token naming a key this instance does not know yet
    /// (another instance just rotated), at most once a second.
    pub async fn reload(&self, db: &portail_service::db::Connection) -> anyhow::Result<()> {
        let stored = portail_service::signing_keys::load(db).await?;
        self.apply(&stored);
        Ok(())
    }

    /// Whether a token names a key this instance does not know, and a reload is allowed now.
    pub fn should_reload_for(&self, token: &str) -> bool {
        let Ok(header) = jsonwebtoken::decode_header(token) else {
            return false;
        };
        let Some(kid) = header.kid else {
            return false;
        };
        let known = self.ring.read().is_ok_and(|ring| {
            ring.accepted
                .iter()
                .any(|(key, _)| key.kid.as_deref() == Some(kid.as_str()))
        });
        if known {
            return false;
        }
        let Ok(mut last) = self.last_reload.lock() else {
            return false;
        };
        let now = std::time::Instant::now();
        if last.is_some_and(|at| now.duration_since(at) < std::time::Duration::from_secs(1)) {
            return false;
        }
        *last = Some(now);
        true
    }

    fn signing(&self) -> Arc<Key> {
        self.ring
            .read()
            .ok()
            .and_then(|ring| ring.signing.clone())
            .unwrap_or_else(|| self.root.clone())
    }

    fn sign(&self, claims: &AccessClaims) -> anyhow::Result<String> {
        let key = self.signing();
        let mut header = Header::new(Algorithm::HS256);
        header.kid = key.kid.clone();
        jsonwebtoken::encode(&header, claims, &key.encoding)
            .map_err(|e| anyhow::anyhow!("Failed to sign an access token: {e}"))
    }

    /// The key a token names, if it is still accepted at `now`.
    fn key_for(&self, token: &str, now: DateTime<Utc>) -> Option<Arc<Key>> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        let ring = self.ring.read().ok()?;
        match header.kid.as_deref() {
            None | Some(portail_service::signing_keys::ROOT) => ring
                .root_until
                .is_none_or(|until| now < until)
                .then(|| self.root.clone()),
            Some(kid) => ring.accepted.iter().find_map(|(key, until)| {
                (key.kid.as_deref() == Some(kid) && until.is_none_or(|until| now < until))
                    .then(|| key.clone())
            }),
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
        self.sign(&claims)
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
        self.sign(&claims)
    }

    /// The claims of a valid, unexpired access token; `None` for anything else.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<AccessClaims> {
        let key = self.key_for(token, now)?;
        let data = jsonwebtoken::decode::<AccessClaims>(token, &key.decoding, &self.validation)
            .map_err(|error| tracing::debug!(error = %error, "access token refused"))
            .ok()?;
        let claims = data.claims;
        (claims.typ == ACCESS_TOKEN_TYPE && claims.exp > now.timestamp()).then_some(claims)
    }
}
