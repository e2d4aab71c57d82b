//! The tail every change ends with, written once: its audit rows and its webhook events are
//! written in the change's own transaction, the transaction commits, and the outbox worker is
//! woken when the change queued e-mails (so they leave now, not at the next poll).
//!
//! ```ignore
//! Change::at(now)
//!     .audit(Audit::by(staff_id, action::VALIDATE_FAMILY).family(family_id))
//!     .event(events::dossier_event(WebhookEvent::DossierValidated, family_id, status))
//!     .mailed()
//!     .commit(txn, &ctx.outbox, "a validation")
//!     .await?;
//! ```
//!
//! Ground floor: it knows the audit log, the webhook events and the outbox, no feature.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use portail_domain::audit::AuditAction;
use portail_domain::ids::{self, StaffId};
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use uuid::Uuid;

use crate::events::{self, Event};
use crate::family::audit;
use crate::outbox::OutboxSignal;

/// One row of the audit log: who did what, to which family and which record, with what detail.
#[derive(Debug, Clone)]
#[must_use = "an audit row is written by `Change::audit` or `Audit::write`"]
pub struct Audit {
    staff_id: StaffId,
    action: AuditAction,
    family_id: Option<Uuid>,
    target_id: Option<Uuid>,
    detail: Option<String>,
}

impl Audit {
    pub fn by(staff_id: StaffId, action: AuditAction) -> Self {
        Self {
            staff_id,
            action,
            family_id: None,
            target_id: None,
            detail: None,
        }
    }

    /// The family concerned: a [`FamilyId`], or a `Uuid` read from a row, or an `Option`.
    pub fn family(self, family_id: impl AuditId) -> Self {
        Self {
            family_id: family_id.audit_uuid(),
            ..self
        }
    }

    pub fn target(self, target_id: impl AuditId) -> Self {
        Self {
            target_id: target_id.audit_uuid(),
            ..self
        }
    }

    pub fn detail(self, detail: impl Into<Option<String>>) -> Self {
        Self {
            detail: detail.into(),
            ..self
        }
    }

    /// Writes the row now, in `conn` (for a change that audits inside a loop of its own).
    pub async fn write<C: ConnectionTrait>(
        self,
        conn: &C,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        audit::record(
            conn,
            self.staff_id,
            self.action,
            self.family_id,
            self.target_id,
            self.detail,
            now,
        )
        .await
    }
}

/// What [`Audit::family`] and [`Audit::target`] take: a typed id, a `Uuid` read from a row,
/// or an `Option` of either.
pub trait AuditId {
    fn audit_uuid(self) -> Option<Uuid>;
}

impl AuditId for Uuid {
    fn audit_uuid(self) -> Option<Uuid> {
        Some(self)
    }
}

impl<T: AuditId> AuditId for Option<T> {
    fn audit_uuid(self) -> Option<Uuid> {
        self.and_then(AuditId::audit_uuid)
    }
}

macro_rules! audit_ids {
    ($($id:ty),+) => {$(
        impl AuditId for $id {
            fn audit_uuid(self) -> Option<Uuid> {
                Some(self.uuid())
            }
        }
    )+};
}

audit_ids!(
    ids::FamilyId,
    ids::ChildId,
    ids::StaffId,
    ids::UnitId,
    ids::InvoiceId,
    ids::PaymentId,
    ids::BookingId,
    ids::DocumentId,
    ids::PreRegistrationId
);

/// What a change leaves besides its own rows, written by [`Change::commit`].
#[derive(Debug)]
#[must_use = "a change is written by `commit`"]
pub struct Change {
    now: DateTime<Utc>,
    audit: Vec<Audit>,
    events: Vec<Event>,
    mailed: bool,
}

impl Change {
    pub fn at(now: DateTime<Utc>) -> Self {
        Self {
            now,
            audit: Vec::new(),
            events: Vec::new(),
            mailed: false,
        }
    }

    pub fn audit(mut self, row: Audit) -> Self {
        self.audit.push(row);
        self
    }

    /// Adds the row when there is one (a change audited only when staff made it).
    pub fn audit_if(self, row: Option<Audit>) -> Self {
        match row {
            Some(row) => self.audit(row),
            None => self,
        }
    }

    pub fn event(mut self, event: Event) -> Self {
        self.events.push(event);
        self
    }

    pub fn events(mut self, events: impl IntoIterator<Item = Event>) -> Self {
        self.events.extend(events);
        self
    }

    /// The change queued e-mails in the outbox: the worker is woken after the commit.
    pub fn mailed(self) -> Self {
        Self {
            mailed: true,
            ..self
        }
    }

    /// Wakes the outbox worker only when `mailed` (e.g. an invitation sent or not).
    pub fn mailed_if(self, mailed: bool) -> Self {
        Self {
            mailed: self.mailed || mailed,
            ..self
        }
    }

    /// Writes the audit rows and the events in `txn`, commits it (`what` names the change in
    /// the error), then wakes the outbox worker if e-mails were queued.
    pub async fn commit(
        self,
        txn: DatabaseTransaction,
        outbox: &OutboxSignal,
        what: &str,
    ) -> anyhow::Result<()> {
        for row in self.audit {
            row.write(&txn, self.now).await?;
        }
        events::emit(&txn, &self.events, self.now).await?;
        txn.commit()
            .await
            .with_context(|| format!("Failed to commit {what}"))?;
        if self.mailed {
            outbox.wake();
        }
        Ok(())
    }
}
