//! CSV exports, streamed: rows are read a chunk at a time (keyset pagination, never an
//! offset) and each chunk leaves as soon as it is written, so an export of any size holds one
//! chunk in memory. Each chunk is its own read: an export that runs while bookings change
//! shows each row as it was when its chunk was read.

use anyhow::Context as _;
use chrono::NaiveDate;
use futures_util::Stream;
use portail_domain::ServiceCode;
use portail_domain::api::BookingStatus;
use portail_entity::{booking, child, family, guardian, unit};
use sea_orm::sea_query::{Condition, Expr, ExprTrait as _, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait as _, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::Context;
use crate::csv;

/// Rows read (and written) at a time.
pub const CHUNK: u64 = 1000;

/// Where a keyset walk stands.
pub(super) enum Walk<K> {
    Start,
    After(K),
    Done,
}

/// The bookings of a service's units for a month (every status), by day. The walk goes day by
/// day, and within a day by id, a chunk at a time: each chunk is one read along the
/// `(unit_id, date)` index that sorts one day's rows at most (a keyset over the whole month
/// made SQLite sort the month for every chunk).
pub fn bookings_csv(
    ctx: Context,
    units: Vec<(Uuid, String)>,
    service: ServiceCode,
    first: NaiveDate,
    last: NaiveDate,
) -> impl Stream<Item = anyhow::Result<String>> + Send + 'static {
    futures_util::stream::try_unfold(Walk::Start, move |walk| {
        let ctx = ctx.clone();
        let units = units.clone();
        async move {
            let mut out = String::new();
            let (day, after) = match walk {
                Walk::Done => return Ok(None),
                Walk::Start => {
                    out = csv::header(&[
                        "Date",
                        "Service",
                        "Prestation",
                        "Nom de l'enfant",
                        "Prénom de l'enfant",
                        "Famille",
                        "Statut",
                        "Réservation",
                        "Réservée le",
                        "Modifiée le",
                    ]);
                    (first, None)
                }
                Walk::After(key) => key,
            };
            // A day without bookings yields nothing: go on to the next (an empty piece would
            // read as the end of a chunked body).
            let (mut day, mut after) = (day, after);
            loop {
                let rows = read_bookings(&ctx, &units, day, after).await?;
                write_bookings(&mut out, &rows, &units, service);
                let next = match rows.last() {
                    Some(row) if u64::try_from(rows.len()).unwrap_or(0) == CHUNK => {
                        Walk::After((day, Some(row.id)))
                    }
                    _ => match day.succ_opt().filter(|next| *next <= last) {
                        Some(next) => Walk::After((next, None)),
                        None => Walk::Done,
                    },
                };
                match next {
                    Walk::After((next_day, next_after)) if out.is_empty() => {
                        (day, after) = (next_day, next_after);
                    }
                    Walk::Done if out.is_empty() => return Ok(None),
                    next => return Ok(Some((out, next))),
                }
            }
        }
    })
}

/// A booking of the export with its child's and its family's names.
struct ExportRow {
    id: Uuid,
    unit_id: Uuid,
    date: NaiveDate,
    status: String,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
    child_last: Option<String>,
    child_first: Option<String>,
    holder_last: Option<String>,
    holder_first: Option<String>,
}

/// One chunk of a day: the bookings with their child's and family holder's names, in one
/// statement (three statements with lists of 1,000 ids cost PostgreSQL ~90 ms a chunk).
async fn read_bookings(
    ctx: &Context,
    units: &[(Uuid, String)],
    day: NaiveDate,
    after: Option<Uuid>,
) -> anyhow::Result<Vec<ExportRow>> {
    let mut query = Query::select();
    query
        .columns([
            (booking::Entity, booking::Column::Id),
            (booking::Entity, booking::Column::UnitId),
            (booking::Entity, booking::Column::Date),
            (booking::Entity, booking::Column::Status),
            (booking::Entity, booking::Column::CreatedAt),
            (booking::Entity, booking::Column::UpdatedAt),
        ])
        .column((child::Entity, child::Column::LastName))
        .column((child::Entity, child::Column::FirstName))
        .column((guardian::Entity, guardian::Column::LastName))
        .column((guardian::Entity, guardian::Column::FirstName))
        .from(booking::Entity)
        .left_join(
            child::Entity,
            Expr::col((child::Entity, child::Column::Id))
                .equals((booking::Entity, booking::Column::ChildId)),
        )
        .left_join(
            guardian::Entity,
            Condition::all()
                .add(
                    Expr::col((guardian::Entity, guardian::Column::FamilyId))
                        .equals((booking::Entity, booking::Column::FamilyId)),
                )
                .add(Expr::col((guardian::Entity, guardian::Column::Rank)).eq(1)),
        )
        .and_where(
            Expr::col((booking::Entity, booking::Column::UnitId))
                .is_in(units.iter().map(|(id, _)| *id)),
        )
        .and_where(Expr::col((booking::Entity, booking::Column::Date)).eq(day))
        .order_by((booking::Entity, booking::Column::Id), Order::Asc)
        .limit(CHUNK);
    if let Some(id) = after {
        query.and_where(Expr::col((booking::Entity, booking::Column::Id)).gt(id));
    }
    let backend = ctx.db.get_database_backend();
    ctx.db
        .query_all_raw(backend.build(&query))
        .await
        .context("Failed to read bookings to export")?
        .iter()
        .map(|r| {
            Ok(ExportRow {
                id: r.try_get_by_index(0)?,
                unit_id: r.try_get_by_index(1)?,
                date: r.try_get_by_index(2)?,
                status: r.try_get_by_index(3)?,
                created_at: r.try_get_by_index(4)?,
                updated_at: r.try_get_by_index(5)?,
                child_last: r.try_get_by_index(6)?,
                child_first: r.try_get_by_index(7)?,
                holder_last: r.try_get_by_index(8)?,
                holder_first: r.try_get_by_index(9)?,
            })
        })
        .collect::<Result<Vec<_>, sea_orm::TryGetError>>()
        .map_err(|e| anyhow::anyhow!("Failed to read an exported booking: {e:?}"))
}

/// Appends the CSV lines of these bookings.
fn write_bookings(
    out: &mut String,
    rows: &[ExportRow],
    units: &[(Uuid, String)],
    service: ServiceCode,
) {
    for b in rows {
        let holder = match (&b.holder_last, &b.holder_first) {
            (Some(last), Some(first)) => format!("{last} {first}"),
            _ => String::new(),
        };
        let unit_name = units
            .iter()
            .find(|(id, _)| *id == b.unit_id)
            .map(|(_, name)| name.as_str())
            .unwrap_or_default();
        let status = BookingStatus::parse(&b.status).map_or("", |s| s.label_fr());
        csv::push_line(
            out,
            &[
                csv::date(b.date),
                csv::text(service.label_fr()),
                csv::text(unit_name),
                csv::text(b.child_last.as_deref().unwrap_or_default()),
                csv::text(b.child_first.as_deref().unwrap_or_default()),
                csv::text(&holder),
                csv::text(status),
                b.id.to_string(),
                b.created_at.format("%d/%m/%Y %H:%M").to_string(),
                b.updated_at.format("%d/%m/%Y %H:%M").to_string(),
            ],
        );
    }
}

/// The units of a service, with their names (for the export's rows).
pub async fn units_of(ctx: &Context, service_id: Uuid) -> anyhow::Result<Vec<(Uuid, String)>> {
    Ok(unit::Entity::find()
        .filter(unit::Column::ServiceId.eq(service_id))
        .all(&ctx.db)
        .await
        .context("Failed to read a service's units")?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// Every family, as the staff list shows it (holder, address, status, children).
pub fn families_csv(ctx: Context) -> impl Stream<Item = anyhow::Result<String>> + Send + 'static {
    futures_util::stream::try_unfold(Walk::Start, move |walk| {
        let ctx = ctx.clone();
        async move {
            let mut out = String::new();
            let after = match walk {
                Walk::Done => return Ok(None),
                Walk::Start => {
                    out = csv::header(&[
                        "Famille",
                        "Titulaire",
                        "E-mail",
                        "Dossier",
                        "Envoyé le",
                        "Enfants",
                    ]);
                    None
                }
                Walk::After(id) => Some(id),
            };
            let mut select = family::Entity::find();
            if let Some(id) = after {
                select = select.filter(family::Column::Id.gt(id));
            }
            let rows = select
                .order_by_asc(family::Column::Id)
                .limit(CHUNK)
                .all(&ctx.db)
                .await
                .context("Failed to read families to export")?;
            if rows.is_empty() && out.is_empty() {
                // The last chunk was full: nothing more (never an empty piece).
                return Ok(None);
            }
            let next = match rows.last() {
                Some(last) if u64::try_from(rows.len()).unwrap_or(0) == CHUNK => {
                    Walk::After(last.id)
                }
                _ => Walk::Done,
            };
            for f in crate::family::review::summaries(&ctx.db, rows).await? {
                csv::push_line(
                    &mut out,
                    &[
                        f.family_id.to_string(),
                        csv::text(&f.holder_name),
                        csv::text(&f.email),
                        csv::text(f.status.label_fr()),
                        f.submitted_at
                            .map(|t| t.format("%d/%m/%Y").to_string())
                            .unwrap_or_default(),
                        csv::text(&f.children.join(", ")),
                    ],
                );
            }
            Ok(Some((out, next)))
        }
    })
}
