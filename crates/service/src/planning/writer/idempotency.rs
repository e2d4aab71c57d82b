//! The idempotency keys of a batch: claimed (a transaction-scoped advisory lock on
//! PostgreSQL, the write lock on SQLite), read once, and stored with their answers by the
//! transaction that applies the recaps.

use std::collections::HashSet;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use portail_domain::api::BookingBatchResponse;
use portail_domain::ids::FamilyId;
use portail_entity::idempotency_key;
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, QueryFilter, Statement,
};

use crate::planning::sql;

use super::*;

/// Reads what is stored for the batch's idempotency keys, in one statement, after taking
/// their advisory locks on PostgreSQL (a key locked by another transaction, on any instance,
/// is answered « in progress »). Holding the lock, or SQLite's write lock, no other
/// transaction can store the key before this one commits: the answers are inserted at the
/// end, in one statement ([`store_keys`]). Expired keys are deleted here, as the purge would.
pub(super) async fn read_keys(
    txn: &DatabaseTransaction,
    jobs: &[&Job],
    now: DateTime<Utc>,
    ttl: chrono::Duration,
) -> anyhow::Result<Keys> {
    let mut keys = Keys::default();
    let ids: HashSet<KeyId> = jobs
        .iter()
        .filter_map(|j| {
            j.submission
                .idempotency
                .as_ref()
                .map(|(key, _)| (j.submission.family_id, key.clone()))
        })
        .collect();
    if ids.is_empty() {
        return Ok(keys);
    }
    let backend = txn.get_database_backend();
    if backend == DatabaseBackend::Postgres {
        for (family_id, key) in &ids {
            let locked = txn
                .query_one_raw(Statement::from_sql_and_values(
                    backend,
                    "SELECT pg_try_advisory_xact_lock($1)",
                    [key_lock(FamilyId::from(*family_id), key).into()],
                ))
                .await
                .context("Failed to lock an idempotency key")?
                .map(|row| row.try_get_by_index::<bool>(0))
                .transpose()
                .context("Failed to read an advisory lock")?;
            if locked != Some(true) {
                keys.busy.insert((*family_id, key.clone()));
            }
        }
    }
    let mut expired = Vec::new();
    for row in idempotency_key::Entity::find()
        .filter(sql::keys_condition(ids.iter()))
        .all(txn)
        .await
        .context("Failed to read idempotency keys")?
    {
        let id = (row.family_id, row.key);
        if crate::clock::after(row.created_at, ttl) < now {
            expired.push(id);
        } else {
            keys.stored.insert(id, (row.request_hash, row.response));
        }
    }
    if !expired.is_empty() {
        idempotency_key::Entity::delete_many()
            .filter(sql::keys_condition(expired.iter()))
            .exec(txn)
            .await
            .context("Failed to forget expired idempotency keys")?;
    }
    Ok(keys)
}

/// Inserts the answers of the recaps applied in this transaction, with their keys.
pub(super) async fn store_keys(
    txn: &DatabaseTransaction,
    keys: &Keys,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if keys.new.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::with_capacity(keys.new.len());
    for ((family_id, key), (hash, response)) in &keys.new {
        rows.push(idempotency_key::ActiveModel {
            family_id: sea_orm::ActiveValue::Set(*family_id),
            key: sea_orm::ActiveValue::Set(key.clone()),
            request_hash: sea_orm::ActiveValue::Set(hash.clone()),
            response: sea_orm::ActiveValue::Set(serde_json::to_string(response)?),
            created_at: sea_orm::ActiveValue::Set(now),
        });
    }
    // A plain insert: a key stored meanwhile would be a broken guarantee, and fails the batch
    // (its recaps are then tried one by one, and the retry finds the key).
    idempotency_key::Entity::insert_many(rows)
        .exec(txn)
        .await
        .context("Failed to store idempotency keys")?;
    Ok(())
}

/// What the batch knows of a recap's key: `None` when the recap is to be applied.
pub(super) fn known(
    state: &TxnState,
    submission: &Submission,
) -> anyhow::Result<Option<Result<BookingBatchResponse, WriteError>>> {
    let Some((key, hash)) = &submission.idempotency else {
        return Ok(None);
    };
    let id = (submission.family_id, key.clone());
    if state.keys.busy.contains(&id) {
        return Ok(Some(Err(WriteError::InProgress)));
    }
    if let Some((stored_hash, response)) = state.keys.stored.get(&id) {
        if stored_hash != hash {
            return Ok(Some(Err(WriteError::KeyReused)));
        }
        let answer = serde_json::from_str(response).context("a stored answer")?;
        return Ok(Some(Ok(answer)));
    }
    if let Some((first_hash, answer)) = state.keys.new.get(&id) {
        // The same key twice in one batch (a retry queued behind its first try).
        return Ok(Some(if first_hash == hash {
            Ok(answer.clone())
        } else {
            Err(WriteError::KeyReused)
        }));
    }
    Ok(None)
}

/// The advisory lock of a family's key: 64 bits of its SHA-256.
pub(super) fn key_lock(family_id: FamilyId, key: &str) -> i64 {
    use sha2::{Digest as _, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(family_id.uuid().as_bytes());
    hasher.update(key.as_bytes());
    let digest = hasher.finalize();
    let mut first = [0_u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}
