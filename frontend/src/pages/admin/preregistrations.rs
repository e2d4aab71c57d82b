//! `/admin/preinscriptions`: the crèche's commission. The requests sent, filtered (status,
//! wished start, age at the start, a weekday, hours a week); a decision for the ticked ones
//! (to the commission, a place offered from a day with an answer deadline, refused with a
//! reason, waiting list), each answered on its own; the waiting list's order changed with a
//! reason (audited).

use chrono::NaiveDate;
use leptos::prelude::*;
use portail_domain::api::{
    DecidePreRegistrationsRequest, DecisionOutcome, PreRegistrationDecision, PreRegistrationQuery,
    PreRegistrationStatus, ReorderWaitingListRequest, StaffPreRegistration,
};
use portail_domain::format::date_fr;
use portail_domain::parse::{FieldErrors, InvalidValue};
use uuid::Uuid;

use crate::api::{self, use_staff_session};
use crate::components::{
    Alert, AlertKind, Button, Loaded, SelectField, TextArea, TextField, Title,
};

const WEEKDAYS: [&str; 5] = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi"];

#[derive(Clone, Copy)]
struct Filters {
    status: RwSignal<String>,
    start_from: RwSignal<String>,
    start_to: RwSignal<String>,
    max_age: RwSignal<String>,
    weekday: RwSignal<String>,
    max_hours: RwSignal<String>,
}

impl Filters {
    fn query(&self) -> PreRegistrationQuery {
        let date = |s: RwSignal<String>| NaiveDate::parse_from_str(s.get().trim(), "%Y-%m-%d").ok();
        let number = |s: RwSignal<String>| s.get().trim().parse::<u32>().ok();
        PreRegistrationQuery {
            status: PreRegistrationStatus::parse(&self.status.get()),
            start_from: date(self.start_from),
            start_to: date(self.start_to),
            max_age_months: number(self.max_age),
            weekday: self.weekday.get().parse::<u8>().ok(),
            max_weekly_hours: number(self.max_hours),
        }
    }
}

fn hours(minutes: u32) -> String {
    match minutes % 60 {
        0 => format!("{} h", minutes / 60),
        m => format!("{} h {m:02}", minutes / 60),
    }
}

#[component]
pub fn StaffPreRegistrations() -> impl IntoView {
    let session = use_staff_session();
    let text = || RwSignal::new(String::new());
    let filters = Filters {
        status: RwSignal::new("tous".to_owned()),
        start_from: text(),
        start_to: text(),
        max_age: text(),
        weekday: RwSignal::new("tous".to_owned()),
        max_hours: text(),
    };
    // The filters apply on « Filtrer »; a decision reads the list again.
    let applied = RwSignal::new(PreRegistrationQuery::default());
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        version.track();
        let query = applied.get();
        async move { api::list_preregistrations(session, &query).await }
    });
    let ticked = RwSignal::new(Vec::<Uuid>::new());
    // Kept outside the list: reading the list again after a decision must not forget it.
    let answers = RwSignal::new(None::<Result<Vec<DecisionOutcome>, String>>);
    let mut statuses = vec![("tous".to_owned(), "Tous".to_owned())];
    statuses.extend(
        PreRegistrationStatus::ALL
            .iter()
            .filter(|s| **s != PreRegistrationStatus::Draft)
            .map(|s| (s.as_str().to_owned(), s.label_fr().to_owned())),
    );
    let mut days = vec![("tous".to_owned(), "Tous".to_owned())];
    days.extend(
        WEEKDAYS
            .iter()
            .enumerate()
            .map(|(i, d)| ((i + 1).to_string(), (*d).to_owned())),
    );
    view! {
        <Title text="Préinscriptions en crèche — Espace du personnel" />
        <h1>"Préinscriptions en crèche"</h1>
        <form class="card" role="search" on:submit=move |ev| { ev.prevent_default(); ticked.set(Vec::new()); applied.set(filters.query()); }>
            <div class="grid-2">
                <SelectField id="filtre-statut" label="Statut" options=statuses value=filters.status />
                <SelectField id="filtre-jour" label="Accueil le" options=days value=filters.weekday />
                <TextField id="filtre-debut" label="Entrée souhaitée à partir du" input_type="date" value=filters.start_from />
                <TextField id="filtre-fin" label="jusqu'au" input_type="date" value=filters.start_to />
                <TextField id="filtre-age" label="Âge à l'entrée, au plus (mois)" inputmode="numeric" value=filters.max_age />
                <TextField id="filtre-heures" label="Heures par semaine, au plus" inputmode="numeric" value=filters.max_hours />
            </div>
            <Button submit=true>"Filtrer"</Button>
        </form>
        <div id="decision-resultat" tabindex="-1" role="status">
                {move || answers.get().map(|r| match r {
                    Ok(items) => view! {
                        <Alert kind=AlertKind::Success title="Décision appliquée">
                            <ul>{items.into_iter().map(|o| view! { <li>{if o.applied { o.status.map(|s| format!("Appliquée : {}", s.label_fr())).unwrap_or_default() } else { format!("Laissée telle quelle : {}", o.message.unwrap_or_default()) }}</li> }).collect_view()}</ul>
                        </Alert>
                    }.into_any(),
                    Err(m) => view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> }.into_any(),
                })}
            </div>
        <Loaded resource=list render=move |value| match value {
                list if list.items.is_empty() => view! { <p class="section">"Aucune préinscription ici."</p> }.into_any(),
                list => view! {
                    <RequestsTable items=list.items.clone() ticked=ticked />
                    <Decide ticked=ticked version=version answers=answers />
                    <Reorder items=list.items version=version />
                }.into_any(),
            } />
    }
}

#[component]
fn RequestsTable(items: Vec<StaffPreRegistration>, ticked: RwSignal<Vec<Uuid>>) -> impl IntoView {
    view! {
        <div class="table-wrap section">
            <table class="table table--stack">
                <caption class="visually-hidden">"Préinscriptions"</caption>
                <thead><tr>
                    <th scope="col"><span class="visually-hidden">"Cocher"</span></th>
                    <th scope="col">"Enfant"</th><th scope="col">"Entrée souhaitée"</th><th scope="col">"Âge à l'entrée"</th>
                    <th scope="col">"Accueil"</th><th scope="col">"Statut"</th><th scope="col">"Pièces"</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|item| {
                        let p = item.preregistration;
                        let id = p.id;
                        let label = format!("{} ({})", p.child_label, item.family_name);
                        let days: Vec<&str> = WEEKDAYS.iter().zip(&p.request.schedule).filter(|(_, d)| d.is_some()).map(|(n, _)| &n[..3]).collect();
                        let documents = if p.documents.iter().all(|d| d.provided) { "Complètes".to_owned() } else { "Manquantes".to_owned() };
                        let status = match p.rank {
                            Some(rank) => format!("{} (rang {rank})", p.status.label_fr()),
                            None => p.status.label_fr().to_owned(),
                        };
                        let offer = p.offered_from.zip(p.answer_by).map(|(from, by)| format!("à partir du {}, réponse avant le {}", date_fr(from), date_fr(by)));
                        view! {
                            <tr>
                                <td><input type="checkbox" id=format!("coche-{id}") aria-label=format!("Cocher {label}")
                                    prop:checked=move || ticked.with(|t| t.contains(&id))
                                    on:change=move |ev| { let on = event_target_checked(&ev); ticked.update(|t| { t.retain(|x| *x != id); if on { t.push(id); } }); } /></td>
                                <td data-label="Enfant">{label}{(!p.request.comment.is_empty()).then(|| view! { <br /><span class="item__meta">{p.request.comment.clone()}</span> })}</td>
                                <td data-label="Entrée souhaitée">{date_fr(p.request.wished_start)}</td>
                                <td data-label="Âge à l'entrée">{format!("{} mois", item.age_at_start_months)}</td>
                                <td data-label="Accueil">{format!("{} — {}", days.join(", "), hours(item.weekly_minutes))}</td>
                                <td data-label="Statut">{status}{offer.map(|o| view! { <br /><span class="item__meta">{o}</span> })}</td>
                                <td data-label="Pièces">{documents}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A decision for the ticked requests, each answered on its own.
#[component]
fn Decide(
    ticked: RwSignal<Vec<Uuid>>,
    version: RwSignal<u32>,
    answers: RwSignal<Option<Result<Vec<DecisionOutcome>, String>>>,
) -> impl IntoView {
    let session = use_staff_session();
    let decision = RwSignal::new(PreRegistrationDecision::Offer.as_str().to_owned());
    let offered_from = RwSignal::new(String::new());
    let answer_by = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let decisions: Vec<(String, String)> = PreRegistrationDecision::ALL
        .iter()
        .map(|d| (d.as_str().to_owned(), d.label_fr().to_owned()))
        .collect();
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let date = |s: RwSignal<String>| {
            NaiveDate::parse_from_str(s.get_untracked().trim(), "%Y-%m-%d").ok()
        };
        let request = DecidePreRegistrationsRequest {
            ids: ticked.get_untracked(),
            decision: PreRegistrationDecision::parse(&decision.get_untracked())
                .unwrap_or(PreRegistrationDecision::ToCommission),
            offered_from: date(offered_from),
            answer_by: date(answer_by),
            reason: reason.get_untracked(),
        };
        if let Err(mut e) = request.validate(crate::dom::today()) {
            if request.ids.is_empty() {
                e = FieldErrors::default();
                e.push(
                    "ids",
                    InvalidValue::new("required", "Cochez au moins une préinscription."),
                );
            }
            errors.set(e);
            crate::dom::focus_first_invalid();
            return;
        }
        errors.set(FieldErrors::default());
        crate::task::spawn_busy(busy, async move {
            let result = api::decide_preregistrations(session, &request).await;
            answers.set(Some(result.map(|r| r.items).map_err(|e| e.message())));
            ticked.set(Vec::new());
            version.update(|v| *v += 1);
            crate::dom::focus_id("decision-resultat");
        });
    };
    view! {
        <form class="card stack section" on:submit=submit novalidate aria-labelledby="decider">
            <h2 id="decider">"Décider pour les préinscriptions cochées"</h2>
            {move || errors.with(|e| e.message_for("ids")).map(|m| view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> })}
            <SelectField id="decision" label="Décision" options=decisions value=decision />
            <Show when=move || decision.get() == PreRegistrationDecision::Offer.as_str()>
                <div class="grid-2">
                    <TextField id="offered_from" label="Premier jour d'accueil" input_type="date" value=offered_from error=error("offered_from") />
                    <TextField id="answer_by" label="Réponse attendue au plus tard le" input_type="date" value=answer_by error=error("answer_by") hint="De demain à 30 jours." />
                </div>
            </Show>
            <TextArea id="reason" label="Motif ou message à la famille (obligatoire pour un refus)" value=reason error=error("reason") />
            <Button submit=true busy=busy>"Appliquer"</Button>
        </form>
    }
}

/// Puts a request of the waiting list at a rank, with a reason (written in the audit log).
#[component]
fn Reorder(items: Vec<StaffPreRegistration>, version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let waiting: Vec<(String, String)> = items
        .iter()
        .filter(|i| i.preregistration.status == PreRegistrationStatus::WaitingList)
        .map(|i| {
            let p = &i.preregistration;
            (
                p.id.to_string(),
                format!(
                    "{} ({}) — rang {}",
                    p.child_label,
                    i.family_name,
                    p.rank.unwrap_or(0)
                ),
            )
        })
        .collect();
    if waiting.is_empty() {
        return ().into_any();
    }
    let chosen = RwSignal::new(waiting.first().map(|w| w.0.clone()).unwrap_or_default());
    let rank = RwSignal::new("1".to_owned());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let request = ReorderWaitingListRequest {
            id: Uuid::parse_str(&chosen.get_untracked()).unwrap_or_default(),
            rank: rank.get_untracked().trim().parse().unwrap_or(0),
            reason: reason.get_untracked(),
        };
        if let Err(e) = request.validate() {
            errors.set(e);
            crate::dom::focus_first_invalid();
            return;
        }
        errors.set(FieldErrors::default());
        crate::task::spawn_busy(busy, async move {
            match api::reorder_waiting_list(session, &request).await {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => failure.set(Some(e.message())),
            }
        });
    };
    view! {
        <form class="card stack section" on:submit=submit novalidate aria-labelledby="rang">
            <h2 id="rang">"Changer le rang d'une demande en liste d'attente"</h2>
            <p class="fine-print">"Les autres demandes gardent leur ordre d'arrivée autour d'elle. Le motif est écrit dans le journal d'audit."</p>
            <SelectField id="reorder-id" label="Demande" options=waiting value=chosen />
            <TextField id="reorder-rank" label="Nouveau rang" inputmode="numeric" value=rank error=error("rank") />
            <TextField id="reorder-reason" label="Motif" value=reason error=error("reason") required=true />
            {move || failure.get().map(|m| view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> })}
            <Button submit=true busy=busy>"Enregistrer le rang"</Button>
        </form>
    }
    .into_any()
}
