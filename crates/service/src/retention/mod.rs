//! Keeping data no longer than its purpose needs (RGPD), by the durations of
//! [`RetentionPolicy`]: erasing a family (on its request, by a staff member's button; or once
//! inactive for years; or never confirmed), deleting refused and replaced documents, old
//! audit rows, and anonymising invoices and payments past the public-accounting duration.
//! A family that owes money or has a request open is never erased: staff are told why.
//! Every run writes what it did in the audit log. See docs/operations.md.

use std::collections::HashMap;

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use portail_domain::ids::{FamilyId, StaffId};
use portail_domain::rules::retention::{
    Cutoffs, DocumentFacts, ErasureBlocker, ErasureFacts, RetentionPolicy, document_expired,
    erasure_blockers,
};
use sea_orm::{ConnectionTrait, DatabaseTransaction, Statement, Value};
use uuid::Uuid;

use crate::Context;
use crate::change::{Audit, Change};

mod report;

pub use report::Report;

/// The audit rows of the retention job name no staff member: the portal itself.
pub const SYSTEM: Uuid = Uuid::nil();

/// Why a family is erased (the audit row's detail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The family asked (a staff member pressed the button).
    Request,
    /// No login for the policy's years.
    Inactive,
    /// The e-mail address was never confirmed.
    Unconfirmed,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Inactive => "inactive",
            Self::Unconfirmed => "unconfirmed",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EraseError {
    #[error("no such family")]
    NotFound,
    #[error("the family cannot be erased yet: {0:?}")]
    Blocked(Vec<ErasureBlocker>),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// What stands in the way of erasing a family now (empty: it can be).
pub async fn blockers(
    conn: &impl ConnectionTrait,
    family_id: FamilyId,
    today: NaiveDate,
) -> anyhow::Result<Vec<ErasureBlocker>> {
    let owed = crate::billing::payments::balance(conn, family_id, today)
        .await?
        .balance_cents;
    let count = |sql: &'static str, dated: bool| {
        let mut values = vec![Value::from(family_id)];
        if dated {
            values.push(Value::from(today));
        }
        let statement = Statement::from_sql_and_values(conn.get_database_backend(), sql, values);
        async move {
            let row = conn
                .query_one_raw(statement)
                .await
                .context("Failed to count a family's open requests")?
                .context("no row")?;
            anyhow::Ok(u64::try_from(row.try_get_by_index::<i64>(0)?).unwrap_or(0))
        }
    };
    let facts = ErasureFacts {
        owed_cents: owed,
        open_preregistrations: count(
            "SELECT COUNT(*) FROM preregistration WHERE family_id = $1 \
             AND status IN ('deposee', 'en_commission', 'proposee')",
            false,
        )
        .await?,
        waiting_entries: count(
            "SELECT COUNT(*) FROM waiting_entry WHERE family_id = $1 \
             AND status IN ('waiting', 'offered') AND date >= $2",
            true,
        )
        .await?,
        pending_requests: count(
            "SELECT COUNT(*) FROM booking WHERE family_id = $1 AND status = 'requested' AND date >= $2",
            true,
        )
        .await?,
        upcoming_bookings: count(
            "SELECT COUNT(*) FROM booking WHERE family_id = $1 AND status = 'booked' AND date >= $2",
            true,
        )
        .await?,
    };
    Ok(erasure_blockers(&facts))
}

/// What erasing the family would do now (for staff, before the button).
pub async fn preview(
    ctx: &Context,
    family_id: FamilyId,
) -> anyhow::Result<Option<portail_domain::api::ErasurePreview>> {
    use portail_domain::api::{ErasurePreview, KeptData};
    use portail_domain::rules::retention::{ERASED_FR, KEPT_FR};
    use sea_orm::EntityTrait as _;
    let Some(family) = portail_entity::family::Entity::find_by_id(family_id)
        .one(&ctx.db)
        .await
        .context("Failed to read a family")?
    else {
        return Ok(None);
    };
    let blockers = blockers(&ctx.db, family_id, ctx.clock.today()).await?;
    Ok(Some(ErasurePreview {
        deletion_requested_at: family.deletion_requested_at,
        blockers: blockers.iter().map(|b| b.label_fr()).collect(),
        erased: ERASED_FR.iter().map(|s| (*s).to_owned()).collect(),
        kept: KEPT_FR
            .iter()
            .map(|(what, why)| KeptData {
                what: (*what).to_owned(),
                why: (*why).to_owned(),
            })
            .collect(),
    }))
}

/// Erases a family: its account, sessions, household, children, bookings, documents (files
/// too) and requests; its invoices and payments stay (public accounting), as does the audit
/// log. Refused, saying why, while it owes money or has a request open.
pub async fn erase_family(
    ctx: &Context,
    family_id: FamilyId,
    reason: Reason,
    by: Uuid,
) -> Result<(), EraseError> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let exists = one_count(
        &txn,
        "SELECT COUNT(*) FROM family WHERE id = $1",
        family_id.uuid(),
    )
    .await?;
    if exists == 0 {
        return Err(EraseError::NotFound);
    }
    let stopping = blockers(&txn, family_id, ctx.clock.today()).await?;
    if !stopping.is_empty() {
        return Err(EraseError::Blocked(stopping));
    }
    // Its sessions end at once (tombstoned before the commit, like every revocation).
    let sessions: Vec<Uuid> = txn
        .query_all_raw(Statement::from_sql_and_values(
            txn.get_database_backend(),
            "SELECT id FROM session WHERE acting_family_id = $1 OR (account_kind = 'family' \
             AND account_id IN (SELECT id FROM family_account WHERE family_id = $1))",
            [Value::from(family_id)],
        ))
        .await
        .context("Failed to list a family's sessions")?
        .into_iter()
        .map(|row| row.try_get_by_index::<Uuid>(0))
        .collect::<Result<_, _>>()
        .context("Failed to read a session id")?;
    for session in sessions {
        ctx.sessions.revoke(session);
    }
    let keys = erase_in(&txn, family_id).await?;
    Change::at(now)
        .audit(
            Audit::by(
                StaffId::from(by),
                portail_domain::audit::action::ERASE_FAMILY,
            )
            .family(family_id)
            .detail(reason.as_str().to_owned()),
        )
        .commit(txn, &ctx.outbox, "an erasure")
        .await?;
    for key in keys {
        ctx.documents.remove(&key).await;
    }
    Ok(())
}

/// Deletes the family's rows (cascading to its file, bookings and requests); returns the
/// stored documents' keys, removed from the disk once committed.
async fn erase_in(txn: &DatabaseTransaction, family_id: FamilyId) -> anyhow::Result<Vec<String>> {
    let backend = txn.get_database_backend();
    let mut keys: Vec<String> = txn
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            "SELECT storage_key FROM document WHERE family_id = $1",
            [Value::from(family_id)],
        ))
        .await
        .context("Failed to list a family's documents")?
        .into_iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<Result<Vec<String>, _>>()?;
    keys.extend(
        crate::messages::attachment_keys(txn, "family_id = $1", Value::from(family_id)).await?,
    );
    for sql in [
        // The account's sessions (their refresh tokens cascade), e-mailed links, agents'
        // sessions acting for the family, remembered recaps.
        "DELETE FROM session WHERE account_kind = 'family' AND account_id IN \
         (SELECT id FROM family_account WHERE family_id = $1)",
        "DELETE FROM session WHERE acting_family_id = $1",
        "DELETE FROM email_token WHERE account_kind = 'family' AND account_id IN \
         (SELECT id FROM family_account WHERE family_id = $1)",
        "DELETE FROM idempotency_key WHERE family_id = $1",
        "DELETE FROM attendance_mark WHERE child_id IN (SELECT id FROM child WHERE family_id = $1)",
        "DELETE FROM booking WHERE family_id = $1",
        "DELETE FROM waiting_entry WHERE family_id = $1",
        "DELETE FROM preregistration WHERE family_id = $1",
        "DELETE FROM document WHERE family_id = $1",
        "DELETE FROM dossier_event WHERE family_id = $1",
        "DELETE FROM message WHERE conversation_id IN \
         (SELECT id FROM conversation WHERE family_id = $1)",
        "DELETE FROM conversation WHERE family_id = $1",
        // The family row last: its file (household, guardians, children…) cascades.
        "DELETE FROM family WHERE id = $1",
    ] {
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::from(family_id)],
        ))
        .await
        .with_context(|| format!("Failed to erase a family ({sql})"))?;
    }
    Ok(keys)
}

async fn one_count(conn: &impl ConnectionTrait, sql: &str, id: Uuid) -> anyhow::Result<u64> {
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            sql,
            [Value::from(id)],
        ))
        .await?
        .context("no row")?;
    Ok(u64::try_from(row.try_get_by_index::<i64>(0)?).unwrap_or(0))
}

/// Applies the durations once, now.
pub async fn apply(ctx: &Context, policy: &RetentionPolicy) -> anyhow::Result<Report> {
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    let cutoffs = policy.cutoffs(now, today);
    let mut report = Report::default();
    let db = &ctx.db;
    let backend = db.get_database_backend();
    let ids = |sql: &'static str, at: Value| async move {
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, [at]))
            .await
            .context("Failed to list families")?;
        rows.into_iter()
            .map(|row| row.try_get_by_index::<Uuid>(0))
            .collect::<Result<Vec<_>, _>>()
            .context("Failed to read a family id")
    };
    for family_id in ids(
        "SELECT family_id FROM family_account WHERE email_verified_at IS NULL AND created_at < $1",
        Value::from(cutoffs.unconfirmed_before),
    )
    .await?
    {
        match erase_family(ctx, FamilyId::from(family_id), Reason::Unconfirmed, SYSTEM).await {
            Ok(()) => report.unconfirmed_erased = report.unconfirmed_erased.saturating_add(1),
            Err(EraseError::Blocked(_) | EraseError::NotFound) => {}
            Err(EraseError::Unexpected(e)) => return Err(e),
        }
    }
    for family_id in ids(
        "SELECT id FROM family WHERE COALESCE(last_activity_at, created_at) < $1",
        Value::from(cutoffs.inactive_before),
    )
    .await?
    {
        match erase_family(ctx, FamilyId::from(family_id), Reason::Inactive, SYSTEM).await {
            Ok(()) => report.inactive_erased = report.inactive_erased.saturating_add(1),
            Err(EraseError::Blocked(_)) => {
                report.inactive_kept = report.inactive_kept.saturating_add(1);
            }
            Err(EraseError::NotFound) => {}
            Err(EraseError::Unexpected(e)) => return Err(e),
        }
    }
    report.documents_deleted = expired_documents(ctx, &cutoffs).await?;
    report.audit_rows_deleted = execute(
        db,
        "DELETE FROM audit_event WHERE created_at < $1",
        Value::from(cutoffs.audit_before),
    )
    .await?;
    report.invoices_anonymised = execute(
        db,
        "UPDATE invoice SET family_name = 'Anonymisé', payer_name = 'Anonymisé', payer_address = '' \
         WHERE issued_on < $1 AND payer_name <> 'Anonymisé'",
        Value::from(cutoffs.accounting_before),
    )
    .await?;
    report.payments_anonymised = execute(
        db,
        "UPDATE payment SET reference = '', bank = '' \
         WHERE received_on < $1 AND (reference <> '' OR bank <> '')",
        Value::from(cutoffs.accounting_before),
    )
    .await?;
    report.conversations_deleted =
        crate::messages::delete_older_than(ctx, cutoffs.messages_before).await?;
    report.orphan_files_removed = orphan_files(ctx).await?;
    let appointments_before = crate::clock::days_after(
        today,
        portail_domain::rules::appointments::KEEP_DAYS.saturating_neg(),
    );
    report.appointments_deleted = execute(
        db,
        "DELETE FROM appointment WHERE slot_id IN (SELECT id FROM appointment_slot WHERE date < $1)",
        Value::from(appointments_before),
    )
    .await?;
    execute(
        db,
        "DELETE FROM appointment_slot WHERE date < $1",
        Value::from(appointments_before),
    )
    .await?;
    Audit::by(
        StaffId::from(SYSTEM),
        portail_domain::audit::action::RETENTION_RUN,
    )
    .detail(report.summary_fr())
    .write(db, now)
    .await?;
    Ok(report)
}

async fn execute(db: &sea_orm::DatabaseConnection, sql: &str, at: Value) -> anyhow::Result<u64> {
    Ok(db
        .execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            [at],
        ))
        .await
        .with_context(|| format!("Failed to apply a retention rule ({sql})"))?
        .rows_affected())
}

/// Refused documents, and documents replaced by a newer accepted one, past the duration.
async fn expired_documents(ctx: &Context, cutoffs: &Cutoffs) -> anyhow::Result<u64> {
    use portail_entity::document;
    use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _};
    let all = document::Entity::find()
        .all(&ctx.db)
        .await
        .context("Failed to read the documents")?;
    let accepted = portail_domain::dossier::DocumentStatus::Accepted.as_str();
    let refused = portail_domain::dossier::DocumentStatus::Refused.as_str();
    let mut newest: HashMap<(Uuid, Option<Uuid>, &str), DateTime<Utc>> = HashMap::new();
    for doc in all.iter().filter(|d| d.status == accepted) {
        let entry = newest
            .entry((doc.family_id, doc.child_id, doc.document_type.as_str()))
            .or_insert(doc.uploaded_at);
        *entry = (*entry).max(doc.uploaded_at);
    }
    let expired: Vec<&document::Model> = all
        .iter()
        .filter(|doc| {
            document_expired(
                &DocumentFacts {
                    refused: doc.status == refused,
                    settled_at: doc.reviewed_at.unwrap_or(doc.uploaded_at),
                    uploaded_at: doc.uploaded_at,
                    newest_accepted_at: newest
                        .get(&(doc.family_id, doc.child_id, doc.document_type.as_str()))
                        .copied(),
                },
                cutoffs,
            )
        })
        .collect();
    let mut deleted = 0u64;
    for doc in expired {
        let gone = document::Entity::delete_many()
            .filter(document::Column::Id.eq(doc.id))
            .exec(&ctx.db)
            .await
            .context("Failed to delete a document")?
            .rows_affected;
        if gone == 1 {
            ctx.documents.remove(&doc.storage_key).await;
            deleted = deleted.saturating_add(1);
        }
    }
    Ok(deleted)
}

/// Files in the document store that no row names any more (a crash between a row's deletion
/// and its file's), a day old at least (a file is written before its row).
async fn orphan_files(ctx: &Context) -> anyhow::Result<u64> {
    let rows = ctx
        .db
        .query_all_raw(Statement::from_string(
            ctx.db.get_database_backend(),
            "SELECT storage_key FROM document UNION ALL \
             SELECT attachment_key FROM message WHERE attachment_key IS NOT NULL",
        ))
        .await
        .context("Failed to list the documents")?;
    let named: std::collections::HashSet<String> = rows
        .into_iter()
        .filter_map(|row| row.try_get_by_index::<String>(0).ok())
        .collect();
    let mut removed = 0u64;
    for (key, age) in ctx.documents.stored()? {
        // The file's real age (its row is written right after it): a day at least.
        if !named.contains(&key) && age >= std::time::Duration::from_secs(24 * 3600) {
            ctx.documents.remove(&key).await;
            removed = removed.saturating_add(1);
        }
    }
    Ok(removed)
}
