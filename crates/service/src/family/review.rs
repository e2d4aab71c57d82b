//! The staff's side: the work queue and search, a family's whole file, agents' services,
//! document requirements and the commune's settings.

use anyhow::Context as _;
use portail_domain::ServiceCode;
use portail_domain::api::{
    CommuneSettings, CreateDocumentRequirementRequest, DocumentRequirement, DossierStatus,
    FamilyDetailResponse, FamilyListQuery, FamilyListResponse, FamilySummary, StatusCounts,
};
use portail_domain::dossier::DocumentType;
use portail_domain::ids::{FamilyId, StaffId};
use portail_domain::rules::pagination::Page;
use portail_entity::{
    child, commune, document_requirement, family, family_account, guardian, service, staff_service,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::{children, documents, dossier, household};
use crate::Context;
use crate::change::{Audit, Change};

pub async fn staff_services<C: ConnectionTrait>(
    conn: &C,
    staff_id: StaffId,
) -> anyhow::Result<Vec<ServiceCode>> {
    let ids: Vec<Uuid> = staff_service::Entity::find()
        .filter(staff_service::Column::StaffId.eq(staff_id))
        .all(conn)
        .await
        .context("Failed to read a staff member's services")?
        .into_iter()
        .map(|s| s.service_id)
        .collect();
    Ok(service::Entity::find()
        .filter(service::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|s| ServiceCode::parse(&s.code))
        .collect())
}

/// Gives an agent exactly these services. `false` when there is no such staff member.
pub async fn set_staff_services(
    ctx: &Context,
    admin_id: StaffId,
    staff_id: StaffId,
    services: &[ServiceCode],
) -> anyhow::Result<bool> {
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    if portail_entity::staff::Entity::find_by_id(staff_id)
        .one(&txn)
        .await?
        .is_none()
    {
        return Ok(false);
    }
    let codes: Vec<&str> = services.iter().map(|s| s.as_str()).collect();
    let rows = service::Entity::find()
        .filter(service::Column::Code.is_in(codes))
        .all(&txn)
        .await?;
    staff_service::Entity::delete_many()
        .filter(staff_service::Column::StaffId.eq(staff_id))
        .exec(&txn)
        .await?;
    for row in &rows {
        staff_service::ActiveModel {
            staff_id: Set(staff_id.uuid()),
            service_id: Set(row.id),
        }
        .insert(&txn)
        .await?;
    }
    let detail = rows
        .iter()
        .map(|r| r.code.clone())
        .collect::<Vec<_>>()
        .join(",");
    Change::at(ctx.clock.now())
        .audit(
            Audit::by(admin_id, portail_domain::audit::action::SET_STAFF_SERVICES)
                .target(staff_id)
                .detail(detail),
        )
        .commit(txn, &ctx.outbox, "services")
        .await?;
    Ok(true)
}

/// The `LIKE` pattern of a search: lower-cased (as `search_text` is), the pattern's own
/// wildcards escaped (« 100% » is looked for as written), control characters dropped (the
/// line separates people by `\n`).
fn like(term: &str) -> sea_orm::sea_query::LikeExpr {
    let mut pattern = String::from("%");
    for c in term.to_lowercase().chars().filter(|c| !c.is_control()) {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')
}

/// The families a list shows: a status, a time of change, and a search (names of the
/// guardians and children, the account's e-mail) in `family.search_text`, which triggers keep
/// (migration `m20261207_000009_family_search`). One condition on the family table alone:
/// counting and paging are each one statement, whatever the number of matches.
fn filtered(query: &FamilyListQuery) -> sea_orm::Select<family::Entity> {
    use sea_orm::sea_query::{Alias, ExprTrait as _};
    let mut select = family::Entity::find();
    if let Some(status) = query.status {
        select = select.filter(family::Column::DossierStatus.eq(status.as_str()));
    }
    if let Some(since) = query.updated_since {
        select = select.filter(family::Column::UpdatedAt.gte(since));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        select =
            select.filter(Expr::col((family::Entity, Alias::new("search_text"))).like(like(q)));
    }
    select
}

/// The list's order: the oldest submission first (the work queue), then by creation.
fn queue_order(select: sea_orm::Select<family::Entity>) -> sea_orm::Select<family::Entity> {
    select
        .order_by_asc(family::Column::SubmittedAt)
        .order_by_asc(family::Column::CreatedAt)
        .order_by_asc(family::Column::Id)
}

/// How many files in each status: one statement on the status index.
async fn counts(db: &DatabaseConnection) -> anyhow::Result<StatusCounts> {
    let rows: Vec<(String, i64)> = family::Entity::find()
        .select_only()
        .column(family::Column::DossierStatus)
        .column_as(family::Column::Id.count(), "n")
        .group_by(family::Column::DossierStatus)
        .into_tuple()
        .all(db)
        .await
        .context("Failed to count families by status")?;
    let count = |status: DossierStatus| {
        rows.iter()
            .find(|(s, _)| s == status.as_str())
            .and_then(|(_, n)| u64::try_from(*n).ok())
            .unwrap_or(0)
    };
    Ok(StatusCounts {
        incomplete: count(DossierStatus::Incomplete),
        submitted: count(DossierStatus::Submitted),
        info_requested: count(DossierStatus::InfoRequested),
        validated: count(DossierStatus::Validated),
        to_reverify: count(DossierStatus::ToReverify),
    })
}

/// The work queue (status `submitted`, oldest first) or any search.
/// `page`: checked by `portail_domain::rules::pagination::page`.
pub async fn list_families(
    db: &DatabaseConnection,
    query: &FamilyListQuery,
    page: Page,
) -> anyhow::Result<FamilyListResponse> {
    // Three independent reads, each one statement, run at once on the pool's connections:
    // on 50,000 families the count of a broad search and the counts by status each read
    // tens of thousands of index entries (docs/performance.md).
    let total = async {
        filtered(query)
            .count(db)
            .await
            .context("Failed to count families")
    };
    let items = async {
        // The page's ids first, then their rows: far down the list, the skipped entries are
        // read from the order's index alone, not from the table (a deferred join).
        let ids = queue_order(filtered(query))
            .select_only()
            .column(family::Column::Id)
            .offset(page.offset)
            .limit(page.limit)
            .into_query();
        let rows = queue_order(family::Entity::find().filter(family::Column::Id.in_subquery(ids)))
            .all(db)
            .await
            .context("Failed to list families")?;
        summaries(db, rows).await
    };
    let (total, items, counts) = tokio::try_join!(total, items, counts(db))?;
    Ok(FamilyListResponse {
        items,
        total,
        counts,
    })
}

/// The list's line of each family (holder, address, status, children), three reads for all.
pub async fn summaries<C: ConnectionTrait>(
    db: &C,
    rows: Vec<family::Model>,
) -> anyhow::Result<Vec<FamilySummary>> {
    let ids: Vec<Uuid> = rows.iter().map(|f| f.id).collect();
    let holders = guardian::Entity::find()
        .filter(guardian::Column::FamilyId.is_in(ids.clone()))
        .filter(guardian::Column::Rank.eq(1))
        .all(db)
        .await?;
    let accounts = family_account::Entity::find()
        .filter(family_account::Column::FamilyId.is_in(ids.clone()))
        .all(db)
        .await?;
    let kids = child::Entity::find()
        .filter(child::Column::FamilyId.is_in(ids))
        .order_by_asc(child::Column::BirthDate)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|f| {
            Ok(FamilySummary {
                family_id: f.id,
                holder_name: holders
                    .iter()
                    .find(|h| h.family_id == f.id)
                    .map(|h| format!("{} {}", h.last_name, h.first_name))
                    .unwrap_or_default(),
                email: accounts
                    .iter()
                    .find(|a| a.family_id == f.id)
                    .map(|a| a.email.clone())
                    .unwrap_or_default(),
                status: super::status_of(&f)?,
                submitted_at: f.submitted_at,
                children: kids
                    .iter()
                    .filter(|c| c.family_id == f.id)
                    .map(|c| c.first_name.clone())
                    .collect(),
            })
        })
        .collect()
}

/// A family's whole file, read by a staff member (recorded in the audit log). Medical details
/// are hidden unless `medical` is true.
pub async fn family_detail(
    ctx: &Context,
    staff_id: StaffId,
    family_id: FamilyId,
    medical: bool,
) -> anyhow::Result<Option<FamilyDetailResponse>> {
    let db = &ctx.db;
    let Some(family) = super::family_row(db, family_id).await? else {
        return Ok(None);
    };
    let mut kids = children::list(db, family_id).await?;
    if !medical {
        kids = kids.into_iter().map(children::redact_medical).collect();
    }
    let detail = FamilyDetailResponse {
        account: crate::accounts::profile::of_family(db, family_id)
            .await?
            .context("the family's account")?,
        household: household::get(db, family_id).await?,
        children: kids,
        documents: documents::list(db, family_id).await?,
        missing: dossier::missing(db, family_id).await?,
        history: dossier::history(db, family_id).await?,
        info_request_message: family.info_request_message,
        deletion_requested_at: family.deletion_requested_at,
    };
    Audit::by(staff_id, portail_domain::audit::action::VIEW_FAMILY)
        .family(family_id)
        .write(db, ctx.clock.now())
        .await?;
    Ok(Some(detail))
}

pub async fn requirements(db: &DatabaseConnection) -> anyhow::Result<Vec<DocumentRequirement>> {
    let services = service::Entity::find().all(db).await?;
    Ok(document_requirement::Entity::find()
        .all(db)
        .await
        .context("Failed to read requirements")?
        .into_iter()
        .filter_map(|r| {
            Some(DocumentRequirement {
                id: r.id,
                service: r
                    .service_id
                    .and_then(|id| services.iter().find(|s| s.id == id))
                    .and_then(|s| ServiceCode::parse(&s.code)),
                document_type: DocumentType::parse(&r.document_type)?,
                per_child: r.per_child,
            })
        })
        .collect())
}

pub async fn create_requirement<C: ConnectionTrait>(
    conn: &C,
    request: &CreateDocumentRequirementRequest,
) -> anyhow::Result<DocumentRequirement> {
    let service_id = match request.service {
        Some(code) => Some(
            service::Entity::find()
                .filter(service::Column::Code.eq(code.as_str()))
                .one(conn)
                .await?
                .context("the service is not configured")?
                .id,
        ),
        None => None,
    };
    let id = Uuid::now_v7();
    document_requirement::ActiveModel {
        id: Set(id),
        service_id: Set(service_id),
        document_type: Set(request.document_type.as_str().to_owned()),
        per_child: Set(request.per_child),
    }
    .insert(conn)
    .await
    .context("Failed to add a requirement")?;
    Ok(DocumentRequirement {
        id,
        service: request.service,
        document_type: request.document_type,
        per_child: request.per_child,
    })
}

/// An administrator's requirement, audited in the same transaction.
pub async fn add_requirement(
    ctx: &crate::Context,
    staff_id: StaffId,
    request: &CreateDocumentRequirementRequest,
) -> anyhow::Result<DocumentRequirement> {
    let txn = crate::db::begin(&ctx.db).await?;
    let created = create_requirement(&txn, request).await?;
    Change::at(ctx.clock.now())
        .audit(
            Audit::by(
                staff_id,
                portail_domain::audit::action::CREATE_DOCUMENT_REQUIREMENT,
            )
            .target(created.id)
            .detail(created.document_type.as_str().to_owned()),
        )
        .commit(txn, &ctx.outbox, "a requirement")
        .await?;
    Ok(created)
}

/// `false` when there is no such requirement; audited in the same transaction.
pub async fn delete_requirement(
    ctx: &crate::Context,
    staff_id: StaffId,
    id: Uuid,
) -> anyhow::Result<bool> {
    let txn = crate::db::begin(&ctx.db).await?;
    let deleted = document_requirement::Entity::delete_by_id(id)
        .exec(&txn)
        .await
        .context("Failed to remove a requirement")?
        .rows_affected
        == 1;
    if deleted {
        Audit::by(
            staff_id,
            portail_domain::audit::action::DELETE_DOCUMENT_REQUIREMENT,
        )
        .target(id)
        .write(&txn, ctx.clock.now())
        .await?;
    }
    txn.commit().await.context("Failed to commit a removal")?;
    Ok(deleted)
}

pub async fn settings(db: &DatabaseConnection) -> anyhow::Result<Option<CommuneSettings>> {
    Ok(commune::Entity::find_by_id(1)
        .one(db)
        .await
        .context("Failed to read the commune")?
        .map(|c| CommuneSettings {
            name: c.name,
            reverification_month: u32::try_from(c.reverification_month).unwrap_or(8),
            reverification_day: u32::try_from(c.reverification_day).unwrap_or(1),
        }))
}

/// `None` when the commune is not configured yet; audited in the same transaction.
pub async fn update_settings(
    ctx: &crate::Context,
    staff_id: StaffId,
    new: &CommuneSettings,
) -> anyhow::Result<Option<CommuneSettings>> {
    let txn = crate::db::begin(&ctx.db).await?;
    let Some(row) = commune::Entity::find_by_id(1).one(&txn).await? else {
        return Ok(None);
    };
    let mut row: commune::ActiveModel = row.into();
    row.name = Set(new.name.trim().to_owned());
    row.reverification_month =
        Set(i32::try_from(new.reverification_month).context("a checked month")?);
    row.reverification_day = Set(i32::try_from(new.reverification_day).context("a checked day")?);
    row.update(&txn)
        .await
        .context("Failed to update the commune")?;
    Change::at(ctx.clock.now())
        .audit(Audit::by(
            staff_id,
            portail_domain::audit::action::UPDATE_COMMUNE_SETTINGS,
        ))
        .commit(txn, &ctx.outbox, "the settings")
        .await?;
    settings(&ctx.db).await
}
