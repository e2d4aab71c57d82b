//! « Mes préinscriptions en crèche » (multi-accueil la Souris Verte): the family's requests and
//! where each stands (the offer to answer, the rank on the waiting list, the refusal's reason),
//! the documents the crèche asks for (sent from here), and the form of a request — for a child
//! of « Mes enfants » or an unborn child — checked by the domain's rules before it is sent.
//! Part of the registration bundle (a form filled once or twice): app::inscription.

use chrono::{NaiveDate, NaiveTime};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use portail_domain::ServiceCode;
use portail_domain::api::{
    ChildResponse, DayScheduleBody, PreRegistrationRequest, PreRegistrationResponse,
    PreRegistrationStatus,
};
use portail_domain::format::date_fr;
use portail_domain::parse::{FieldErrors, InvalidValue};
use uuid::Uuid;

use crate::api::{self, use_family_session};
use crate::components::{
    Alert, AlertKind, Button, ButtonVariant, ConfirmDialog, Loaded, SelectField, ServiceContacts,
    TextArea, TextField, Title,
};
use crate::dom;

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
                        <Button busy=busy on:click=move |_| act("accept", "Vous avez accepté la place : la crèche vous contacte.")>"Accepter la place"</Button>
                        <Button variant=ButtonVariant::Secondary busy=busy on:click=move |_| act("decline", "Vous avez refusé la place : la demande revient en liste d'attente.")>"Refuser la place"</Button>
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
                        <Button busy=busy on:click=move |_| act("submit", "Préinscription envoyée : la crèche l'étudie et vous répond ici et par e-mail.")>"Envoyer la préinscription"</Button>
                    })}
                </div>
            })}
            {portail_domain::rules::preregistration::is_open(status).then(|| {
                let asking = RwSignal::new(false);
                let sent = status != PreRegistrationStatus::Draft;
                view! {
                    <p><button type="button" class="link-button" on:click=move |_| asking.set(true)>"Annuler cette préinscription"</button></p>
                    <ConfirmDialog id=format!("annuler-{id}") open=asking title="Annuler cette préinscription ?" confirm_label="Annuler la préinscription"
                        on_confirm=Callback::new(move |()| act("cancel", "Préinscription annulée."))>
                        <p>{if sent {
                            "La demande est retirée : si vous en déposez une nouvelle, elle prendra sa place à sa date d'envoi, après les demandes déjà en attente (le rang sur la liste d'attente est perdu)."
                        } else {
                            "Le brouillon est abandonné."
                        }}</p>
                    </ConfirmDialog>
                }
            })}
        </article>
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

/// One weekday of the form: ticked, arrival, departure.
#[derive(Clone, Copy)]
struct DayFields {
    on: RwSignal<bool>,
    arrival: RwSignal<String>,
    departure: RwSignal<String>,
}

impl DayFields {
    fn new(day: Option<DayScheduleBody>) -> Self {
        let time = |t: NaiveTime| t.format("%H:%M").to_string();
        Self {
            on: RwSignal::new(day.is_some()),
            arrival: RwSignal::new(day.map_or_else(|| "08:30".to_owned(), |d| time(d.arrival))),
            departure: RwSignal::new(day.map_or_else(|| "17:30".to_owned(), |d| time(d.departure))),
        }
    }
}

/// A new request, or a draft to change.
#[component]
pub fn PreRegistrationForm() -> impl IntoView {
    let session = use_family_session();
    let params = use_params_map();
    let id =
        move || params.with_untracked(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let data = LocalResource::new(move || async move {
        let children = api::list_children(session).await?.items;
        let list = api::list_my_preregistrations(session).await?;
        let existing = id().and_then(|id| list.items.iter().find(|r| r.id == id).cloned());
        let needs = (list.asked_documents, list.cannot_send);
        Ok::<_, api::ApiError>((children, existing, needs))
    });
    view! {
        <Title text="Préinscription en crèche — Portail Famille" />
        <p><a href="/mes-preinscriptions">"← Mes préinscriptions"</a></p>
        <h1>"Préinscription en crèche"</h1>
        <Loaded resource=data render=move |(children, existing, (asked, cannot_send))| {
            let can_send = cannot_send.is_none();
            view! {
                <SendingNeeds asked=asked cannot_send=cannot_send />
                <RequestForm children=children existing=existing can_send=can_send />
            }.into_any()
        } />
    }
}

#[component]
fn RequestForm(
    children: Vec<ChildResponse>,
    existing: Option<PreRegistrationResponse>,
    /// The family's file is validated: the form sends; otherwise it keeps a draft.
    can_send: bool,
) -> impl IntoView {
    let session = use_family_session();
    let navigate = use_navigate();
    let id = existing.as_ref().map(|e| e.id);
    let start = existing.as_ref().map(|e| e.request.clone());
    let child = RwSignal::new(
        start
            .as_ref()
            .and_then(|r| r.child_id)
            .map_or_else(|| UNBORN.to_owned(), |c| c.to_string()),
    );
    let expected_on = RwSignal::new(
        start
            .as_ref()
            .and_then(|r| r.expected_on)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let wished_start = RwSignal::new(
        start
            .as_ref()
            .map(|r| r.wished_start.to_string())
            .unwrap_or_default(),
    );
    let days: Vec<DayFields> = (0..5)
        .map(|i| DayFields::new(start.as_ref().and_then(|r| r.schedule[i])))
        .collect();
    let days = StoredValue::new(days);
    let weeks = RwSignal::new(
        start
            .as_ref()
            .map_or_else(|| "45".to_owned(), |r| r.weeks_per_year.to_string()),
    );
    let comment = RwSignal::new(start.map(|r| r.comment).unwrap_or_default());
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let birth_dates: Vec<(Uuid, Option<NaiveDate>)> = children
        .iter()
        .map(|c| (c.id, c.details.birth_date))
        .collect();
    let mut options: Vec<(String, String)> =
        vec![(UNBORN.to_owned(), "Un enfant à naître".to_owned())];
    options.extend(
        children
            .iter()
            .map(|c| (c.id.to_string(), c.details.first_name.clone())),
    );
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));

    // The form as a request; malformed dates and times are said next to their field.
    let read = move || -> Result<PreRegistrationRequest, FieldErrors> {
        let mut e = FieldErrors::default();
        let date = |e: &mut FieldErrors, field: &str, raw: String| -> Option<NaiveDate> {
            let parsed = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
            if parsed.is_none() {
                e.push(
                    field,
                    InvalidValue::new("invalid_value", "Indiquez une date."),
                );
            }
            parsed
        };
        let child_id = Uuid::parse_str(&child.get_untracked()).ok();
        let expected = if child_id.is_none() {
            date(&mut e, "expected_on", expected_on.get_untracked())
        } else {
            None
        };
        let wished = date(&mut e, "wished_start", wished_start.get_untracked());
        let mut schedule = [None; 5];
        for (i, d) in days.get_value().iter().enumerate() {
            if !d.on.get_untracked() {
                continue;
            }
            let time = |raw: String| NaiveTime::parse_from_str(raw.trim(), "%H:%M").ok();
            match (
                time(d.arrival.get_untracked()),
                time(d.departure.get_untracked()),
            ) {
                (Some(arrival), Some(departure)) => {
                    schedule[i] = Some(DayScheduleBody { arrival, departure });
                }
                _ => e.push(
                    "schedule",
                    InvalidValue::new(
                        "invalid_value",
                        "Indiquez l'heure d'arrivée et de départ de chaque jour coché.",
                    ),
                ),
            }
        }
        let weeks_per_year = weeks.get_untracked().trim().parse::<u32>().unwrap_or(0);
        let request = PreRegistrationRequest {
            child_id,
            expected_on: expected,
            wished_start: wished.unwrap_or_default(),
            schedule,
            weeks_per_year,
            comment: comment.get_untracked(),
        };
        if let Err(more) = request.validate_shape() {
            e.extend(more);
        }
        e.into_result(request)
    };

    let save = move |send: bool| {
        failure.set(None);
        let request = match read() {
            Ok(r) => r,
            Err(e) => {
                errors.set(e);
                dom::focus_first_invalid();
                return;
            }
        };
        if send {
            // The crèche's rules, as the server will check them (age at the start, the birth,
            // a start to come, the opening hours).
            let birth = request
                .child_id
                .and_then(|c| birth_dates.iter().find(|(id, _)| *id == c))
                .and_then(|(_, b)| *b);
            if let Err(e) = request.check_for_sending(birth, dom::today()) {
                errors.set(e);
                dom::focus_first_invalid();
                return;
            }
        }
        errors.set(FieldErrors::default());
        let navigate = navigate.clone();
        crate::task::spawn_busy(busy, async move {
            let saved = api::save_preregistration(session, id, &request).await;
            let result = match (saved, send) {
                (Ok(saved), true) => api::preregistration_action(session, saved.id, "submit").await,
                (other, _) => other,
            };
            match result {
                Ok(_) => navigate("/mes-preinscriptions", Default::default()),
                // Saved, but the crèche's documents are missing: said here, in the server's
                // words; the draft waits in the list, where they are sent from.
                Err(e) if e.field_errors().iter().any(|f| f.field == "documents") => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    failure.set(Some(
                        "Votre brouillon est enregistré dans «\u{a0}Mes préinscriptions\u{a0}» : déposez les documents demandés, puis envoyez-le."
                            .to_owned(),
                    ));
                }
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    failure.set(Some(e.message()));
                    dom::focus_first_invalid();
                }
                Err(e) => failure.set(Some(e.message())),
            }
        });
    };
    let save_draft = save.clone();
    view! {
        <form class="card stack" novalidate on:submit=move |ev| { ev.prevent_default(); save(can_send); }>
            <SelectField id="child_id" label="Pour quel enfant ?" options=options value=child error=error("child_id") />
            <Show when=move || child.get() == UNBORN>
                <TextField id="expected_on" label="Naissance prévue le" input_type="date" value=expected_on error=error("expected_on") required=true />
            </Show>
            <TextField id="wished_start" label="Date d'entrée souhaitée" input_type="date" value=wished_start error=error("wished_start") required=true
                hint="L'enfant a moins de 4 ans à cette date." />
            <fieldset class="field" class:field--invalid=move || errors.with(|e| e.message_for("schedule").is_some())>
                <legend class="field__label">"Accueil souhaité chaque semaine (la crèche ouvre de 7 h 30 à 18 h 30)"</legend>
                <div class="schedule">
                    {days.get_value().into_iter().zip(WEEKDAYS).enumerate().map(|(i, (d, name))| view! {
                        <div class="schedule__day">
                            <label class="checkbox"><input type="checkbox" id=format!("jour-{i}") prop:checked=move || d.on.get()
                                on:change=move |ev| d.on.set(event_target_checked(&ev)) />{name}</label>
                            <Show when=move || d.on.get()>
                                <label>"Arrivée "<input type="time" class="field__input" aria-label=format!("{name}, arrivée") prop:value=move || d.arrival.get() on:input=move |ev| d.arrival.set(event_target_value(&ev)) /></label>
                                <label>"Départ "<input type="time" class="field__input" aria-label=format!("{name}, départ") prop:value=move || d.departure.get() on:input=move |ev| d.departure.set(event_target_value(&ev)) /></label>
                            </Show>
                        </div>
                    }).collect_view()}
                </div>
                {move || errors.with(|e| e.message_for("schedule")).map(|m| view! { <span class="field__error" id="schedule-error">{m}</span> })}
            </fieldset>
            <TextField id="weeks_per_year" label="Semaines d'accueil par an" inputmode="numeric" value=weeks error=error("weeks_per_year") required=true />
            <TextArea id="comment" label="Commentaire (facultatif)" value=comment error=error("comment") />
            {move || errors.with(|e| e.message_for("documents")).map(|m| view! { <Alert kind=AlertKind::Warning><p>{m}</p></Alert> })}
            {move || failure.get().map(|m| view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> })}
            <div class="btn-row">
                {can_send.then(|| view! { <Button submit=true busy=busy>"Envoyer la préinscription"</Button> })}
                <Button variant=ButtonVariant::Secondary busy=busy on:click=move |_| save_draft(false)>"Enregistrer le brouillon"</Button>
            </div>
        </form>
    }
}
