//! A stored tariff row read as the domain's `Tariff` (brackets, sibling rate): below the
//! tariffs' use-cases and the planning catalog, which both read rows.

use portail_domain::api::{BracketBody, SiblingBody, SiblingKind};
use portail_domain::rules::billing::tariff::{Bracket, SiblingRate, Tariff};
use portail_entity::tariff;

pub(crate) fn sibling_of(row: &tariff::Model) -> Option<SiblingBody> {
    let kind = SiblingKind::parse(row.sibling_kind.as_deref()?)?;
    Some(SiblingBody {
        kind,
        value: row.sibling_value?,
    })
}

pub(crate) fn brackets_of(row: &tariff::Model) -> Vec<BracketBody> {
    serde_json::from_str(&row.brackets).unwrap_or_default()
}

/// The domain's tariff of a stored row.
pub(crate) fn tariff_of(row: &tariff::Model) -> Tariff {
    Tariff {
        valid_from: row.valid_from,
        valid_to: row.valid_to,
        brackets: brackets_of(row)
            .into_iter()
            .map(|b| Bracket {
                up_to: b.up_to,
                price_cents: b.price_cents,
            })
            .collect(),
        non_resident_cents: row.non_resident_cents,
        sibling: sibling_of(row).map(|s| match s.kind {
            SiblingKind::PercentOff => SiblingRate::PercentOff(u8::try_from(s.value).unwrap_or(0)),
            SiblingKind::Fixed => SiblingRate::Fixed(s.value),
        }),
        unbooked_cents: row.unbooked_cents,
    }
}
