//! The access tokens' signing keys: the configured secret is the key `root`; `portail
//! rotate-jwt-secret` adds a new key that every instance signs with once it has read it, and
//! retires the previous one, still accepted for [`GRACE`] (the longest access token's life,
//! and the instances' reading interval), then dropped. See docs/authentication.md.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, Value};

/// The configured secret's key id (tokens without a `kid` are the root key's).
pub const ROOT: &str = "root";

/// How long a retired key is still accepted: an agent's acting token lives 30 minutes (a
/// family's 15), plus the time every instance takes to read the new key.
pub fn grace() -> chrono::Duration {
    chrono::Duration::minutes(31)
}

#[derive(Debug, Clone)]
pub struct StoredKey {
    pub kid: String,
    /// `None` for `root` (the configured secret, never stored) and for dropped keys.
    pub secret: Option<String>,
    pub created_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

/// Every key row, oldest first.
pub async fn load(db: &DatabaseConnection) -> anyhow::Result<Vec<StoredKey>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT kid, secret, created_at, retired_at FROM signing_key ORDER BY created_at, kid",
        ))
        .await
        .context("Failed to read the signing keys")?;
    rows.into_iter()
        .map(|row| {
            Ok(StoredKey {
                kid: row.try_get_by_index(0)?,
                secret: row.try_get_by_index(1)?,
                created_at: row.try_get_by_index(2)?,
                retired_at: row.try_get_by_index(3)?,
            })
        })
        .collect()
}

/// Adds a new signing key and retires the current one (the newest unretired, or `root`).
/// Returns the new key's id. Keys retired longer than [`grace`] ago lose their secret.
pub async fn rotate(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<String> {
    use rand::RngCore as _;
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut id = [0u8; 6];
    rand::rng().fill_bytes(&mut id);
    let kid = format!(
        "k{}-{}",
        now.format("%Y%m%d"),
        id.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    let txn = crate::db::begin(db)
        .await
        .context("Failed to begin a transaction")?;
    let backend = txn.get_database_backend();
    // The root key's row records its retirement (its secret is never stored).
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        "INSERT INTO signing_key (kid, secret, created_at, retired_at) VALUES ($1, NULL, $2, NULL) ON CONFLICT DO NOTHING",
        [Value::from(ROOT), Value::from(now)],
    ))
    .await
    .context("Failed to record the root key")?;
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        "UPDATE signing_key SET retired_at = $1 WHERE retired_at IS NULL",
        [Value::from(now)],
    ))
    .await
    .context("Failed to retire the signing key")?;
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        "INSERT INTO signing_key (kid, secret, created_at, retired_at) VALUES ($1, $2, $3, NULL)",
        [
            Value::from(kid.as_str()),
            Value::from(secret),
            Value::from(now),
        ],
    ))
    .await
    .context("Failed to store the new signing key")?;
    drop_expired(&txn, now).await?;
    txn.commit()
        .await
        .context("Failed to commit a key rotation")?;
    Ok(kid)
}

/// Forgets the secrets of keys retired longer than [`grace`] ago (their tokens are refused
/// either way; the row stays, saying when).
pub async fn drop_expired(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> anyhow::Result<u64> {
    let before = crate::clock::before(now, grace());
    let dropped = conn
        .execute_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            "UPDATE signing_key SET secret = NULL WHERE retired_at IS NOT NULL AND retired_at < $1 AND secret IS NOT NULL",
            [Value::from(before)],
        ))
        .await
        .context("Failed to drop the old signing keys")?;
    Ok(dropped.rows_affected())
}
