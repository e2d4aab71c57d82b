//! « À faire » on the family's dashboard (rules: `portail_domain::rules::to_do`): what it owes,
//! the crèche places offered to it, the services' answers it has not read, its next bookings.

use portail_domain::api::{ConversationQuery, PreRegistrationStatus, ToDoList};
use portail_domain::ids::FamilyId;
use portail_domain::rules::to_do::{NEXT_BOOKINGS, ToDoFacts, to_do};

use crate::Context;

pub async fn list(ctx: &Context, family_id: FamilyId) -> anyhow::Result<ToDoList> {
    let today = ctx.clock.today();
    let balance = crate::billing::payments::balance(&ctx.db, family_id, today).await?;
    let offers = crate::preregistrations::family::list(ctx, family_id)
        .await?
        .into_iter()
        .filter(|p| p.status == PreRegistrationStatus::Offered)
        .filter_map(|p| Some((p.child_label, p.offered_from?, p.answer_by?)))
        .collect();
    let unread = crate::messages::list(
        ctx,
        &crate::messages::Viewer::Family {
            family_id,
            acting: None,
        },
        &ConversationQuery {
            unread: Some(true),
            ..ConversationQuery::default()
        },
    )
    .await
    .map_err(anyhow::Error::new)?
    .items
    .into_iter()
    .map(|c| (c.id, c.service_name))
    .collect();
    let next_bookings = crate::planning::grid::upcoming(ctx, family_id, today)
        .await?
        .into_iter()
        .filter(|b| b.status == portail_domain::api::BookingStatus::Booked)
        .take(NEXT_BOOKINGS.saturating_add(1))
        .map(|b| (b.child_first_name, b.date, b.unit_name))
        .collect();
    Ok(ToDoList {
        items: to_do(&ToDoFacts {
            balance_cents: balance.balance_cents,
            overdue_cents: balance.overdue_cents,
            offers,
            unread,
            next_bookings,
        }),
    })
}
