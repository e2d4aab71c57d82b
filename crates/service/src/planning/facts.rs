//! What the booking rules need to know about a family, read in **one** statement: every grid
//! read and every recap needs it, and on SQLite each statement is a hop to the connection's
//! thread (see BENCHMARKS.md: those hops were most of the time spent).

use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::api::DossierStatus;
use portail_entity::{child, commune, family, family_account, guardian, idempotency_key};
use sea_orm::sea_query::{Alias, Expr, ExprTrait as _, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, EntityName as _};
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
    /// For a recap's idempotency key already used: the stored request hash and answer.
    pub replay: Option<(String, String)>,
}

fn statement(family_id: Uuid, key: Option<&str>) -> SelectStatement {
    let (f, c, a, g) = (
        Alias::new("f"),
        Alias::new("c"),
        Alias::new("a"),
        Alias::new("g"),
    );
    let commune_name = Query::select()
        .column(commune::Column::Name)
        .from(commune::Entity.table_ref())
        .and_where(Expr::col(commune::Column::Id).eq(1))
        .to_owned();
    let stored = |column: idempotency_key::Column| {
        let mut lookup = Query::select()
            .column(column)
            .from(idempotency_key::Entity.table_ref())
            .and_where(Expr::col(idempotency_key::Column::FamilyId).eq(family_id))
            .to_owned();
        match key {
            Some(key) => lookup.and_where(Expr::col(idempotency_key::Column::Key).eq(key)),
            None => lookup.and_where(Expr::cust("1 = 0")),
        };
        Expr::SubQuery(
            None,
            Box::new(sea_orm::sea_query::SubQueryStatement::SelectStatement(
                lookup,
            )),
        )
    };
    Query::select()
        .column((f.clone(), family::Column::DossierStatus))
        .column((c.clone(), child::Column::Id))
        .column((c.clone(), child::Column::FirstName))
        .column((c.clone(), child::Column::BirthDate))
        .column((a.clone(), family_account::Column::Email))
        .column((g.clone(), guardian::Column::FirstName))
        .expr(Expr::SubQuery(
            None,
            Box::new(sea_orm::sea_query::SubQueryStatement::SelectStatement(
                commune_name,
            )),
        ))
        .expr(stored(idempotency_key::Column::RequestHash))
        .expr(stored(idempotency_key::Column::Response))
        .from_as(family::Entity.table_ref(), f.clone())
        .join_as(
            JoinType::LeftJoin,
            child::Entity.table_ref(),
            c.clone(),
            Expr::col((c.clone(), child::Column::FamilyId)).equals((f.clone(), family::Column::Id)),
        )
        .join_as(
            JoinType::LeftJoin,
            family_account::Entity.table_ref(),
            a.clone(),
            Expr::col((a.clone(), family_account::Column::FamilyId))
                .equals((f.clone(), family::Column::Id)),
        )
        .join_as(
            JoinType::LeftJoin,
            guardian::Entity.table_ref(),
            g.clone(),
            Expr::col((g.clone(), guardian::Column::FamilyId))
                .equals((f.clone(), family::Column::Id))
                .and(Expr::col((g.clone(), guardian::Column::Rank)).eq(1)),
        )
        .and_where(Expr::col((f.clone(), family::Column::Id)).eq(family_id))
        .order_by((c, child::Column::Id), sea_orm::Order::Asc)
        .to_owned()
}

/// `None` when the family does not exist. With `key`, what was stored for that idempotency
/// key (same statement: one hop fewer per recap).
pub async fn family_facts(
    ctx: &Context,
    family_id: Uuid,
    key: Option<&str>,
) -> anyhow::Result<Option<FamilyFacts>> {
    let rows = ctx
        .db
        .query_all(&statement(family_id, key))
        .await
        .context("Failed to read a family's facts")?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let status: String = first.try_get_by_index(0)?;
    let mut facts = FamilyFacts {
        status: DossierStatus::parse(&status).unwrap_or(DossierStatus::Incomplete),
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
        ) {
            (Some(hash), Some(response)) => Some((hash, response)),
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
