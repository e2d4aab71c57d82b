//! « Demandes d'accueil » (staff): the wishes of a week for a `request` service (the
//! crèche's occasional care); accept or decline each, or a selection at once. Accepting
//! never goes past the capacity; the parents are e-mailed.

use std::collections::HashSet;

use crate::components::Title;
use chrono::{Datelike as _, Duration, NaiveDate};
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::{
    BookingRequestItem, DecideBookingRequestsRequest, RequestDecision, RequestDecisionLine,
};
use portail_domain::format::{agree, count, date_fr};
use uuid::Uuid;

use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Loaded, TextField};
use crate::dom;

#[component]
pub fn StaffRequests() -> impl IntoView {
    view! {
        <Title text="Demandes d'accueil — Espace du personnel" />
        <RequestsContent />
    }
}

#[component]
fn RequestsContent() -> impl IntoView {
    let session = use_staff_session();
    // Wishes are entered on Monday for the next week: that week is the one to decide.
    let today = dom::today();
    let next_monday = today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
    let week = RwSignal::new(next_monday.to_string());
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        version.track();
        let week_of = NaiveDate::parse_from_str(&week.get(), "%Y-%m-%d").ok();
        async move { api::list_booking_requests(session, ServiceCode::Creche, week_of).await }
    });
    let outcome = RwSignal::new(None::<Result<String, String>>);
    // Kept here, above the list: a decision reloads the list (a new `Queue`), and what the
    // agent has typed or ticked meanwhile must survive it (a reason typed while the list
    // reloaded after « Accepter » was lost, and « Refuser » then asked for it).
    let state = QueueState {
        selected: RwSignal::new(HashSet::new()),
        reason: RwSignal::new(String::new()),
        reason_error: RwSignal::new(None),
        busy: RwSignal::new(false),
    };
    view! {
        <h1>"Demandes d'accueil occasionnel"</h1>
        <p class="lead">"Les souhaits saisis par les familles pour la crèche. Accepter réserve la place (jamais au-delà de la capacité) ; refuser demande un motif. La famille reçoit un e-mail."</p>
        <div class="card narrow">
            <TextField id="requests-week" label="Semaine du" input_type="date" value=week hint="Un jour de la semaine voulue." />
        </div>
        <div id="requests-outcome" role="status" tabindex="-1">{move || outcome.get().map(|r| match r {
            Ok(m) => view! { <Alert kind=AlertKind::Success><p>{m}</p></Alert> }.into_any(),
            Err(m) => view! { <Alert kind=AlertKind::Warning><p>{m}</p></Alert> }.into_any(),
        })}</div>
        <Loaded resource=list render=move |value| match value {
                list if list.items.is_empty() => view! { <p class="muted section">"Aucun souhait en attente pour cette semaine."</p> }.into_any(),
                list => view! { <Queue items=list.items version=version outcome=outcome state=state /> }.into_any(),
            } />
    }
}

/// What the agent is doing on the queue, owned by the page so that a reload keeps it.
#[derive(Clone, Copy)]
struct QueueState {
    selected: RwSignal<HashSet<Uuid>>,
    reason: RwSignal<String>,
    reason_error: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

#[component]
fn Queue(
    items: Vec<BookingRequestItem>,
    version: RwSignal<u32>,
    outcome: RwSignal<Option<Result<String, String>>>,
    state: QueueState,
) -> impl IntoView {
    let session = use_staff_session();
    let QueueState {
        selected,
        reason,
        reason_error,
        busy,
    } = state;
    let all: Vec<Uuid> = items.iter().map(|i| i.booking_id).collect();
    let decide = move |ids: Vec<Uuid>, decision: RequestDecision| {
        reason_error.set(None);
        if ids.is_empty() {
            outcome.set(Some(Err("Cochez au moins un souhait.".to_owned())));
            return;
        }
        let why = reason.get_untracked().trim().to_owned();
        if decision == RequestDecision::Decline && why.is_empty() {
            reason_error.set(Some(
                "Indiquez le motif du refus : il est envoyé à la famille.".to_owned(),
            ));
            dom::focus_first_invalid();
            return;
        }
        let request = DecideBookingRequestsRequest {
            decisions: ids
                .into_iter()
                .map(|booking_id| RequestDecisionLine {
                    booking_id,
                    decision,
                    reason: (decision == RequestDecision::Decline).then(|| why.clone()),
                })
                .collect(),
        };
        crate::task::spawn_busy(busy, async move {
            match api::decide_booking_requests(session, &request).await {
                Ok(response) => {
                    let failed: Vec<String> = response
                        .results
                        .iter()
                        .filter_map(|r| r.error.clone())
                        .collect();
                    let done = response.results.len().saturating_sub(failed.len());
                    let (one, many) = if decision == RequestDecision::Accept {
                        ("accepté", "acceptés")
                    } else {
                        ("refusé", "refusés")
                    };
                    let decided = format!(
                        "{} {}",
                        count(done as u64, "souhait", "souhaits"),
                        agree(done as u64, one, many)
                    );
                    outcome.set(Some(if failed.is_empty() {
                        Ok(format!(
                            "{decided}. Les familles sont prévenues par e-mail."
                        ))
                    } else {
                        Err(format!(
                            "{decided} ; {} {} : {}",
                            count(failed.len() as u64, "souhait", "souhaits"),
                            agree(failed.len() as u64, "non traité", "non traités"),
                            failed.join(" ; ")
                        ))
                    }));
                    selected.set(HashSet::new());
                    if decision == RequestDecision::Decline {
                        reason.set(String::new());
                    }
                    version.update(|v| *v += 1);
                }
                Err(error) => outcome.set(Some(Err(error.message()))),
            }
            dom::focus_id("requests-outcome");
        });
    };
    let select_all = {
        let all = all.clone();
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            selected.set(if on {
                all.iter().copied().collect()
            } else {
                HashSet::new()
            });
        }
    };
    let all_count = all.len();
    view! {
        <section class="section" aria-labelledby="souhaits">
            <h2 id="souhaits">{format!("{} en attente", count(items.len() as u64, "souhait", "souhaits"))}</h2>
            <div class="table-wrap"><table class="table table--stack">
                <thead><tr>
                    <th scope="col"><input type="checkbox" id="requests-all" aria-label="Tout sélectionner"
                        prop:checked=move || selected.with(|s| s.len() == all_count) on:change=select_all /></th>
                    <th scope="col">"Jour"</th><th scope="col">"Enfant"</th><th scope="col">"Créneau"</th><th scope="col">"Places libres"</th><th scope="col">"Décision"</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|item| {
                        let id = item.booking_id;
                        let label = format!("{} — {} — {}", item.child_name, date_fr(item.date), item.unit_name);
                        view! {
                            <tr>
                                <td><input type="checkbox" aria-label=format!("Sélectionner {label}")
                                    prop:checked=move || selected.with(|s| s.contains(&id))
                                    on:change=move |ev| { let on = event_target_checked(&ev); selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } }); } /></td>
                                <td data-label="Jour">{date_fr(item.date)}</td>
                                <td data-label="Enfant">{item.child_name.clone()}</td>
                                <td data-label="Créneau">{item.unit_name.clone()}</td>
                                <td data-label="Places libres">{item.places_left}</td>
                                <td class="btn-row">
                                    <button type="button" class="btn btn--primary btn--small" disabled=move || busy.get()
                                        on:click=move |_| decide(vec![id], RequestDecision::Accept)>"Accepter" <span class="visually-hidden">{label.clone()}</span></button>
                                    <button type="button" class="btn btn--danger btn--small" disabled=move || busy.get()
                                        on:click=move |_| decide(vec![id], RequestDecision::Decline)>"Refuser" <span class="visually-hidden">{label.clone()}</span></button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
            <div class="card">
                <TextField id="requests-reason" label="Motif du refus" value=reason error=reason_error hint="Obligatoire pour refuser ; la famille le lit dans son planning et dans l'e-mail." />
                <div class="btn-row">
                    <button type="button" class="btn btn--primary" disabled=move || busy.get()
                        on:click=move |_| decide(selected.get_untracked().into_iter().collect(), RequestDecision::Accept)>"Accepter la sélection"</button>
                    <button type="button" class="btn btn--danger" disabled=move || busy.get()
                        on:click=move |_| decide(selected.get_untracked().into_iter().collect(), RequestDecision::Decline)>"Refuser la sélection"</button>
                </div>
            </div>
        </section>
    }
}
