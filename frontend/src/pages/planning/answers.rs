//! What was answered lately and the bookings to come.

use leptos::prelude::*;
use portail_domain::api::{BookingResponse, BookingStatus};
use portail_domain::format::date_fr;

use super::*;
use crate::api::{self, use_family_session};
use crate::components::Loaded;
use crate::dom;

/// The refused lines of recent recaps, readable after a reload, as the e-mail says.
#[component]
pub(super) fn RecentAnswers(version: RwSignal<u32>, names: Names) -> impl IntoView {
    let session = use_family_session();
    let answers = LocalResource::new(move || {
        version.track();
        async move { api::list_recent_answers(session).await }
    });
    let names_for_answers = names;
    view! {
        <Transition fallback=|| ()>
            {move || answers.get().and_then(Result::ok).filter(|list| !list.items.is_empty()).map(|list| {
                let names = names_for_answers.clone();
                view! {
                    <section class="section card" aria-labelledby="dernieres-demandes">
                        <h2 id="dernieres-demandes">"Mes dernières demandes"</h2>
                        <p class="muted">"Les lignes que vos derniers envois n'ont pas pu enregistrer, et pourquoi."</p>
                        {list.items.into_iter().map(|answer| {
                            let names = names.clone();
                            view! {
                                <h3 class="h4">{format!("Envoi du {}", dom::local_datetime(answer.sent_at))}</h3>
                                <ul>
                                    {answer.refused.into_iter().map(|r| {
                                        let (_, unit_name) = names.unit(r.line.unit_id);
                                        view! { <li>{format!("{} — {} — {} : {}", capitalized(&date_fr(r.line.date)), unit_name, names.child(r.line.child_id), r.reason.unwrap_or_default())}</li> }
                                    }).collect_view()}
                                </ul>
                            }
                        }).collect_view()}
                    </section>
                }
            })}
        </Transition>
    }
}

/// « Mes réservations à venir ».
#[component]
pub(super) fn UpcomingSection(version: RwSignal<u32>, names: Names) -> impl IntoView {
    let session = use_family_session();
    let upcoming = LocalResource::new(move || {
        version.track();
        async move { api::list_my_bookings(session).await }
    });
    let names_for_upcoming = names;
    view! {
        <section class="section" aria-labelledby="a-venir">
            <h2 id="a-venir">"Mes réservations à venir"</h2>
            <Loaded resource=upcoming render=move |list| view! { <Upcoming items=list.items names=names_for_upcoming.clone() /> }.into_any() />
        </section>
    }
}

#[component]
pub(super) fn Upcoming(items: Vec<BookingResponse>, names: Names) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted">"Aucune réservation à venir."</p> }.into_any();
    }
    view! {
        <ul class="list-plain">
            {items.into_iter().map(|b| {
                let badge = match b.status {
                    BookingStatus::Booked => "badge badge--ok",
                    BookingStatus::Requested => "badge badge--info",
                    BookingStatus::Declined | BookingStatus::Cancelled => "badge badge--error",
                };
                view! {
                    <li class="item">
                        <div class="item__main">
                            <span class="item__title">{format!("{} — {}", capitalized(&date_fr(b.date)), b.child_first_name)}</span>
                            <span class="item__meta">{format!("{} · {}", names.services.iter().find(|s| s.code == b.service).map(|s| s.name.as_str()).unwrap_or_default(), b.unit_name)}</span>
                            <span class=badge>{b.status.label_fr()}</span>
                            {b.decline_reason.map(|r| view! { <span class="item__meta">{format!("Motif : {r}")}</span> })}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
