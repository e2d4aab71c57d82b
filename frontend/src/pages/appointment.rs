//! « Prendre rendez-vous en mairie » (issue 24, point 5): the note's « aide aux démarches sur
//! rendez-vous (CCAS ou affaires scolaires) », taken without an account — a desk, a free slot,
//! a name, a phone number, an e-mail address for the confirmation (optional), the reason. Part
//! of the registration bundle (public, used rarely): app::inscription.

use leptos::prelude::*;
use portail_domain::api::{
    AppointmentConfirmation, AppointmentDesk, AppointmentRequest, AppointmentSlotList,
};
use portail_domain::format::date_fr;
use portail_domain::parse::FieldErrors;
use portail_domain::rules::appointments::{parse_time, time_fr};
use uuid::Uuid;

use crate::api;
use crate::components::{
    Alert, AlertKind, Button, ErrorAlert, Loaded, RadioGroup, SelectField, TextArea, TextField,
    Title,
};
use crate::dom;

/// « mardi 12 janvier 2027 à 9 h 30 ».
fn when(date: chrono::NaiveDate, start: &str) -> String {
    let at = parse_time(start).map_or_else(|_| start.to_owned(), time_fr);
    format!("{} à {at}", date_fr(date))
}

#[component]
pub fn TakeAppointment() -> impl IntoView {
    let desk = RwSignal::new(AppointmentDesk::Scolaire.as_str().to_owned());
    let version = RwSignal::new(0_u32);
    let slots = LocalResource::new(move || {
        let desk = desk.get();
        version.track();
        async move {
            api::get_json::<AppointmentSlotList>(&format!("/api/v1/appointments/slots?desk={desk}"))
                .await
        }
    });
    let done = RwSignal::new(None::<AppointmentConfirmation>);
    view! {
        <Title text="Prendre rendez-vous en mairie — Portail Famille" />
        <p><a href="/">"← Accueil"</a></p>
        <h1>"Prendre rendez-vous en mairie"</h1>
        <p>"Pour être aidé dans vos démarches (inscription, dossier famille, réservations, factures) si vous n'avez pas internet ou ne maîtrisez pas l'outil. Aucun compte n'est nécessaire."</p>
        {move || match done.get() {
            Some(c) => view! {
                <div id="rendez-vous-pris" tabindex="-1">
                    <Alert kind=AlertKind::Success>
                        <p><strong>"Votre rendez-vous est pris."</strong></p>
                        <p>{c.message.clone()}</p>
                        <p>"Si vous ne pouvez pas venir, prévenez la mairie par téléphone."</p>
                    </Alert>
                </div>
            }.into_any(),
            None => view! {
                <div class="card stack">
                    <RadioGroup id="guichet" legend="Avec quel service ?" options=vec![("scolaire", "Affaires scolaires"), ("ccas", "CCAS")] value=desk />
                    <Loaded resource=slots render=move |list| view! { <AppointmentForm slots=list done=done version=version /> }.into_any() />
                </div>
            }.into_any(),
        }}
    }
}

#[component]
fn AppointmentForm(
    slots: AppointmentSlotList,
    done: RwSignal<Option<AppointmentConfirmation>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    if slots.items.is_empty() {
        return view! { <p>"Aucun créneau libre pour ce service dans les deux prochains mois : appelez la mairie."</p> }.into_any();
    }
    let options: Vec<(String, String)> = slots
        .items
        .iter()
        .map(|s| (s.id.to_string(), when(s.date, &s.start)))
        .collect();
    let slot = RwSignal::new(options.first().map(|o| o.0.clone()).unwrap_or_default());
    let (name, phone, email, reason) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<api::ApiError>);
    let busy = RwSignal::new(false);
    let send = move || {
        failure.set(None);
        let request = AppointmentRequest {
            slot_id: Uuid::parse_str(&slot.get_untracked()).unwrap_or_default(),
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            email: Some(email.get_untracked()),
            reason: reason.get_untracked(),
        };
        if let Err(e) = request.validate() {
            errors.set(e);
            dom::focus_first_invalid();
            return;
        }
        errors.set(FieldErrors::default());
        crate::task::spawn_busy(busy, async move {
            match api::post_json::<_, AppointmentConfirmation>("/api/v1/appointments", &request)
                .await
            {
                Ok(c) => {
                    done.set(Some(c));
                    dom::focus_id("rendez-vous-pris");
                }
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => {
                    // Taken meanwhile: the list is read again.
                    if e.status() == Some(409) {
                        version.update(|v| *v = v.wrapping_add(1));
                    }
                    failure.set(Some(e));
                }
            }
        });
    };
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    view! {
        <form class="stack" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <SelectField id="creneau" label="Jour et heure" options=options value=slot error=error("slot_id") />
            <TextField id="nom" label="Nom et prénom" value=name error=error("name") autocomplete="name" required=true />
            <TextField id="telephone" label="Téléphone" input_type="tel" value=phone error=error("phone") autocomplete="tel" required=true />
            <TextField id="courriel" label="Adresse e-mail (facultatif)" input_type="email" value=email error=error("email") autocomplete="email"
                hint="Pour recevoir la confirmation et un rappel la veille." />
            <TextArea id="motif" label="Pour quoi venez-vous ?" value=reason error=error("reason") required=true />
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
            <div class="btn-row"><Button submit=true busy=busy>"Prendre ce rendez-vous"</Button></div>
        </form>
    }
    .into_any()
}
