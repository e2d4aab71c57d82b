//! API keys: created by an admin, shown once, kept as a keyed hash, checked on every call
//! against the database (revocation is immediate on every instance), with a per-minute call
//! counter in the key's row that every instance shares.
//!
//! Why HMAC-SHA256 and not argon2: a key's secret is 256 random bits, so no guess list and no
//! amount of hashing speed makes a brute force possible; argon2 exists to protect low-entropy
//! human passwords. Argon2 on every API call would cost ~50 ms of CPU and 19 MiB per call, a
//! lever for anyone to saturate the server. The hash is keyed with a server secret (derived
//! from the JWT secret), so a copy of the database alone cannot even test a guess.

use anyhow::Context as _;
use chrono::Timelike as _;
use hmac::{Hmac, Mac as _};
use portail_domain::api::{ApiKeyResponse, NewApiKey};
use portail_domain::audit::action;
use portail_domain::auth::api_key::{ApiScope, KEY_PREFIX, LOOKUP_LEN, split_key};
use portail_entity::{api_key, staff};
use rand::Rng as _;
use sea_orm::sea_query::{Expr, ExprTrait as _, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityName as _, EntityTrait,
    QueryFilter, QueryOrder,
};
use sha2::Sha256;
use uuid::Uuid;

use super::IntegrationError;
use crate::Context;
use crate::change::{Audit, Change};
use portail_domain::ids::StaffId;

/// Hashes key secrets with a server-side key.
#[derive(Clone)]
pub struct KeyHasher {
    key: [u8; 32],
}

impl std::fmt::Debug for KeyHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyHasher(…)")
    }
}

impl KeyHasher {
    /// The hashing key, derived from a server secret (the JWT secret): every instance that
    /// shares it checks the same keys.
    pub fn derive(server_secret: &[u8]) -> Self {
        let mut mac = <Hmac<Sha256>>::new_from_slice(server_secret)
            .unwrap_or_else(|_| <Hmac<Sha256>>::new_from_slice(&[0]).expect("any length"));
        mac.update(b"portail-famille: api key hashing, v1");
        Self {
            key: mac.finalize().into_bytes().into(),
        }
    }

    pub fn hash(&self, secret: &str) -> String {
        let mut mac = <Hmac<Sha256>>::new_from_slice(&self.key).expect("any key length");
        mac.update(secret.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The instant a key whose last day is `day` stops: the next midnight in Paris.
fn end_of_day(day: chrono::NaiveDate) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone as _;
    let next = day.succ_opt()?.and_hms_opt(0, 0, 0)?;
    chrono_tz::Europe::Paris
        .from_local_datetime(&next)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// Equal in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0_u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A key that authenticated a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCaller {
    pub id: Uuid,
    pub name: String,
    /// The admin who created it: the staff member the key's actions are written under.
    pub created_by: Uuid,
    pub scopes: Vec<ApiScope>,
}

/// What a presented key is worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCheck {
    Valid(KeyCaller),
    /// Unknown, malformed, revoked or expired: one answer for all (nothing to learn).
    Refused,
    /// Over the per-minute limit; try again in this many seconds.
    RateLimited {
        retry_after_secs: u64,
    },
}

fn scopes_of(raw: &str) -> Vec<ApiScope> {
    raw.split(',').filter_map(ApiScope::parse).collect()
}

fn lookup_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..LOOKUP_LEN)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// Checks a presented key and counts the call (one read, one guarded update).
pub async fn authenticate(
    ctx: &Context,
    hasher: &KeyHasher,
    token: &str,
    per_minute: u32,
) -> anyhow::Result<KeyCheck> {
    let Some(parts) = split_key(token) else {
        return Ok(KeyCheck::Refused);
    };
    let now = ctx.clock.now();
    let Some(row) = api_key::Entity::find()
        .filter(api_key::Column::Lookup.eq(parts.lookup))
        .one(&ctx.db)
        .await
        .context("Failed to read an API key")?
    else {
        return Ok(KeyCheck::Refused);
    };
    if !same(&hasher.hash(parts.secret), &row.secret_hash)
        || row.revoked_at.is_some()
        || row.expires_at.is_some_and(|at| at <= now)
    {
        return Ok(KeyCheck::Refused);
    }
    // A key acts under the admin who created it: it stops when that account is deactivated.
    let creator_active = staff::Entity::find_by_id(row.created_by)
        .one(&ctx.db)
        .await
        .context("Failed to read an API key's creator")?
        .is_some_and(|s| s.active);
    if !creator_active {
        return Ok(KeyCheck::Refused);
    }
    // The minute's window: the counter restarts at each new minute; the update is refused
    // when the key was revoked meanwhile (on any instance).
    let window = now
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now);
    let update = Query::update()
        .table(api_key::Entity.table_ref())
        .value(
            api_key::Column::WindowCalls,
            Expr::case(
                Expr::col(api_key::Column::WindowStart).eq(window),
                Expr::col(api_key::Column::WindowCalls).add(1),
            )
            .finally(1),
        )
        .value(api_key::Column::WindowStart, window)
        .value(api_key::Column::LastUsedAt, now)
        .and_where(Expr::col(api_key::Column::Id).eq(row.id))
        .and_where(Expr::col(api_key::Column::RevokedAt).is_null())
        .returning_col(api_key::Column::WindowCalls)
        .to_owned();
    let backend = ctx.db.get_database_backend();
    let Some(counted) = ctx
        .db
        .query_one_raw(backend.build(&update))
        .await
        .context("Failed to count an API call")?
    else {
        return Ok(KeyCheck::Refused);
    };
    let calls: i32 = counted
        .try_get_by_index(0)
        .context("Failed to read an API key's calls")?;
    if u32::try_from(calls).unwrap_or(u32::MAX) > per_minute {
        let retry_after_secs = Ord::max(u64::from(60_u32.saturating_sub(now.second())), 1);
        return Ok(KeyCheck::RateLimited { retry_after_secs });
    }
    Ok(KeyCheck::Valid(KeyCaller {
        id: row.id,
        name: row.name,
        created_by: row.created_by,
        scopes: scopes_of(&row.scopes),
    }))
}

/// Writes a call made with a key in the audit log (key, operation, status), before the call
/// runs when its answer is not known yet (completed by `crate::family::audit::complete`).
/// Returns the row's id.
pub async fn record_call(ctx: &Context, key: &KeyCaller, detail: String) -> anyhow::Result<Uuid> {
    crate::family::audit::record_returning_id(
        &ctx.db,
        StaffId::from(key.created_by),
        action::API_KEY_CALL,
        None,
        Some(key.id),
        Some(detail),
        ctx.clock.now(),
    )
    .await
}

async fn respond<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<api_key::Model>,
) -> anyhow::Result<Vec<ApiKeyResponse>> {
    let creators: Vec<Uuid> = rows.iter().map(|r| r.created_by).collect();
    let names = staff::Entity::find()
        .filter(staff::Column::Id.is_in(creators))
        .all(conn)
        .await
        .context("Failed to read the keys' creators")?;
    Ok(rows
        .into_iter()
        .map(|row| ApiKeyResponse {
            id: row.id,
            prefix: format!("{KEY_PREFIX}{}", row.lookup),
            scopes: scopes_of(&row.scopes),
            created_by_name: names
                .iter()
                .find(|s| s.id == row.created_by)
                .map(|s| s.display_name.clone())
                .unwrap_or_default(),
            name: row.name,
            created_by: row.created_by,
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
            last_used_at: row.last_used_at,
        })
        .collect())
}

/// Every key, newest first.
pub async fn list(ctx: &Context) -> anyhow::Result<Vec<ApiKeyResponse>> {
    let rows = api_key::Entity::find()
        .order_by_desc(api_key::Column::CreatedAt)
        .all(&ctx.db)
        .await
        .context("Failed to list API keys")?;
    respond(&ctx.db, rows).await
}

/// Creates a key; its full secret is returned here only.
pub async fn create(
    ctx: &Context,
    hasher: &KeyHasher,
    admin_id: StaffId,
    new: &NewApiKey,
) -> anyhow::Result<(ApiKeyResponse, String)> {
    let now = ctx.clock.now();
    let lookup = lookup_id();
    let secret = crate::tokens::generate();
    let txn = crate::db::begin(&ctx.db).await?;
    let row = api_key::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(new.name.clone()),
        lookup: Set(lookup.clone()),
        secret_hash: Set(hasher.hash(&secret)),
        scopes: Set(new
            .scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",")),
        created_by: Set(admin_id.uuid()),
        created_at: Set(now),
        expires_at: Set(new.expires_on.and_then(end_of_day)),
        revoked_at: Set(None),
        revoked_by: Set(None),
        last_used_at: Set(None),
        window_start: Set(None),
        window_calls: Set(0),
    }
    .insert(&txn)
    .await
    .context("Failed to store an API key")?;
    Change::at(now)
        .audit(
            Audit::by(admin_id, action::CREATE_API_KEY)
                .target(row.id)
                .detail(new.name.clone()),
        )
        .commit(txn, &ctx.outbox, "an API key")
        .await?;
    let key = respond(&ctx.db, vec![row]).await?.pop().context("a key")?;
    Ok((key, format!("{KEY_PREFIX}{lookup}_{secret}")))
}

/// Revokes a key at once (a revoked key stays listed); revoking it again changes nothing.
pub async fn revoke(
    ctx: &Context,
    admin_id: StaffId,
    key_id: Uuid,
) -> Result<ApiKeyResponse, IntegrationError> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    let row = api_key::Entity::find_by_id(key_id)
        .one(&txn)
        .await?
        .ok_or(IntegrationError::NotFound)?;
    let revoked = api_key::Entity::update_many()
        .col_expr(api_key::Column::RevokedAt, Expr::value(now))
        .col_expr(api_key::Column::RevokedBy, Expr::value(admin_id))
        .filter(api_key::Column::Id.eq(key_id))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if revoked {
        Audit::by(admin_id, action::REVOKE_API_KEY)
            .target(key_id)
            .detail(row.name.clone())
            .write(&txn, now)
            .await?;
    }
    txn.commit()
        .await
        .context("Failed to commit a revocation")?;
    let row = api_key::Entity::find_by_id(key_id)
        .one(&ctx.db)
        .await?
        .ok_or(IntegrationError::NotFound)?;
    respond(&ctx.db, vec![row])
        .await?
        .pop()
        .ok_or(IntegrationError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_keyed_and_stable() {
        let a = KeyHasher::derive(b"server secret one");
        let b = KeyHasher::derive(b"server secret two");
        assert_eq!(a.hash("s"), a.hash("s"));
        assert_ne!(a.hash("s"), b.hash("s"));
        assert_ne!(a.hash("s"), a.hash("t"));
        assert_eq!(a.hash("s").len(), 64);
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }

    #[test]
    fn lookups_have_the_documented_shape() {
        let id = lookup_id();
        assert_eq!(id.len(), LOOKUP_LEN);
        let key = format!("{KEY_PREFIX}{id}_{}", crate::tokens::generate());
        assert!(split_key(&key).is_some(), "{key}");
    }
}
