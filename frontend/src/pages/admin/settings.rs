//! `/admin/reglages`: the commune's settings (administrators).

use crate::components::Title;
use leptos::prelude::*;
use portail_domain::api::CommuneSettings;
use portail_domain::parse::FieldErrors;

use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Button, Loaded, TextField};
use crate::dom;
use crate::pages::admin::announcements::AnnouncementsSettings;
use crate::pages::admin::service_contacts::ServiceContactsSettings;

#[component]
pub fn StaffSettings() -> impl IntoView {
    view! {
        <Title text="Réglages — Espace du personnel" />
        <SettingsLoader />
    }
}

#[component]
fn SettingsLoader() -> impl IntoView {
    let session = use_staff_session();
    let settings = LocalResource::new(move || api::get_settings(session));
    view! {
        <h1>"Réglages de la commune"</h1>
        <Loaded resource=settings render=move |settings| view! {
                    <SettingsForm settings=settings />
                    <ServiceContactsSettings />
                    <AnnouncementsSettings />
                    <super::billing_settings::BillingSettingsForm />
                    <super::legal_pages::LegalPagesSettings />
                }.into_any() />
    }
}

#[component]
fn SettingsForm(settings: CommuneSettings) -> impl IntoView {
    let session = use_staff_session();
    let name = RwSignal::new(settings.name);
    let day = RwSignal::new(format!(
        "{:02}/{:02}",
        settings.reverification_day, settings.reverification_month
    ));
    let errors = RwSignal::new(FieldErrors::default());
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let err =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let raw = day.get_untracked();
        let parsed = raw.trim().split_once('/').and_then(|(d, m)| {
            Some((d.trim().parse::<u32>().ok()?, m.trim().parse::<u32>().ok()?))
        });
        let Some((d, m)) = parsed else {
            let mut e = FieldErrors::default();
            e.push(
                "reverification_day",
                portail_domain::parse::InvalidValue::invalid_format(
                    "Écrivez le jour et le mois ainsi : 01/08.",
                ),
            );
            errors.set(e);
            dom::focus_first_invalid();
            return;
        };
        let request = CommuneSettings {
            name: name.get_untracked(),
            reverification_month: m,
            reverification_day: d,
        };
        leptos::task::spawn_local(async move {
            crate::form::settle(
                api::update_settings(session, &request).await.map(|_| ()),
                errors,
                outcome,
            );
        });
    };
    view! {
        <form class="card narrow" on:submit=submit novalidate>
            <TextField id="commune-name" label="Nom de la commune" required=true value=name error=err("name") />
            <TextField id="reverification" label="Date annuelle de vérification des dossiers (jour/mois)" hint="Ce jour-là, les dossiers validés passent «\u{a0}à vérifier\u{a0}» et les familles reçoivent un e-mail." required=true value=day error=err("reverification_day") />
            {move || outcome.get().map(|r| match r {
                Ok(()) => view! { <Alert kind=AlertKind::Success><p>"Réglages enregistrés."</p></Alert> }.into_any(),
                Err(m) => view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> }.into_any(),
            })}
            <Button submit=true>"Enregistrer"</Button>
        </form>
    }
}
