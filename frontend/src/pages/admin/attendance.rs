//! « Feuille de présence » (staff): the children of a service, a day and a unit, with what the
//! team must know (allergies, PAI, diet, who may pick them up); printable and as CSV.

use crate::components::Title;
use chrono::NaiveDate;
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::{AttendanceMarkCode, AttendanceMarkRequest, AttendanceResponse};
use portail_domain::format::{agree, count, date_fr};
use uuid::Uuid;

use super::planning::service_options;
use crate::api::{self, use_staff_session};
use crate::components::{ErrorAlert, Loaded, SelectField, TextField};
use crate::dom;

#[component]
pub fn StaffAttendance() -> impl IntoView {
    view! {
        <Title text="Feuille de présence — Espace du personnel" />
        <AttendanceContent />
    }
}

#[component]
fn AttendanceContent() -> impl IntoView {
    let session = use_staff_session();
    let service = RwSignal::new(ServiceCode::Alja.as_str().to_owned());
    let unit = RwSignal::new(String::new());
    let date = RwSignal::new(dom::today().to_string());
    let units = LocalResource::new(move || {
        let code = ServiceCode::parse(&service.get()).unwrap_or(ServiceCode::Alja);
        async move { api::list_units(session, code).await }
    });
    // The first unit of the service, until one is chosen.
    Effect::new(move |_| {
        if let Some(Ok(list)) = units.get() {
            let current = unit.get_untracked();
            if !list.items.iter().any(|u| u.id.to_string() == current) {
                unit.set(
                    list.items
                        .first()
                        .map(|u| u.id.to_string())
                        .unwrap_or_default(),
                );
            }
        }
    });
    let sheet = LocalResource::new(move || {
        let (unit, date) = (unit.get(), date.get());
        async move {
            match (
                Uuid::parse_str(&unit),
                NaiveDate::parse_from_str(&date, "%Y-%m-%d"),
            ) {
                (Ok(unit), Ok(date)) => api::get_attendance(session, unit, date).await.map(Some),
                _ => Ok(None),
            }
        }
    });
    let unit_options = move || {
        units
            .get()
            .and_then(Result::ok)
            .map(|l| {
                l.items
                    .into_iter()
                    .map(|u| (u.id.to_string(), u.unit.name))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let download = move |_| {
        let (Ok(unit_id), Ok(day)) = (
            Uuid::parse_str(&unit.get_untracked()),
            NaiveDate::parse_from_str(&date.get_untracked(), "%Y-%m-%d"),
        ) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(url) = session
                .blob_url(&api::attendance_path(unit_id, day, true))
                .await
            {
                dom::save_as(&url, &format!("presences-{day}.csv"));
            }
        });
    };
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <h1>"Feuille de présence"</h1>
        <div class="card no-print">
            <div class="grid-2">
                <SelectField id="attendance-service" label="Service" options=service_options() value=service />
                {move || view! { <SelectField id="attendance-unit" label="Prestation" options=unit_options() value=unit /> }}
                <TextField id="attendance-date" label="Jour" input_type="date" value=date required=true />
            </div>
            <div class="btn-row">
                <button type="button" class="btn btn--secondary" on:click=print>"Imprimer"</button>
                <button type="button" class="btn btn--secondary" on:click=download>"Exporter en CSV"</button>
            </div>
        </div>
        <Loaded resource=sheet render=move |value| match value {
                Some(sheet) => view! { <Sheet sheet=sheet /> }.into_any(),
                None => view! { <p>"Choisissez une prestation et un jour."</p> }.into_any(),
            } />
    }
}

#[component]
fn Sheet(sheet: AttendanceResponse) -> impl IntoView {
    let (unit_id, date) = (sheet.unit_id, sheet.date);
    let heading = format!("{} — {}", sheet.unit_name, date_fr(sheet.date));
    view! {
        <section class="section" aria-labelledby="feuille">
            <h2 id="feuille">{heading}</h2>
            <p>{format!(
                "{} {} pour {}.",
                count(sheet.taken, "enfant", "enfants"),
                agree(sheet.taken, "inscrit", "inscrits"),
                count(sheet.capacity, "place", "places")
            )}</p>
            {if sheet.entries.is_empty() {
                view! { <p class="muted">"Aucun enfant inscrit ce jour-là."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="table">
                        <thead><tr>
                            <th scope="col">"Enfant"</th>
                            <th scope="col">"Allergies, PAI, régime"</th>
                            <th scope="col">"Autorisés à venir le chercher"</th>
                            <th scope="col">"Présent"</th>
                            <th scope="col" class="no-print">"Pointage"</th>
                        </tr></thead>
                        <tbody>
                            {sheet.entries.into_iter().map(|e| {
                                let (child_id, mark, booked) = (e.child_id, e.mark, e.booked);
                                let mut health = Vec::new();
                                if !e.allergies.trim().is_empty() { health.push(format!("Allergies : {}", e.allergies)); }
                                if e.has_pai == Some(true) { health.push("PAI".to_owned()); }
                                if let Some(diet) = e.diet.filter(|d| !d.trim().is_empty()) { health.push(format!("Régime : {diet}")); }
                                let name = format!("{} {}", e.last_name.to_uppercase(), e.first_name);
                                view! {
                                    <tr>
                                        <th scope="row">{name.clone()}{(e.status.as_str() == "requested").then_some(" (souhait)")}</th>
                                        <td>{if health.is_empty() { "—".to_owned() } else { health.join(" · ") }}</td>
                                        <td>{if e.pickup_persons.is_empty() { "Parents seulement".to_owned() } else { e.pickup_persons.join(", ") }}</td>
                                        <td><span class="print-box" role="img" aria-label=format!("Case à cocher pour {name}")></span></td>
                                        <td class="no-print"><MarkButtons unit_id=unit_id date=date child_id=child_id name=name.clone() mark=mark booked=booked /></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}

/// What the team notes for billing: present (even without booking), absent (charged), absent
/// with a medical certificate (not charged). Only for a day that has come.
#[component]
fn MarkButtons(
    unit_id: Uuid,
    date: NaiveDate,
    child_id: Uuid,
    name: String,
    mark: Option<AttendanceMarkCode>,
    booked: bool,
) -> impl IntoView {
    let session = use_staff_session();
    let current = RwSignal::new(mark);
    let error = RwSignal::new(None::<api::ApiError>);
    let choices = [
        (AttendanceMarkCode::Present, "Présent"),
        (AttendanceMarkCode::Absent, "Absent"),
        (AttendanceMarkCode::Excused, "Certificat médical"),
    ];
    view! {
        <div class="btn-row" role="group" aria-label=format!("Pointage {}", portail_domain::format::de(&name))>
            {choices.into_iter().map(|(code, label)| {
                let choose = move |_| {
                    error.set(None);
                    leptos::task::spawn_local(async move {
                        match api::mark_attendance(session, unit_id, date, child_id, AttendanceMarkRequest { mark: code }).await {
                            Ok(()) => current.set(Some(code)),
                            Err(e) => error.set(Some(e)),
                        }
                    });
                };
                view! {
                    <button type="button" class="btn btn--small" class:btn--primary=move || current.get() == Some(code) class:btn--secondary=move || current.get() != Some(code)
                        aria-pressed=move || (current.get() == Some(code)).to_string() on:click=choose>{label}</button>
                }
            }).collect_view()}
        </div>
        {(!booked).then(|| view! { <span class="item__meta">"Présent sans réservation"</span> })}
        {move || error.get().map(|error| view! { <ErrorAlert error=error /> })}
    }
}
