//! « Mes documents »: files checked by their content, stored outside any served folder under
//! server-made names, with their SHA-256; reviewed by staff.

use anyhow::Context as _;
use portail_domain::api::{DocumentDecision, DocumentResponse, DossierStatus, UploadDocumentQuery};
use portail_domain::dossier::{DocumentStatus, DocumentType, DossierEventKind};
use portail_domain::ids::{ChildId, FamilyId, StaffId};
use portail_entity::{child, document};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use super::Actor;
use super::inspect::{self, Refusal};
use crate::Context;
use crate::change::{Audit, Change};

pub use crate::storage::DocumentStore;

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("refused file: {0:?}")]
    Refused(Refusal),
    #[error("the child is not this family's")]
    UnknownChild,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub(crate) fn response(row: document::Model) -> anyhow::Result<DocumentResponse> {
    Ok(DocumentResponse {
        id: row.id,
        document_type: portail_domain::string_enum::stored(
            "document type",
            &row.document_type,
            DocumentType::parse,
        )?,
        child_id: row.child_id,
        filename: row.filename,
        content_type: row.content_type,
        size_bytes: u64::try_from(row.size_bytes).unwrap_or(0),
        sha256: row.sha256,
        status: portail_domain::string_enum::stored(
            "document status",
            &row.status,
            DocumentStatus::parse,
        )?,
        refusal_reason: row.refusal_reason,
        uploaded_at: row.uploaded_at,
    })
}

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
) -> anyhow::Result<Vec<DocumentResponse>> {
    document::Entity::find()
        .filter(document::Column::FamilyId.eq(family_id))
        .order_by_desc(document::Column::UploadedAt)
        .all(conn)
        .await
        .context("Failed to list documents")?
        .into_iter()
        .map(response)
        .collect()
}

pub(crate) async fn storage_keys_of_child<C: ConnectionTrait>(
    conn: &C,
    child_id: ChildId,
) -> anyhow::Result<Vec<String>> {
    Ok(document::Entity::find()
        .filter(document::Column::ChildId.eq(child_id))
        .all(conn)
        .await
        .context("Failed to read a child's documents")?
        .into_iter()
        .map(|d| d.storage_key)
        .collect())
}

#[tracing::instrument(skip_all, fields(family.id = %family_id, document.type = %query.document_type))]
pub async fn upload(
    ctx: &Context,
    family_id: FamilyId,
    query: &UploadDocumentQuery,
    bytes: &[u8],
) -> Result<DocumentResponse, UploadError> {
    let filename = inspect::check_filename(&query.filename).map_err(UploadError::Refused)?;
    let kind = inspect::inspect(bytes).map_err(UploadError::Refused)?;
    if let Some(child_id) = query.child_id {
        let own = child::Entity::find_by_id(child_id)
            .filter(child::Column::FamilyId.eq(family_id))
            .one(&ctx.db)
            .await
            .context("Failed to read a child")?
            .is_some();
        if !own {
            return Err(UploadError::UnknownChild);
        }
    }
    let sha256: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let key = ctx.documents.write(bytes).await?;
    let now = ctx.clock.now();
    let row = document::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id.uuid()),
        child_id: Set(query.child_id),
        document_type: Set(query.document_type.as_str().to_owned()),
        filename: Set(filename),
        content_type: Set(kind.content_type().to_owned()),
        size_bytes: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        sha256: Set(sha256),
        storage_key: Set(key.clone()),
        status: Set(DocumentStatus::Pending.as_str().to_owned()),
        refusal_reason: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        uploaded_at: Set(now),
    };
    let saved = async {
        let txn = crate::db::begin(&ctx.db).await?;
        let inserted = row.insert(&txn).await?;
        super::touch(&txn, family_id, now)
            .await
            .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
        txn.commit().await?;
        Ok::<_, sea_orm::DbErr>(inserted)
    }
    .await;
    match saved {
        Ok(inserted) => Ok(response(inserted)?),
        Err(error) => {
            // Nothing half-stored: the file goes if its row could not be written.
            ctx.documents.remove(&key).await;
            Err(UploadError::Unexpected(
                anyhow::Error::new(error).context("Failed to record an upload"),
            ))
        }
    }
}

/// A document and its bytes; `family_id` None is the staff's view (any family).
pub async fn content(
    ctx: &Context,
    family_id: Option<Uuid>,
    document_id: Uuid,
) -> anyhow::Result<Option<(DocumentResponse, Uuid, Vec<u8>)>> {
    let mut query = document::Entity::find_by_id(document_id);
    if let Some(family_id) = family_id {
        query = query.filter(document::Column::FamilyId.eq(family_id));
    }
    let Some(row) = query
        .one(&ctx.db)
        .await
        .context("Failed to read a document")?
    else {
        return Ok(None);
    };
    let bytes = ctx.documents.read(&row.storage_key).await?;
    let owner = row.family_id;
    Ok(Some((response(row)?, owner, bytes)))
}

/// A staff member opens a family's document: the read is written to the audit log first.
pub async fn content_for_staff(
    ctx: &Context,
    staff_id: StaffId,
    document_id: Uuid,
) -> anyhow::Result<Option<(DocumentResponse, Vec<u8>)>> {
    let Some(row) = document::Entity::find_by_id(document_id)
        .one(&ctx.db)
        .await
        .context("Failed to read a document")?
    else {
        return Ok(None);
    };
    Audit::by(staff_id, portail_domain::audit::action::VIEW_DOCUMENT)
        .family(row.family_id)
        .target(document_id)
        .write(&ctx.db, ctx.clock.now())
        .await?;
    let bytes = ctx.documents.read(&row.storage_key).await?;
    Ok(Some((response(row)?, bytes)))
}

#[derive(Debug, PartialEq, Eq)]
pub enum Deletion {
    Deleted,
    NotFound,
    /// An accepted document stays: the town hall relies on it.
    Accepted,
}

pub async fn delete(
    ctx: &Context,
    family_id: FamilyId,
    document_id: Uuid,
) -> anyhow::Result<Deletion> {
    let Some(row) = document::Entity::find_by_id(document_id)
        .filter(document::Column::FamilyId.eq(family_id))
        .one(&ctx.db)
        .await
        .context("Failed to read a document")?
    else {
        return Ok(Deletion::NotFound);
    };
    if row.status == DocumentStatus::Accepted.as_str() {
        return Ok(Deletion::Accepted);
    }
    document::Entity::delete_by_id(document_id)
        .exec(&ctx.db)
        .await
        .context("Failed to delete a document")?;
    ctx.documents.remove(&row.storage_key).await;
    super::touch(&ctx.db, family_id, ctx.clock.now()).await?;
    Ok(Deletion::Deleted)
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("no such document")]
    NotFound,
    /// A refusal without a reason, or a reason too long or with control characters.
    #[error("the reason is refused: {0:?}")]
    Reason(portail_domain::parse::InvalidValue),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// The longest reason for refusing a document (the OpenAPI `maxLength`).
pub const MAX_REASON_LEN: usize = 1000;

/// Staff accept or refuse a document (a refusal says why); the family's history records it.
#[tracing::instrument(skip_all, fields(document.id = %document_id, staff.id = %staff_id))]
pub async fn review(
    ctx: &Context,
    staff_id: StaffId,
    document_id: Uuid,
    decision: DocumentDecision,
    reason: Option<&str>,
) -> Result<DocumentResponse, ReviewError> {
    let reason = match reason {
        Some(raw) => {
            portail_domain::parse::message_text(raw, MAX_REASON_LEN).map_err(ReviewError::Reason)?
        }
        None => None,
    };
    if decision == DocumentDecision::Refuse && reason.is_none() {
        return Err(ReviewError::Reason(
            portail_domain::parse::InvalidValue::new(
                "required",
                "Indiquez le motif du refus : il est montré à la famille.",
            ),
        ));
    }
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let row = document::Entity::find_by_id(document_id)
        .one(&txn)
        .await
        .context("Failed to read a document")?
        .ok_or(ReviewError::NotFound)?;
    let family_id = row.family_id;
    let (status, kind) = match decision {
        DocumentDecision::Accept => (DocumentStatus::Accepted, DossierEventKind::DocumentAccepted),
        DocumentDecision::Refuse => (DocumentStatus::Refused, DossierEventKind::DocumentRefused),
    };
    let new_reason = if decision == DocumentDecision::Refuse {
        reason.clone()
    } else {
        None
    };
    // Idempotent: the same decision again (a double click, a retried request) changes nothing
    // and writes no second history line. Guarded in the UPDATE itself, so that two decisions
    // racing on the same document cannot both record one.
    let differs = match &new_reason {
        Some(text) => sea_orm::Condition::any()
            .add(document::Column::Status.ne(status.as_str()))
            .add(document::Column::RefusalReason.is_null())
            .add(document::Column::RefusalReason.ne(text.as_str())),
        None => sea_orm::Condition::any()
            .add(document::Column::Status.ne(status.as_str()))
            .add(document::Column::RefusalReason.is_not_null()),
    };
    let moved = document::Entity::update_many()
        .col_expr(document::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            document::Column::RefusalReason,
            Expr::value(new_reason.clone()),
        )
        .col_expr(document::Column::ReviewedBy, Expr::value(Some(staff_id)))
        .col_expr(document::Column::ReviewedAt, Expr::value(Some(now)))
        .filter(document::Column::Id.eq(row.id))
        .filter(differs)
        .exec(&txn)
        .await
        .context("Failed to record a review")?
        .rows_affected;
    if moved == 0 {
        return Ok(response(row)?);
    }
    let updated = document::Entity::find_by_id(document_id)
        .one(&txn)
        .await
        .context("Failed to read a reviewed document")?
        .ok_or(ReviewError::NotFound)?;
    let family = super::family_row(&txn, FamilyId::from(family_id))
        .await?
        .context("the document's family")?;
    let status_now: DossierStatus = super::status_of(&family)?;
    let label = format!(
        "{} «\u{a0}{}\u{a0}»",
        DocumentType::parse(&updated.document_type).map_or("Pièce", DocumentType::label_fr),
        updated.filename
    );
    let message = match &reason {
        Some(reason) if decision == DocumentDecision::Refuse => format!("{label} : {reason}"),
        _ => label,
    };
    super::record_event(
        &txn,
        FamilyId::from(family_id),
        kind,
        status_now,
        Some(message),
        Actor::Staff(staff_id),
        now,
    )
    .await?;
    // A refusal is e-mailed (the family must send another); an acceptance is not.
    let refused = match (&reason, decision) {
        (Some(reason), DocumentDecision::Refuse) => {
            let link = ctx.link("/mes-documents");
            let document = DocumentType::parse(&updated.document_type)
                .map_or("Pièce", DocumentType::label_fr)
                .to_owned();
            super::email_family(ctx, &txn, FamilyId::from(family_id), |to| {
                crate::emails::document_refused(to, &document, reason, &link)
            })
            .await?;
            true
        }
        _ => false,
    };
    Change::at(now)
        .audit(
            Audit::by(staff_id, portail_domain::audit::action::REVIEW_DOCUMENT)
                .family(family_id)
                .target(document_id)
                .detail(DocumentType::parse(&updated.document_type).map(|kind| {
                    portail_domain::audit::review_detail(decision == DocumentDecision::Accept, kind)
                })),
        )
        .mailed_if(refused)
        .commit(txn, &ctx.outbox, "a review")
        .await?;
    Ok(response(updated)?)
}
