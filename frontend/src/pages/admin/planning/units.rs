//! The units of a service (their places, price and hours), and the places of one day.

use chrono::NaiveDate;
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::{CapacityRequest, UnitRequest, UnitResponse};
use portail_domain::format::{date_fr, euros};
use uuid::Uuid;

use super::field_error;
use crate::api::{self, ApiError, use_staff_session};
use crate::components::{
    Alert, AlertKind, Button, Loaded, Outcome, SelectField, Submit, TextField,
};

#[component]
pub fn Units(service: ServiceCode) -> impl IntoView {
    let session = use_staff_session();
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        version.track();
        api::list_units(session, service)
    });
    let editing = RwSignal::new(None::<UnitResponse>);
    view! {
        <section class="card section" aria-labelledby="prestations">
            <h2 id="prestations">"Prestations et places"</h2>
            <Loaded resource=list render=move |list| {
                        let units = list.items.clone();
                        view! {
                            {if list.items.is_empty() {
                                view! { <p class="muted">"Aucune prestation pour ce service."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap"><table class="table">
                                        <thead><tr><th scope="col">"Prestation"</th><th scope="col">"Horaires"</th><th scope="col">"Places par jour"</th><th scope="col">"Prix indicatif"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                                        <tbody>
                                            {list.items.into_iter().map(|u| {
                                                let edit = u.clone();
                                                let name = u.unit.name.clone();
                                                view! {
                                                    <tr>
                                                        <td>{u.unit.name.clone()}</td>
                                                        <td>{hours(u.unit.starts_at, u.unit.ends_at)}</td>
                                                        <td>{u.unit.default_capacity}</td>
                                                        <td>{u.unit.price_cents.map_or_else(|| "—".to_owned(), euros)}</td>
                                                        <td><button type="button" class="btn btn--secondary btn--small" on:click=move |_| editing.set(Some(edit.clone()))>"Modifier" <span class="visually-hidden">{name}</span></button></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table></div>
                                }.into_any()
                            }}
                            <DayCapacity units=units />
                        }.into_any()
                    } />
            {move || view! { <UnitForm service=service editing=editing.get() on_saved=move || { editing.set(None); version.update(|v| *v += 1); } /> }}
        </section>
    }
}

/// A unit's hours as French write them (« 8 h – 12 h », « 13 h 30 – 18 h »), or a dash.
fn hours(start: Option<chrono::NaiveTime>, end: Option<chrono::NaiveTime>) -> String {
    use chrono::Timelike as _;
    let at = |t: chrono::NaiveTime| match t.minute() {
        0 => format!("{}\u{a0}h", t.hour()),
        m => format!("{}\u{a0}h\u{a0}{m:02}", t.hour()),
    };
    match (start, end) {
        (Some(s), Some(e)) => format!("{} – {}", at(s), at(e)),
        _ => "—".to_owned(),
    }
}

/// Euros as typed (« 12,50 », « 12.5 », « 12 ») to cents.
fn cents(raw: &str) -> Option<Option<i64>> {
    let raw = raw.trim().trim_end_matches('€').trim().replace(',', ".");
    if raw.is_empty() {
        return Some(None);
    }
    let value: f64 = raw.parse().ok()?;
    (0.0..100_000.0)
        .contains(&value)
        .then(|| Some((value * 100.0).round() as i64))
}

#[component]
fn UnitForm(
    service: ServiceCode,
    editing: Option<UnitResponse>,
    on_saved: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let session = use_staff_session();
    let id = editing.as_ref().map(|u| u.id);
    let initial = editing.map(|u| u.unit);
    let name = RwSignal::new(initial.as_ref().map(|u| u.name.clone()).unwrap_or_default());
    let capacity = RwSignal::new(
        initial
            .as_ref()
            .map(|u| u.default_capacity.to_string())
            .unwrap_or_default(),
    );
    let price = RwSignal::new(
        initial
            .as_ref()
            .and_then(|u| u.price_cents)
            .map(|c| format!("{},{:02}", c / 100, c % 100))
            .unwrap_or_default(),
    );
    let position = initial.as_ref().map_or(0, |u| u.position);
    let hour =
        |t: Option<chrono::NaiveTime>| t.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
    let starts = RwSignal::new(hour(initial.as_ref().and_then(|u| u.starts_at)));
    let ends = RwSignal::new(hour(initial.as_ref().and_then(|u| u.ends_at)));
    let errors = RwSignal::new(None::<ApiError>);
    let capacity_error = RwSignal::new(None::<String>);
    let price_error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let err = move |field: &'static str| {
        Signal::derive(move || errors.get().and_then(|e| field_error(&e, field)))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        saved.set(false);
        capacity_error.set(None);
        price_error.set(None);
        let default_capacity = capacity.get_untracked().trim().parse::<u32>().ok();
        let price_cents = cents(&price.get_untracked());
        if default_capacity.is_none() {
            capacity_error.set(Some("Indiquez un nombre de places (0 ou plus).".to_owned()));
        }
        if price_cents.is_none() {
            price_error.set(Some(
                "Indiquez un prix en euros, par exemple 12,50 (ou rien).".to_owned(),
            ));
        }
        let (Some(default_capacity), Some(price_cents)) = (default_capacity, price_cents) else {
            crate::dom::focus_first_invalid();
            return;
        };
        // A time input gives « HH:MM »; empty means no hours (the unit overlaps nothing).
        let time = |raw: String| chrono::NaiveTime::parse_from_str(raw.trim(), "%H:%M").ok();
        let request = UnitRequest {
            service,
            name: name.get_untracked().trim().to_owned(),
            default_capacity,
            price_cents,
            position,
            starts_at: time(starts.get_untracked()),
            ends_at: time(ends.get_untracked()),
        };
        crate::task::spawn_busy(busy, async move {
            match api::save_unit(session, id, &request).await {
                Ok(_) => {
                    saved.set(true);
                    on_saved();
                }
                Err(error) => errors.set(Some(error)),
            }
        });
    };
    let capacity_shown = Signal::derive(move || {
        capacity_error
            .get()
            .or_else(|| err("default_capacity").get())
    });
    let price_shown =
        Signal::derive(move || price_error.get().or_else(|| err("price_cents").get()));
    view! {
        <form class="form-section" on:submit=submit novalidate>
            <h3>{if id.is_some() { "Modifier la prestation" } else { "Nouvelle prestation" }}</h3>
            {move || errors.get().filter(|e| e.field_errors().is_empty()).map(|e| view! { <Alert kind=AlertKind::Error><p>{e.message()}</p></Alert> })}
            {move || saved.get().then(|| view! { <Alert kind=AlertKind::Success><p>"Prestation enregistrée."</p></Alert> })}
            <TextField id="unit-name" label="Nom" value=name required=true error=err("name") hint="Par exemple «\u{a0}Journée avec repas\u{a0}»" />
            <div class="grid-2">
                <TextField id="unit-capacity" label="Places par jour" inputmode="numeric" value=capacity required=true error=capacity_shown />
                <TextField id="unit-price" label="Prix indicatif (€)" inputmode="decimal" value=price error=price_shown hint="Affiché aux familles dans le récapitulatif ; vide : aucun." />
            </div>
            <div class="grid-2">
                <TextField id="unit-starts" label="Début" input_type="time" value=starts error=err("starts_at") hint="Avec la fin : un enfant ne tient pas deux prestations qui se chevauchent, et la journée prend les places du matin et de l'après-midi." />
                <TextField id="unit-ends" label="Fin" input_type="time" value=ends error=err("ends_at") />
            </div>
            <Button submit=true busy=busy>{if id.is_some() { "Enregistrer la prestation" } else { "Créer la prestation" }}</Button>
        </form>
    }
}

#[component]
fn DayCapacity(units: Vec<UnitResponse>) -> impl IntoView {
    let session = use_staff_session();
    if units.is_empty() {
        return ().into_any();
    }
    let unit = RwSignal::new(units[0].id.to_string());
    let date = RwSignal::new(String::new());
    let capacity = RwSignal::new(String::new());
    let sending = Submit::new();
    let options: Vec<(String, String)> = units
        .iter()
        .map(|u| (u.id.to_string(), u.unit.name.clone()))
        .collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(unit_id), Ok(day), Ok(places)) = (
            Uuid::parse_str(&unit.get_untracked()),
            NaiveDate::parse_from_str(date.get_untracked().trim(), "%Y-%m-%d"),
            capacity.get_untracked().trim().parse::<u32>(),
        ) else {
            sending.said.set(Some(Err(
                "Choisissez la prestation, le jour et un nombre de places.".to_owned(),
            )));
            return;
        };
        let request = CapacityRequest {
            date: day,
            capacity: places,
        };
        sending.run(
            async move { api::set_capacity(session, unit_id, &request).await },
            |done| {
                format!(
                    "{} : {}.",
                    date_fr(done.date),
                    portail_domain::format::count(done.capacity, "place", "places")
                )
            },
        );
    };
    view! {
        <form class="form-section" on:submit=submit novalidate>
            <h3>"Places pour un jour précis"</h3>
            <p class="muted">"Remplace le nombre de places par défaut ce jour-là (sortie, personnel absent…). Il ne peut pas descendre sous les places déjà prises."</p>
            <Outcome said=sending.said />
            <div class="grid-2">
                <SelectField id="capacity-unit" label="Prestation" options=options value=unit />
                <TextField id="capacity-date" label="Jour" input_type="date" value=date required=true />
                <TextField id="capacity-places" label="Places" inputmode="numeric" value=capacity required=true />
            </div>
            <Button submit=true busy=sending.busy>"Fixer les places"</Button>
        </form>
    }
    .into_any()
}
