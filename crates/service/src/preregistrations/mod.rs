//! « Mes préinscriptions en crèche » (issue 13): the family's side (`family`: drafts, sending,
//! cancelling, answering an offer, declaring the birth) and the commission's (`commission`:
//! the list with its filters, decisions in bulk, offers with a deadline, the waiting list's
//! order). Every change of status is written in the family file's history and e-mailed
//! (outbox) in the transaction that makes it; an offer not answered by its deadline goes back
//! on the waiting list (`lapse_offers`, run before every read and answer, and by the hourly
//! job). Rules: `portail_domain::rules::preregistration`; design: docs/preregistrations.md.

pub mod commission;
pub mod family;

use std::collections::HashMap;

use anyhow::Context as _;
use portail_domain::ServiceCode;
use portail_domain::api::{
    DayScheduleBody, PreRegistrationDocument, PreRegistrationRequest, PreRegistrationResponse,
    PreRegistrationStatus,
};
use portail_domain::dossier::{DocumentStatus, DocumentType, DossierEventKind};
use portail_domain::format::date_fr;
use portail_domain::ids::FamilyId;
use portail_domain::rules::preregistration::{self as rules, Uploaded, Waiting};
use portail_entity::{child, document, document_requirement, preregistration as row, service};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::Context;
use crate::change::Change;
use crate::family::Actor;

pub use family::{answer, cancel, list, save, sending_needs, submit};

#[derive(Debug, thiserror::Error)]
pub enum PreRegistrationError {
    #[error("no such pre-registration in this family")]
    NotFound,
    #[error("invalid fields")]
    Invalid(portail_domain::parse::FieldErrors),
    #[error("this action does not apply now")]
    Conflict(String),
    /// The family's file is not validated: the French reason.
    #[error("the family file is not validated")]
    DossierNotValidated(String),
    #[error("the staff member does not manage the crèche")]
    OutOfScope,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for PreRegistrationError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Unexpected(error.into())
    }
}

/// The pre-registration's status as stored: an unknown code is an error, never a default.
pub(crate) fn status_of(r: &row::Model) -> anyhow::Result<PreRegistrationStatus> {
    Ok(portail_domain::string_enum::stored(
        "pre-registration status",
        &r.status,
        PreRegistrationStatus::parse,
    )?)
}

pub(crate) fn request_of(r: &row::Model) -> PreRegistrationRequest {
    PreRegistrationRequest {
        child_id: r.child_id,
        expected_on: r.expected_on,
        wished_start: r.wished_start,
        schedule: serde_json::from_str::<[Option<DayScheduleBody>; 5]>(&r.schedule)
            .unwrap_or([None; 5]),
        weeks_per_year: u32::try_from(r.weeks_per_year).unwrap_or(0),
        comment: r.comment.clone(),
    }
}

/// The waiting list's ranks (`rules::waiting_order`): every request on it, wherever its family.
pub(crate) async fn ranks<C: ConnectionTrait>(conn: &C) -> anyhow::Result<HashMap<Uuid, u32>> {
    let waiting = row::Entity::find()
        .filter(row::Column::Status.eq(PreRegistrationStatus::WaitingList.as_str()))
        .all(conn)
        .await
        .context("Failed to read the waiting list")?;
    let list: Vec<Waiting<Uuid>> = waiting
        .iter()
        .map(|r| Waiting {
            id: r.id,
            joined: r.waiting_since.unwrap_or(r.created_at),
            placed_at: r.waiting_placed_at.and_then(|p| u32::try_from(p).ok()),
        })
        .collect();
    Ok(rules::waiting_order(&list).into_iter().collect())
}

/// The documents the commune asks for a pre-registration: the crèche's requirements.
pub(crate) async fn asked_documents<C: ConnectionTrait>(
    conn: &C,
) -> anyhow::Result<Vec<(DocumentType, bool)>> {
    let Some(creche) = service::Entity::find()
        .filter(service::Column::Code.eq(ServiceCode::Creche.as_str()))
        .one(conn)
        .await?
    else {
        return Ok(Vec::new());
    };
    Ok(document_requirement::Entity::find()
        .filter(document_requirement::Column::ServiceId.eq(creche.id))
        .all(conn)
        .await
        .context("Failed to read the crèche's requirements")?
        .into_iter()
        .filter_map(|r| Some((DocumentType::parse(&r.document_type)?, r.per_child)))
        .collect())
}

/// What is needed to answer about requests: the documents asked, each family's uploads, the
/// waiting list's ranks, the children's first names.
pub(crate) struct Facts {
    asked: Vec<(DocumentType, bool)>,
    uploaded: HashMap<Uuid, Vec<Uploaded>>,
    ranks: HashMap<Uuid, u32>,
    first_names: HashMap<Uuid, String>,
    pub(crate) birth_dates: HashMap<Uuid, Option<chrono::NaiveDate>>,
}

impl Facts {
    pub(crate) async fn load<C: ConnectionTrait>(
        conn: &C,
        rows: &[row::Model],
    ) -> anyhow::Result<Self> {
        let families: Vec<Uuid> = {
            let mut f: Vec<Uuid> = rows.iter().map(|r| r.family_id).collect();
            f.sort_unstable();
            f.dedup();
            f
        };
        let children: Vec<Uuid> = rows.iter().filter_map(|r| r.child_id).collect();
        let mut uploaded: HashMap<Uuid, Vec<Uploaded>> = HashMap::new();
        let mut first_names = HashMap::new();
        let mut birth_dates = HashMap::new();
        for chunk in families.chunks(500) {
            for d in document::Entity::find()
                .filter(document::Column::FamilyId.is_in(chunk.to_vec()))
                .all(conn)
                .await
                .context("Failed to read documents")?
            {
                if let Some(document_type) = DocumentType::parse(&d.document_type) {
                    uploaded.entry(d.family_id).or_default().push(Uploaded {
                        document_type,
                        child_id: d.child_id,
                        refused: d.status == DocumentStatus::Refused.as_str(),
                    });
                }
            }
        }
        for chunk in children.chunks(500) {
            for c in child::Entity::find()
                .filter(child::Column::Id.is_in(chunk.to_vec()))
                .all(conn)
                .await
                .context("Failed to read children")?
            {
                birth_dates.insert(c.id, c.birth_date);
                first_names.insert(c.id, c.first_name);
            }
        }
        Ok(Self {
            asked: asked_documents(conn).await?,
            uploaded,
            ranks: ranks(conn).await?,
            first_names,
            birth_dates,
        })
    }

    pub(crate) fn child_label(&self, r: &row::Model) -> String {
        match r.child_id {
            Some(id) => self
                .first_names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| "Enfant".to_owned()),
            None => "Enfant à naître".to_owned(),
        }
    }

    pub(crate) fn documents(&self, r: &row::Model) -> Vec<PreRegistrationDocument> {
        let uploaded = self
            .uploaded
            .get(&r.family_id)
            .map_or(&[][..], Vec::as_slice);
        rules::documents_provided(&self.asked, r.child_id, uploaded)
            .into_iter()
            .map(|(document_type, provided)| PreRegistrationDocument {
                document_type,
                provided,
            })
            .collect()
    }

    pub(crate) fn response(&self, r: &row::Model) -> anyhow::Result<PreRegistrationResponse> {
        let status = status_of(r)?;
        Ok(PreRegistrationResponse {
            id: r.id,
            status,
            request: request_of(r),
            child_label: self.child_label(r),
            sent_on: r.sent_on,
            offered_from: r.offered_from,
            answer_by: r.answer_by,
            reason: r.reason.clone(),
            rank: self.ranks.get(&r.id).copied(),
            documents: self.documents(r),
        })
    }
}

/// One request's answer, read again (after a change).
pub(crate) async fn response_of(
    ctx: &Context,
    id: Uuid,
) -> Result<PreRegistrationResponse, PreRegistrationError> {
    let stored = row::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or(PreRegistrationError::NotFound)?;
    let facts = Facts::load(&ctx.db, std::slice::from_ref(&stored)).await?;
    Ok(facts.response(&stored)?)
}

/// The columns a move changes besides the status.
#[derive(Debug, Default, Clone)]
pub(crate) struct Changes {
    pub sent_on: Option<chrono::NaiveDate>,
    pub offer: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    pub reason: Option<String>,
    /// Joins the waiting list now (keeping an earlier arrival when it had one).
    pub joins_waiting_list: bool,
}

/// Moves a request from `from` to `to` if it is still `from` (a guarded update: of two
/// moves at once, one wins; the other is told), writes the family file's history and queues
/// the e-mail, all in `conn`'s transaction. `false`: it had already changed.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn apply_move<C: ConnectionTrait>(
    ctx: &Context,
    conn: &C,
    stored: &row::Model,
    to: PreRegistrationStatus,
    changes: &Changes,
    what: &str,
    actor: Actor,
) -> anyhow::Result<bool> {
    let now = ctx.clock.now();
    let from = status_of(stored)?;
    let mut update = row::Entity::update_many()
        .col_expr(row::Column::Status, Expr::value(to.as_str()))
        .col_expr(row::Column::UpdatedAt, Expr::value(now));
    if let Some(sent_on) = changes.sent_on {
        update = update.col_expr(row::Column::SentOn, Expr::value(Some(sent_on)));
    }
    if let Some((from_day, answer_by)) = changes.offer {
        update = update
            .col_expr(row::Column::OfferedFrom, Expr::value(Some(from_day)))
            .col_expr(row::Column::AnswerBy, Expr::value(Some(answer_by)));
    }
    if to != PreRegistrationStatus::Offered && to != PreRegistrationStatus::Accepted {
        update = update
            .col_expr(
                row::Column::OfferedFrom,
                Expr::value(Option::<chrono::NaiveDate>::None),
            )
            .col_expr(
                row::Column::AnswerBy,
                Expr::value(Option::<chrono::NaiveDate>::None),
            );
    }
    if let Some(reason) = &changes.reason {
        update = update.col_expr(row::Column::Reason, Expr::value(Some(reason.clone())));
    }
    if changes.joins_waiting_list && stored.waiting_since.is_none() {
        update = update.col_expr(row::Column::WaitingSince, Expr::value(Some(now)));
    }
    let moved = update
        .filter(row::Column::Id.eq(stored.id))
        .filter(row::Column::Status.eq(from.as_str()))
        .exec(conn)
        .await
        .context("Failed to move a pre-registration")?;
    if moved.rows_affected == 0 {
        return Ok(false);
    }
    record(ctx, conn, FamilyId::from(stored.family_id), what, actor).await?;
    Ok(true)
}

/// Writes `what` in the family file's history and e-mails it to the family.
pub(crate) async fn record<C: ConnectionTrait>(
    ctx: &Context,
    conn: &C,
    family_id: FamilyId,
    what: &str,
    actor: Actor,
) -> anyhow::Result<()> {
    let now = ctx.clock.now();
    let dossier = crate::family::family_row(conn, family_id)
        .await?
        .map(|f| crate::family::status_of(&f))
        .transpose()?
        .unwrap_or(portail_domain::api::DossierStatus::Incomplete);
    crate::family::record_event(
        conn,
        family_id,
        DossierEventKind::PreRegistration,
        dossier,
        Some(what.to_owned()),
        actor,
        now,
    )
    .await?;
    let link = ctx.link("/mes-preinscriptions");
    crate::family::email_family(ctx, conn, family_id, |to| {
        crate::emails::preregistration_changed(to, what, &link)
    })
    .await?;
    crate::family::touch(conn, family_id, now).await?;
    Ok(())
}

/// Offers whose answer deadline has passed go back on the waiting list (each once, whichever
/// instance or request sees it first), the family told. Returns how many lapsed.
pub async fn lapse_offers(ctx: &Context) -> anyhow::Result<usize> {
    let today = ctx.clock.today();
    let due = row::Entity::find()
        .filter(row::Column::Status.eq(PreRegistrationStatus::Offered.as_str()))
        .filter(row::Column::AnswerBy.lt(today))
        .all(&ctx.db)
        .await
        .context("Failed to read lapsed offers")?;
    let mut lapsed = 0_usize;
    for stored in due {
        if !stored
            .answer_by
            .is_some_and(|d| rules::offer_lapsed(d, today))
        {
            continue;
        }
        let facts = Facts::load(&ctx.db, std::slice::from_ref(&stored)).await?;
        let what = format!(
            "Sans réponse au {}, la place proposée pour {} est retirée : la demande revient en liste d'attente.",
            stored.answer_by.map(date_fr).unwrap_or_default(),
            facts.child_label(&stored)
        );
        let txn = crate::db::begin(&ctx.db).await?;
        let moved = apply_move(
            ctx,
            &txn,
            &stored,
            PreRegistrationStatus::WaitingList,
            &Changes {
                joins_waiting_list: true,
                ..Changes::default()
            },
            &what,
            Actor::System,
        )
        .await?;
        Change::at(ctx.clock.now())
            .mailed_if(moved)
            .commit(txn, &ctx.outbox, "a lapsed offer")
            .await?;
        if moved {
            lapsed = lapsed.saturating_add(1);
        }
    }
    Ok(lapsed)
}
