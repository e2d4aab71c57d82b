//! The form of a crèche request: for a child of « Mes enfants » or an unborn child, its
//! wished start and weekly schedule, checked by the domain's rules before it is sent.

use chrono::{NaiveDate, NaiveTime};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use portail_domain::api::{
    ChildResponse, DayScheduleBody, PreRegistrationRequest, PreRegistrationResponse,
};
use portail_domain::parse::{FieldErrors, InvalidValue};
use uuid::Uuid;

use super::{SendingNeeds, UNBORN, WEEKDAYS};
use crate::api::{self, use_family_session};
use crate::components::{
    Alert, AlertKind, Button, ButtonVariant, Loaded, SelectField, TextArea, TextField, Title,
};
use crate::dom;

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
                <Button variant=ButtonVariant::Secondary busy=busy on_click=Callback::new(move |_| save_draft(false))>"Enregistrer le brouillon"</Button>
            </div>
        </form>
    }
}
