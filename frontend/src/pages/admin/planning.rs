//! « Planning des services » (staff): the periods with their booking windows, the units with
//! their default capacity and price, a capacity for one date, and the service's rules.

use crate::components::Title;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::{
    CapacityRequest, PeriodRequest, PeriodResponse, ServiceRulesDto, UnitRequest, UnitResponse,
};
use portail_domain::format::{date_fr, euros};
use portail_domain::rules::planning::{BookingMode, WeekdayRule};
use uuid::Uuid;

use crate::api::{self, ApiError, use_staff_session};
use crate::components::{Alert, AlertKind, Button, Checkbox, ErrorAlert, SelectField, TextField};

#[component]
pub fn StaffPlanning() -> impl IntoView {
    view! {
        <Title text="Planning des services — Espace du personnel" />
        <PlanningSetup />
    }
}

/// The services that take bookings, for the staff screens' service choice.
pub fn service_options() -> Vec<(String, String)> {
    [
        ServiceCode::Alja,
        ServiceCode::Restauration,
        ServiceCode::Creche,
    ]
    .iter()
    .map(|s| (s.as_str().to_owned(), service_name(*s).to_owned()))
    .collect()
}

pub fn service_name(service: ServiceCode) -> &'static str {
    match service {
        ServiceCode::Alja => "ALJA (accueil de loisirs)",
        ServiceCode::Restauration => "Restauration scolaire",
        ServiceCode::Creche => "Crèche — accueil occasionnel",
        _ => "Autre service",
    }
}

/// The message of a field's error in a 422, if the server sent one.
fn field_error(error: &ApiError, field: &str) -> Option<String> {
    error
        .field_errors()
        .into_iter()
        .find(|e| e.field == field)
        .map(|e| e.message)
}

#[component]
fn PlanningSetup() -> impl IntoView {
    let service = RwSignal::new(ServiceCode::Alja.as_str().to_owned());
    let code =
        Signal::derive(move || ServiceCode::parse(&service.get()).unwrap_or(ServiceCode::Alja));
    view! {
        <h1>"Planning des services"</h1>
        <p class="lead">"Les périodes ouvertes à la réservation, les prestations et leurs places, et les règles de chaque service. Les familles voient les changements aussitôt."</p>
        <div class="card narrow">
            <SelectField id="setup-service" label="Service" options=service_options() value=service />
        </div>
        {move || {
            let code = code.get();
            view! {
                <Periods service=code />
                <Units service=code />
                <Rules service=code />
            }
        }}
    }
}

#[component]
fn Periods(service: ServiceCode) -> impl IntoView {
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
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || list.get().map(|result| match result {
                    Ok(list) if list.items.is_empty() => view! { <p class="muted">"Aucune période pour ce service."</p> }.into_any(),
                    Ok(list) => view! {
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
                    Err(error) => view! { <ErrorAlert error=error /> }.into_any(),
                })}
            </Suspense>
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
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::save_period(session, id, &request).await {
                Ok(_) => {
                    saved.set(true);
                    on_saved();
                }
                Err(error) => errors.set(Some(error)),
            }
            busy.set(false);
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

#[component]
fn Units(service: ServiceCode) -> impl IntoView {
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
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || list.get().map(|result| match result {
                    Ok(list) => {
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
                    }
                    Err(error) => view! { <ErrorAlert error=error /> }.into_any(),
                })}
            </Suspense>
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
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::save_unit(session, id, &request).await {
                Ok(_) => {
                    saved.set(true);
                    on_saved();
                }
                Err(error) => errors.set(Some(error)),
            }
            busy.set(false);
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
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let options: Vec<(String, String)> = units
        .iter()
        .map(|u| (u.id.to_string(), u.unit.name.clone()))
        .collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        let (Ok(unit_id), Ok(day), Ok(places)) = (
            Uuid::parse_str(&unit.get_untracked()),
            NaiveDate::parse_from_str(date.get_untracked().trim(), "%Y-%m-%d"),
            capacity.get_untracked().trim().parse::<u32>(),
        ) else {
            outcome.set(Some(Err(
                "Choisissez la prestation, le jour et un nombre de places.".to_owned(),
            )));
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::set_capacity(
                session,
                unit_id,
                &CapacityRequest {
                    date: day,
                    capacity: places,
                },
            )
            .await;
            outcome.set(Some(match result {
                Ok(done) => Ok(format!(
                    "{} : {}.",
                    date_fr(done.date),
                    portail_domain::format::count(done.capacity, "place", "places")
                )),
                Err(error) => Err(error.message()),
            }));
            busy.set(false);
        });
    };
    view! {
        <form class="form-section" on:submit=submit novalidate>
            <h3>"Places pour un jour précis"</h3>
            <p class="muted">"Remplace le nombre de places par défaut ce jour-là (sortie, personnel absent…). Il ne peut pas descendre sous les places déjà prises."</p>
            <div role="status">{move || outcome.get().map(|r| match r {
                Ok(m) => view! { <Alert kind=AlertKind::Success><p>{m}</p></Alert> }.into_any(),
                Err(m) => view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> }.into_any(),
            })}</div>
            <div class="grid-2">
                <SelectField id="capacity-unit" label="Prestation" options=options value=unit />
                <TextField id="capacity-date" label="Jour" input_type="date" value=date required=true />
                <TextField id="capacity-places" label="Places" inputmode="numeric" value=capacity required=true />
            </div>
            <Button submit=true busy=busy>"Fixer les places"</Button>
        </form>
    }
    .into_any()
}

#[component]
fn Rules(service: ServiceCode) -> impl IntoView {
    let session = use_staff_session();
    let rules = LocalResource::new(move || api::get_service_rules(session, service));
    view! {
        <section class="card section" aria-labelledby="regles">
            <h2 id="regles">"Règles de réservation"</h2>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || rules.get().map(|result| match result {
                    Ok(rules) => view! { <RulesForm service=service rules=rules /> }.into_any(),
                    Err(error) => view! { <ErrorAlert error=error /> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RulesForm(service: ServiceCode, rules: ServiceRulesDto) -> impl IntoView {
    let session = use_staff_session();
    let mode = RwSignal::new(rules.mode.as_str().to_owned());
    let cutoff_days = RwSignal::new(rules.cutoff_days.map(|d| d.to_string()).unwrap_or_default());
    let cutoff_time = RwSignal::new(
        rules
            .cutoff_time
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_default(),
    );
    let working_days = RwSignal::new(rules.cutoff_working_days);
    let monday_rule = RwSignal::new(rules.weekday_rule == Some(WeekdayRule::MondayForNextWeek));
    let min_age = RwSignal::new(
        rules
            .min_age_months
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let max_age = RwSignal::new(
        rules
            .max_age_months
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let busy = RwSignal::new(false);
    let modes: Vec<(String, String)> = BookingMode::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), m.label_fr().to_owned()))
        .collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        let number = |s: RwSignal<String>| -> Result<Option<u32>, ()> {
            let raw = s.get_untracked();
            let raw = raw.trim();
            if raw.is_empty() {
                Ok(None)
            } else {
                raw.parse().map(Some).map_err(|_| ())
            }
        };
        let time = {
            let raw = cutoff_time.get_untracked();
            let raw = raw.trim().to_owned();
            if raw.is_empty() {
                Ok(None)
            } else {
                NaiveTime::parse_from_str(&raw, "%H:%M")
                    .map(Some)
                    .map_err(|_| ())
            }
        };
        let (Ok(days), Ok(time), Ok(min), Ok(max)) =
            (number(cutoff_days), time, number(min_age), number(max_age))
        else {
            outcome.set(Some(Err(
                "Les délais et les âges sont des nombres entiers ; l'heure s'écrit HH:MM."
                    .to_owned(),
            )));
            return;
        };
        let request = ServiceRulesDto {
            mode: BookingMode::parse(&mode.get_untracked()).unwrap_or(BookingMode::Instant),
            cutoff_days: days,
            cutoff_time: time,
            cutoff_working_days: working_days.get_untracked(),
            weekday_rule: monday_rule
                .get_untracked()
                .then_some(WeekdayRule::MondayForNextWeek),
            min_age_months: min,
            max_age_months: max,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            outcome.set(Some(
                api::update_service_rules(session, service, &request)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.message()),
            ));
            busy.set(false);
        });
    };
    view! {
        <form on:submit=submit novalidate>
            <div role="status">{move || outcome.get().map(|r| match r {
                Ok(()) => view! { <Alert kind=AlertKind::Success><p>"Règles enregistrées."</p></Alert> }.into_any(),
                Err(m) => view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> }.into_any(),
            })}</div>
            <SelectField id="rules-mode" label="Mode" options=modes value=mode />
            <div class="grid-2">
                <TextField id="rules-cutoff-days" label="Délai (jours avant)" inputmode="numeric" value=cutoff_days hint="Vide : pas de délai." />
                <TextField id="rules-cutoff-time" label="À (heure de Paris)" input_type="time" value=cutoff_time />
                <TextField id="rules-min-age" label="Âge minimum (mois)" inputmode="numeric" value=min_age />
                <TextField id="rules-max-age" label="Âge maximum (mois)" inputmode="numeric" value=max_age />
            </div>
            <Checkbox id="rules-working-days" checked=working_days>"Compter seulement les jours ouvrés"</Checkbox>
            <Checkbox id="rules-monday" checked=monday_rule>"Souhaits saisis le lundi, pour la semaine suivante uniquement"</Checkbox>
            <Button submit=true busy=busy>"Enregistrer les règles"</Button>
        </form>
    }
}
