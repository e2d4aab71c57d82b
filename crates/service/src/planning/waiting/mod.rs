//! Waiting lists of « Mon planning » (issue 13): a child joins the list of a full day; when a
//! place frees (a cancellation, staff raising the capacity, an offer declined or lapsed), the
//! first waiting child is served **in the transaction that frees it** — booked at once
//! (`auto`) or the place kept for them a few hours (`offer`) — never past the capacity (the
//! same guarded updates as a booking), and the family is e-mailed. First come, first served
//! (`rules::waiting_list`); a child whose unit needs a place still full (a « Journée » when
//! only the morning freed) lets the next one take it.

use portail_domain::ids::UnitId;
use portail_domain::rules::waiting_list::WaitingListMode;

use uuid::Uuid;

use super::catalog::Catalog;

mod family;
mod serve;

pub use family::*;
pub use serve::*;

pub const WAITING: &str = "waiting";

pub const OFFERED: &str = "offered";

pub const PROMOTED: &str = "promoted";

pub const LEFT: &str = "left";

pub const LAPSED: &str = "lapsed";

/// A unit of the service, as a promotion needs it.
#[derive(Debug, Clone)]
pub struct UnitPlaces {
    pub unit_id: Uuid,
    pub default_capacity: u32,
    /// The units whose places it takes too.
    pub covered: Vec<(Uuid, u32)>,
    /// The units a child cannot hold the same day.
    pub conflicting: Vec<Uuid>,
    /// « ALJA — Matin ».
    pub label: String,
}

impl UnitPlaces {
    fn places(&self) -> impl Iterator<Item = (Uuid, u32)> + '_ {
        std::iter::once((self.unit_id, self.default_capacity)).chain(self.covered.iter().copied())
    }
}

/// A service's waiting list: its mode and units (from the in-memory catalog).
#[derive(Debug, Clone)]
pub struct WaitingRules {
    pub mode: WaitingListMode,
    pub offer_hours: u32,
    pub units: Vec<UnitPlaces>,
}

impl WaitingRules {
    /// The rules of the service of `unit_id`, or `None` when it keeps no waiting list.
    pub fn of(catalog: &Catalog, unit_id: UnitId) -> Option<Self> {
        let unit = catalog.unit(unit_id.uuid())?;
        let service = catalog.service(unit.service)?;
        if service.waiting == WaitingListMode::Off {
            return None;
        }
        Some(Self {
            mode: service.waiting,
            offer_hours: service.offer_hours,
            units: catalog
                .units_of(unit.service)
                .map(|u| UnitPlaces {
                    unit_id: u.id,
                    default_capacity: u.default_capacity,
                    covered: u
                        .covers
                        .iter()
                        .filter_map(|id| catalog.unit(*id))
                        .map(|c| (c.id, c.default_capacity))
                        .collect(),
                    conflicting: u.overlaps.clone(),
                    label: format!("{} — {}", service.name, u.name),
                })
                .collect(),
        })
    }

    fn unit(&self, unit_id: UnitId) -> Option<&UnitPlaces> {
        self.units.iter().find(|u| u.unit_id == unit_id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WaitingError {
    #[error("the child is not the family's")]
    UnknownChild,
    #[error("no such unit")]
    UnknownUnit,
    #[error("the day cannot be waited for")]
    Refused(String),
    #[error("not on this waiting list")]
    NotWaiting,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for WaitingError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Unexpected(error.into())
    }
}
