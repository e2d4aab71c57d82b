//! The periods of a service: dates, opening weekdays, closed dates and booking window.

use chrono::{NaiveDate, NaiveDateTime};
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::{PeriodRequest, PeriodResponse};
use portail_domain::format::date_fr;

use super::field_error;
use crate::api::{self, ApiError, use_staff_session};
use crate::components::{Alert, AlertKind, Button, Checkbox, Loaded, TextField};

#[component]
pub fn Periods(service: ServiceCode) -> impl IntoView {
    let session = use_staff_session();
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        version.track();
        api::list_periods(session, service)
    });
    let editing = RwSignal::new(None::<PeriodResponse>);
    view! {
        <section class="card section" aria-labelledby="periodes">
            <h2 id="periodes">"Périodes"</h2>
            <Loaded resource=list render=move |value| match value {
                    list if list.items.is_empty() => view! { <p class="muted">"Aucune période pour ce service."</p> }.into_any(),
                    list => view! {
                        <div class="table-wrap"><table class="table">
                            <thead><tr><th scope="col">"Période"</th><th scope="col">"Dates"</th><th scope="col">"Réservations"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                            <tbody>
                                {list.items.into_iter().map(|p| {
                                    let name = p.period.name.clone();
                                    let edit = p.clone();
                                    view! {
                                        <tr>
                                            <td>{p.period.name.clone()}</td>
                                            <td>{format!("du {} au {}", date_fr(p.period.starts_on), date_fr(p.period.ends_on))}</td>
                                            <td>{format!("du {} au {}", local(p.period.booking_opens_at), local(p.period.booking_closes_at))}</td>
                                            <td><button type="button" class="btn btn--secondary btn--small" on:click=move |_| editing.set(Some(edit.clone()))>"Modifier" <span class="visually-hidden">{name}</span></button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any(),
                } />
            {move || view! { <PeriodForm service=service editing=editing.get() on_saved=move || { editing.set(None); version.update(|v| *v += 1); } /> }}
        </section>
    }
}

fn local(at: NaiveDateTime) -> String {
    format!("{} à {}", date_fr(at.date()), at.format("%H:%M"))
}

const WEEKDAYS: [&str; 7] = [
    "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche",
];

#[component]
fn PeriodForm(
    service: ServiceCode,
    editing: Option<PeriodResponse>,
    on_saved: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let session = use_staff_session();
    let id = editing.as_ref().map(|p| p.id);
    let initial = editing.map(|p| p.period);
    let text = |f: &dyn Fn(&PeriodRequest) -> String| {
        RwSignal::new(initial.as_ref().map(f).unwrap_or_default())
    };
    let name = text(&|p| p.name.clone());
    let starts = text(&|p| p.starts_on.to_string());
    let ends = text(&|p| p.ends_on.to_string());
    let opens = text(&|p| p.booking_opens_at.format("%Y-%m-%dT%H:%M").to_string());
    let closes = text(&|p| p.booking_closes_at.format("%Y-%m-%dT%H:%M").to_string());
    let closed = text(&|p| {
        p.closed_dates
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    });
    let open_days: Vec<RwSignal<bool>> = (0..7)
        .map(|i| RwSignal::new(initial.as_ref().map_or(i < 5, |p| p.open_weekdays[i])))
        .collect();
    let errors = RwSignal::new(None::<ApiError>);
    let local_error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let err = move |field: &'static str| {
        Signal::derive(move || errors.get().and_then(|e| field_error(&e, field)))
    };
    let days = open_days.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        local_error.set(None);
        saved.set(false);
        let date = |s: RwSignal<String>| {
            NaiveDate::parse_from_str(s.get_untracked().trim(), "%Y-%m-%d").ok()
        };
        let at = |s: RwSignal<String>| {
            NaiveDateTime::parse_from_str(s.get_untracked().trim(), "%Y-%m-%dT%H:%M").ok()
        };
        let closed_dates: Option<Vec<NaiveDate>> = closed
            .get_untracked()
            .split([',', ' ', '\n', ';'])
            .filter(|s| !s.trim().is_empty())
            .map(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
            .collect();
        let (Some(starts_on), Some(ends_on), Some(opens_at), Some(closes_at), Some(closed_dates)) = (
            date(starts),
            date(ends),
            at(opens),
            at(closes),
            closed_dates,
        ) else {
            local_error.set(Some("Renseignez les dates (AAAA-MM-JJ), l'ouverture et la clôture des réservations ; les jours fermés s'écrivent AAAA-MM-JJ, séparés par des virgules.".to_owned()));
            return;
        };
        let mut open_weekdays = [false; 7];
        for (i, day) in days.iter().enumerate() {
            open_weekdays[i] = day.get_untracked();
        }
        let request = PeriodRequest {
            service,
            name: name.get_untracked().trim().to_owned(),
            starts_on,
            ends_on,
            booking_opens_at: opens_at,
            booking_closes_at: closes_at,
            open_weekdays,
            closed_dates,
        };
        crate::task::spawn_busy(busy, async move {
            match api::save_period(session, id, &request).await {
                Ok(_) => {
                    saved.set(true);
                    on_saved();
                }
                Err(error) => errors.set(Some(error)),
            }
        });
    };
    let title = if id.is_some() {
        "Modifier la période"
    } else {
        "Nouvelle période"
    };
    view! {
        <form class="form-section" on:submit=submit novalidate>
            <h3>{title}</h3>
            {move || local_error.get().map(|m| view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> })}
            {move || errors.get().filter(|e| e.field_errors().is_empty()).map(|e| view! { <Alert kind=AlertKind::Error><p>{e.message()}</p></Alert> })}
            {move || saved.get().then(|| view! { <Alert kind=AlertKind::Success><p>"Période enregistrée."</p></Alert> })}
            <TextField id="period-name" label="Nom" value=name required=true error=err("name") hint="Par exemple «\u{a0}Vacances d'été 2027\u{a0}»" />
            <div class="grid-2">
                <TextField id="period-starts" label="Premier jour" input_type="date" value=starts required=true error=err("starts_on") />
                <TextField id="period-ends" label="Dernier jour" input_type="date" value=ends required=true error=err("ends_on") />
                <TextField id="period-opens" label="Ouverture des réservations (heure de Paris)" input_type="datetime-local" value=opens required=true error=err("booking_opens_at") />
                <TextField id="period-closes" label="Clôture des réservations (heure de Paris)" input_type="datetime-local" value=closes required=true error=err("booking_closes_at") />
            </div>
            <fieldset class="field">
                <legend class="field__label">"Jours d'ouverture"</legend>
                <div class="checkbox-row">
                    {open_days.into_iter().enumerate().map(|(i, day)| view! { <Checkbox id=format!("period-day-{i}") checked=day>{WEEKDAYS[i]}</Checkbox> }).collect_view()}
                </div>
            </fieldset>
            <TextField id="period-closed" label="Jours fermés" value=closed error=err("closed_dates") hint="AAAA-MM-JJ, séparés par des virgules. Les jours fériés sont déjà fermés." />
            <Button submit=true busy=busy>{if id.is_some() { "Enregistrer la période" } else { "Créer la période" }}</Button>
        </form>
    }
}
