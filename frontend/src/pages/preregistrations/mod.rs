//! « Mes préinscriptions en crèche » (multi-accueil la Souris Verte): the family's requests and
//! where each stands (the offer to answer, the rank on the waiting list, the refusal's reason),
//! the documents the crèche asks for (sent from here), and the form of a request — for a child
//! of « Mes enfants » or an unborn child — checked by the domain's rules before it is sent.
//! Part of the registration bundle (a form filled once or twice): app::inscription.

use chrono::NaiveTime;
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::{DayScheduleBody, PreRegistrationResponse, PreRegistrationStatus};
use portail_domain::format::date_fr;

use crate::api::{self, use_family_session};
use crate::components::{
    Alert, AlertKind, Button, ButtonVariant, ConfirmDialog, Loaded, ServiceContacts, Title,
};
use crate::dom;

mod form;

pub use form::PreRegistrationForm;

const WEEKDAYS: [&str; 5] = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi"];
/// The child select's value for an unborn child.
const UNBORN: &str = "a-naitre";

fn hour(t: NaiveTime) -> String {
    t.format("%-H h %M").to_string()
}

/// « Lundi 8 h 30 – 17 h 00 ; Mardi … ».
fn schedule_text(schedule: &[Option<DayScheduleBody>; 5]) -> String {
    WEEKDAYS
        .iter()
        .zip(schedule)
        .filter_map(|(day, d)| {
            d.map(|d| format!("{day} {} – {}", hour(d.arrival), hour(d.departure)))
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// The crèche's contacts (its number to tap): call before pre-registering, as the note asks.
#[component]
fn CrecheContacts() -> impl IntoView {
    let commune = LocalResource::new(api::get_commune);
    move || {
        commune.get().and_then(Result::ok).map(|c| {
            let creche: Vec<_> = c
                .services
                .into_iter()
                .filter(|s| s.code == ServiceCode::Creche)
                .collect();
            view! { <ServiceContacts services=creche /> }
        })
    }
}

#[component]
pub fn MyPreRegistrations() -> impl IntoView {
    let session = use_family_session();
    let version = RwSignal::new(0_u32);
    let data = LocalResource::new(move || {
        version.track();
        async move { api::list_my_preregistrations(session).await }
    });
    let outcome = RwSignal::new(None::<Result<String, String>>);
    view! {
        <Title text="Mes préinscriptions en crèche — Portail Famille" />
        <p><a href="/espace">"← Mon espace"</a></p>
        <h1>"Mes préinscriptions en crèche"</h1>
        <section class="card stack" aria-labelledby="avant">
            <h2 id="avant" class="visually-hidden">"Avant de commencer"</h2>
            <p>"Accueil régulier au multi-accueil la Souris Verte, pour les enfants de 0 à 4 ans. Nous vous remercions de prendre contact avec la structure avant de saisir votre préinscription :"</p>
            <CrecheContacts />
            <p><a class="btn btn--primary" href="/mes-preinscriptions/nouvelle">"Nouvelle préinscription"</a></p>
        </section>
        <div role="status" id="preinscription-message" tabindex="-1">
            {move || outcome.get().map(|r| match r {
                Ok(m) => view! { <Alert kind=AlertKind::Success><p>{m}</p></Alert> }.into_any(),
                Err(m) => view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> }.into_any(),
            })}
        </div>
        <Loaded resource=data render=move |list| {
                let can_send = list.cannot_send.is_none();
                view! {
                    <SendingNeeds asked=list.asked_documents cannot_send=list.cannot_send />
                    {if list.items.is_empty() {
                        view! { <p class="section">"Aucune préinscription pour le moment."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="list-plain stack preregistration-list">
                                {list.items.into_iter().map(|r| view! { <li><RequestCard request=r can_send=can_send version=version outcome=outcome /></li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                }.into_any()
            } />
    }
}

/// What sending a request needs, said before any click: the documents the crèche asks for,
/// and why the family must wait (its file is not validated yet).
#[component]
fn SendingNeeds(
    asked: Vec<portail_domain::dossier::DocumentType>,
    cannot_send: Option<String>,
) -> impl IntoView {
    let asked = (!asked.is_empty()).then(|| {
        let names: Vec<_> = asked.iter().map(|d| d.label_fr()).collect();
        format!(
            "Pour envoyer une préinscription, la crèche demande\u{a0}: {}. Déposez-les dans «\u{a0}Mes documents\u{a0}» ou depuis la préinscription.",
            names.join(", ")
        )
    });
    view! {
        {cannot_send.map(|why| view! { <Alert kind=AlertKind::Info title="Envoi possible après validation du dossier"><p>{why}</p></Alert> })}
        {asked.map(|text| view! { <p class="section">{text}</p> })}
    }
}

/// One request: its status, what it asks for, and what the family can do now.
#[component]
fn RequestCard(
    request: PreRegistrationResponse,
    /// The family's file is validated: a draft can be sent.
    can_send: bool,
    version: RwSignal<u32>,
    outcome: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let session = use_family_session();
    let id = request.id;
    let status = request.status;
    let busy = RwSignal::new(false);
    let act = move |what: &'static str, done: &'static str| {
        outcome.set(None);
        crate::task::spawn_busy(busy, async move {
            let result = match what {
                "accept" => api::answer_place_offer(session, id, true).await,
                "decline" => api::answer_place_offer(session, id, false).await,
                other => api::preregistration_action(session, id, other).await,
            };
            outcome.set(Some(
                result.map(|_| done.to_owned()).map_err(|e| e.reasons()),
            ));
            version.update(|v| *v += 1);
            dom::focus_id("preinscription-message");
        });
    };
    let r = &request.request;
    let heading_id = format!("demande-{id}");
    let child = match r.expected_on {
        Some(expected) => format!(
            "{} (naissance prévue le {})",
            request.child_label,
            date_fr(expected)
        ),
        None => request.child_label.clone(),
    };
    let badge = match status {
        PreRegistrationStatus::Accepted | PreRegistrationStatus::Offered => "badge badge--ok",
        _ => "badge",
    };
    let missing: Vec<_> = request
        .documents
        .iter()
        .filter(|d| !d.provided)
        .map(|d| d.document_type)
        .collect();
    let open_draft = status == PreRegistrationStatus::Draft;
    let offer_note = request.reason.clone();
    let refusal = request.reason.clone();
    view! {
        <article class="card stack" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone() class="h3">{child}</h2>
            <p><span class=badge>{status.label_fr()}</span>
                {request.rank.map(|rank| format!(" — rang {rank} sur la liste d'attente"))}
            </p>
            <dl class="facts">
                <dt>"Entrée souhaitée"</dt><dd>{date_fr(r.wished_start)}</dd>
                <dt>"Accueil"</dt><dd>{schedule_text(&r.schedule)}{format!(", {} semaines par an", r.weeks_per_year)}</dd>
                {request.sent_on.map(|d| view! { <dt>"Envoyée le"</dt><dd>{date_fr(d)}</dd> })}
            </dl>
            {(status == PreRegistrationStatus::Offered).then(|| view! {
                <Alert kind=AlertKind::Success title="Une place vous est proposée">
                    <p>{format!(
                        "À partir du {}. Répondez avant le {} au soir : sans réponse, la place est proposée à une autre famille.",
                        request.offered_from.map(date_fr).unwrap_or_default(),
                        request.answer_by.map(date_fr).unwrap_or_default()
                    )}</p>
                    {offer_note.clone().map(|m| view! { <p>{m}</p> })}
                    <div class="btn-row">
                        <Button busy=busy on_click=Callback::new(move |_| act("accept", "Vous avez accepté la place : la crèche vous contacte."))>"Accepter la place"</Button>
                        <Button variant=ButtonVariant::Secondary busy=busy on_click=Callback::new(move |_| act("decline", "Vous avez refusé la place : la demande revient en liste d'attente."))>"Refuser la place"</Button>
                    </div>
                </Alert>
            })}
            {(status == PreRegistrationStatus::Refused).then(|| refusal.clone().map(|m| view! {
                <Alert kind=AlertKind::Warning title="Motif"><p>{m}</p></Alert>
            }))}
            {(!missing.is_empty()).then(|| view! { <MissingDocuments missing=missing.clone() version=version outcome=outcome /> })}
            {open_draft.then(|| view! {
                <div class="btn-row">
                    <a class="btn btn--secondary" href=format!("/mes-preinscriptions/{id}")>"Modifier"</a>
                    {can_send.then(|| view! {
                        <Button busy=busy on_click=Callback::new(move |_| act("submit", "Préinscription envoyée : la crèche l'étudie et vous répond ici et par e-mail."))>"Envoyer la préinscription"</Button>
                    })}
                </div>
            })}
            {portail_domain::rules::preregistration::is_open(status).then(|| view! {
                <CancelRequest id=id sent=status != PreRegistrationStatus::Draft
                    on_confirm=Callback::new(move |()| act("cancel", "Préinscription annulée.")) />
            })}
        </article>
    }
}

/// « Annuler cette préinscription », asked first: a request sent loses its rank.
#[component]
fn CancelRequest(id: uuid::Uuid, sent: bool, on_confirm: Callback<()>) -> impl IntoView {
    let asking = RwSignal::new(false);
    view! {
        <p><button type="button" class="link-button" on:click=move |_| asking.set(true)>"Annuler cette préinscription"</button></p>
        <ConfirmDialog id=format!("annuler-{id}") open=asking title="Annuler cette préinscription ?" confirm_label="Annuler la préinscription"
            on_confirm=on_confirm>
            <p>{if sent {
                "La demande est retirée : si vous en déposez une nouvelle, elle prendra sa place à sa date d'envoi, après les demandes déjà en attente (le rang sur la liste d'attente est perdu)."
            } else {
                "Le brouillon est abandonné."
            }}</p>
        </ConfirmDialog>
    }
}

/// The documents the crèche asks for that are not there yet, each sent from here (they go to
/// « Mes documents »).
#[component]
fn MissingDocuments(
    missing: Vec<portail_domain::dossier::DocumentType>,
    version: RwSignal<u32>,
    outcome: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let session = use_family_session();
    view! {
        <Alert kind=AlertKind::Warning title="Pièces demandées par la crèche">
            <ul class="list-plain stack">
                {missing.into_iter().map(|kind| {
                    let input_id = format!("piece-{}", kind.as_str());
                    let on_change = move |ev: leptos::ev::Event| {
                        use wasm_bindgen::JsCast as _;
                        let file = ev
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                            .and_then(|i| i.files())
                            .and_then(|f| f.get(0));
                        let Some(file) = file else { return };
                        leptos::task::spawn_local(async move {
                            let sent = api::upload_document(session, kind, None, &file).await;
                            outcome.set(Some(sent.map(|_| format!("«\u{a0}{}\u{a0}» déposé.", kind.label_fr())).map_err(|e| e.message())));
                            version.update(|v| *v += 1);
                        });
                    };
                    view! {
                        <li>
                            <label for=input_id.clone()>{format!("{} (PDF, JPEG ou PNG)", kind.label_fr())}</label>
                            <input type="file" id=input_id accept="application/pdf,image/jpeg,image/png" on:change=on_change />
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Alert>
    }
}
