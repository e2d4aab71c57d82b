//! What the booking rules need to know about a family, read in **one** statement: every recap
//! needs it, and on SQLite each statement is a hop to the connection's thread (see
//! BENCHMARKS.md: those hops were most of the time spent).

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use portail_domain::api::DossierStatus;
use portail_domain::ids::FamilyId;
use sea_orm::{ConnectionTrait, Statement, Value};
use uuid::Uuid;

use crate::Context;

#[derive(Debug, Clone)]
pub struct ChildFacts {
    pub id: Uuid,
    pub first_name: String,
    pub birth_date: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct FamilyFacts {
    pub status: DossierStatus,
    pub children: Vec<ChildFacts>,
    /// The account's address, the first guardian's first name and the commune's name: for
    /// the confirmation e-mail.
    pub email: Option<String>,
    pub first_name: String,
    pub commune: String,
    /// For a recap's idempotency key already used: the stored request hash and answer, and
    /// when it was stored.
    pub replay: Option<(String, String, DateTime<Utc>)>,
}

/// One text for both databases (`$N` placeholders; sqlx binds SQLite's by number), so each
/// connection prepares it once: building it with sea-query for every recap was measurable
/// (BENCHMARKS.md). `$2` is the idempotency key; `NULL` when there is none, which matches no row.
const STATEMENT: &str = "\
SELECT f.dossier_status, c.id, c.first_name, c.birth_date, a.email, g.first_name, \
(SELECT m.name FROM commune m WHERE m.id = 1), \
(SELECT k.request_hash FROM idempotency_key k WHERE k.family_id = $1 AND k.\"key\" = $2), \
(SELECT k.response FROM idempotency_key k WHERE k.family_id = $1 AND k.\"key\" = $2), \
(SELECT k.created_at FROM idempotency_key k WHERE k.family_id = $1 AND k.\"key\" = $2) \
FROM family f \
LEFT JOIN child c ON c.family_id = f.id \
LEFT JOIN family_account a ON a.family_id = f.id \
LEFT JOIN guardian g ON g.family_id = f.id AND g.rank = 1 \
WHERE f.id = $1 \
ORDER BY c.id";

/// `None` when the family does not exist. With `key`, what was stored for that idempotency
/// key (same statement: one hop fewer per recap).
pub async fn family_facts(
    ctx: &Context,
    family_id: FamilyId,
    key: Option<&str>,
) -> anyhow::Result<Option<FamilyFacts>> {
    let statement = Statement::from_sql_and_values(
        ctx.db.get_database_backend(),
        STATEMENT,
        [Value::from(family_id), key.map(str::to_owned).into()],
    );
    let rows = ctx
        .db
        .query_all_raw(statement)
        .await
        .context("Failed to read a family's facts")?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let status: String = first.try_get_by_index(0)?;
    let mut facts = FamilyFacts {
        status: portail_domain::string_enum::stored(
            "dossier status",
            &status,
            DossierStatus::parse,
        )?,
        children: Vec::new(),
        email: first.try_get_by_index(4)?,
        first_name: first
            .try_get_by_index::<Option<String>>(5)?
            .unwrap_or_default(),
        commune: first
            .try_get_by_index::<Option<String>>(6)?
            .unwrap_or_else(|| "votre commune".to_owned()),
        replay: match (
            first.try_get_by_index::<Option<String>>(7)?,
            first.try_get_by_index::<Option<String>>(8)?,
            first.try_get_by_index::<Option<DateTime<Utc>>>(9)?,
        ) {
            (Some(hash), Some(response), Some(at)) => Some((hash, response, at)),
            _ => None,
        },
    };
    for row in &rows {
        if let Some(id) = row.try_get_by_index::<Option<Uuid>>(1)? {
            facts.children.push(ChildFacts {
                id,
                first_name: row.try_get_by_index(2)?,
                birth_date: row.try_get_by_index(3)?,
            });
        }
    }
    Ok(Some(facts))
}
