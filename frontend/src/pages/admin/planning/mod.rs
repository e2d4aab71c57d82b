//! « Planning des services » (staff): the periods with their booking windows, the units with
//! their default capacity and price, a capacity for one date, and the service's rules.

use crate::components::Title;
use leptos::prelude::*;
use portail_domain::ServiceCode;

use crate::api::ApiError;
use crate::components::SelectField;

mod periods;
mod rules;
mod units;

use periods::Periods;
use rules::Rules;
use units::Units;

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
pub(super) fn field_error(error: &ApiError, field: &str) -> Option<String> {
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
