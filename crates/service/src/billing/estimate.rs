//! The grid's estimated prices: what one line of each unit costs this family, from the
//! tariffs (or the crèche's PSU rate) in force on a day, as the invoice run will price it
//! (first child, booked). Read only for a service that has tariffs: one statement.

use std::collections::HashMap;

use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::ServiceCode;
use portail_domain::ids::{ChildId, FamilyId};
use portail_domain::rules::billing::run::{self, Fact, FamilyFacts, Pricing};
use portail_domain::rules::billing::tariff::Attendance;
use sea_orm::{ConnectionTrait, Statement, Value};
use uuid::Uuid;

use crate::Context;
use crate::planning::catalog::{Catalog, UnitEntry};

/// One text for both databases (`$N` placeholders), prepared once per connection.
const STATEMENT: &str = "\
SELECT h.family_quotient, h.family_quotient_year, h.resources_cents, h.aeeh, h.dependent_children, \
(SELECT g.postal_code FROM guardian g WHERE g.family_id = $1 AND g.rank = 1), \
(SELECT COUNT(*) FROM document d WHERE d.family_id = $1 AND d.document_type = 'attestation_caf_qf' AND d.status = 'accepte'), \
(SELECT COUNT(*) FROM child c WHERE c.family_id = $1) \
FROM family f LEFT JOIN household h ON h.family_id = f.id WHERE f.id = $1";

/// A family's pricing facts, as the run computes them.
#[allow(clippy::too_many_arguments, reason = "the columns of one household")]
pub fn family_facts(
    quotient: Option<i32>,
    quotient_year: Option<i32>,
    proof_accepted: bool,
    postal_code: Option<&str>,
    commune_postal_codes: &[&str],
    resources_cents: Option<i64>,
    dependent_children: Option<i16>,
    children: usize,
    aeeh: bool,
) -> FamilyFacts {
    FamilyFacts {
        quotient: portail_domain::rules::billing::tariff::FamilyQuotient {
            amount: quotient.and_then(|q| u32::try_from(q).ok()),
            year: quotient_year,
            proof_accepted,
        },
        resident: commune_postal_codes.is_empty()
            || postal_code.is_some_and(|code| {
                portail_domain::rules::billing::invoice::is_resident(code, commune_postal_codes)
            }),
        resources_cents,
        dependent_children: dependent_children
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or_else(|| u32::try_from(children).unwrap_or(1)),
        aeeh,
    }
}

/// How a unit is priced, from what the catalog holds.
pub fn pricing<'a>(catalog: &'a Catalog, unit: &UnitEntry) -> Option<Pricing<'a>> {
    match unit.service {
        ServiceCode::Creche => (!catalog.psu.is_empty()).then_some(Pricing::Psu(&catalog.psu)),
        _ => catalog.tariffs.get(&unit.id).map(|t| Pricing::Tariffs(t)),
    }
}

/// Each unit's estimated price for this family on `day` (units without a tariff: none).
pub async fn prices(
    ctx: &Context,
    catalog: &Catalog,
    family_id: FamilyId,
    child_id: ChildId,
    units: &[&UnitEntry],
    day: NaiveDate,
) -> anyhow::Result<HashMap<Uuid, i64>> {
    if !units.iter().any(|u| pricing(catalog, u).is_some()) {
        return Ok(HashMap::new());
    }
    let row = ctx
        .db
        .query_one_raw(Statement::from_sql_and_values(
            ctx.db.get_database_backend(),
            STATEMENT,
            [Value::from(family_id)],
        ))
        .await
        .context("Failed to read a family's pricing facts")?;
    let Some(row) = row else {
        return Ok(HashMap::new());
    };
    let codes: Vec<&str> = catalog.postal_codes.iter().map(String::as_str).collect();
    let postal_code: Option<String> = row.try_get_by_index(5)?;
    let family = family_facts(
        row.try_get_by_index(0)?,
        row.try_get_by_index(1)?,
        row.try_get_by_index::<i64>(6)? > 0,
        postal_code.as_deref(),
        &codes,
        row.try_get_by_index(2)?,
        row.try_get_by_index(4)?,
        usize::try_from(row.try_get_by_index::<i64>(7)?).unwrap_or(1),
        row.try_get_by_index::<Option<bool>>(3)?.unwrap_or(false),
    );
    let mut prices = HashMap::new();
    for unit in units {
        let Some(pricing) = pricing(catalog, unit) else {
            continue;
        };
        let fact = Fact {
            child_id: child_id.uuid(),
            child_name: String::new(),
            child_birth: None,
            service: unit.service,
            service_name: String::new(),
            unit_id: unit.id,
            unit_name: String::new(),
            date: day,
            attendance: Attendance::Booked,
            hours_hundredths: unit.hours.map(|h| {
                let minutes = h.end().signed_duration_since(h.start()).num_minutes();
                portail_domain::rules::billing::mul_div_round(minutes, 100, 60).unwrap_or(0)
            }),
        };
        let (lines, _) = run::price_month(&family, std::slice::from_ref(&fact), |_| Some(pricing));
        if let Some(line) = lines.first() {
            prices.insert(unit.id, line.amount_cents);
        }
    }
    Ok(prices)
}
