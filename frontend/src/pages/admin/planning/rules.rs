//! A service's booking rules: mode, cut-off, weekday rule, ages, waiting list.

use chrono::NaiveTime;
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::ServiceRulesDto;
use portail_domain::rules::planning::{BookingMode, WeekdayRule};
use portail_domain::rules::waiting_list::WaitingListMode;

use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Button, Checkbox, Loaded, SelectField, TextField};

#[component]
pub fn Rules(service: ServiceCode) -> impl IntoView {
    let session = use_staff_session();
    let rules = LocalResource::new(move || api::get_service_rules(session, service));
    view! {
        <section class="card section" aria-labelledby="regles">
            <h2 id="regles">"Règles de réservation"</h2>
            <Loaded resource=rules render=move |rules| view! { <RulesForm service=service rules=rules /> }.into_any() />
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
    let waiting = RwSignal::new(rules.waiting_list.as_str().to_owned());
    let offer_hours = RwSignal::new(rules.offer_hours.to_string());
    let waiting_modes: Vec<(String, String)> = WaitingListMode::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), m.label_fr().to_owned()))
        .collect();
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
        let (Ok(days), Ok(time), Ok(min), Ok(max), Ok(Some(hours))) = (
            number(cutoff_days),
            time,
            number(min_age),
            number(max_age),
            number(offer_hours),
        ) else {
            outcome.set(Some(Err(
                "Les délais, les âges et les heures de garde sont des nombres entiers ; l'heure s'écrit HH:MM."
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
            waiting_list: WaitingListMode::parse(&waiting.get_untracked())
                .unwrap_or(WaitingListMode::Off),
            offer_hours: hours,
        };
        crate::task::spawn_busy(busy, async move {
            outcome.set(Some(
                api::update_service_rules(session, service, &request)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.message()),
            ));
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
            <div class="grid-2">
                <SelectField id="rules-waiting" label="Jours complets : liste d'attente" options=waiting_modes value=waiting />
                <TextField id="rules-offer-hours" label="Place gardée, en heures (si proposée)" inputmode="numeric" value=offer_hours hint="De 1 à 168." />
            </div>
            <Button submit=true busy=busy>"Enregistrer les règles"</Button>
        </form>
    }
}
