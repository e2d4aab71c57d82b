//! « Réglages » → how families reach each service: phone, e-mail, hours (administrators).
//! Families read them on their dashboard and on the pages that send them to a service.

use leptos::prelude::*;
use portail_domain::api::{ServiceContactRequest, ServiceSummary};
use portail_domain::parse::FieldErrors;

use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Button, Checkbox, Loaded, TextField};
use crate::dom;

/// One form per service of the commune.
#[component]
pub fn ServiceContactsSettings() -> impl IntoView {
    let commune = LocalResource::new(api::get_commune);
    view! {
        <h2 class="section">"Contacts des services"</h2>
        <p class="fine-print">"Ce que les familles lisent sur leur tableau de bord pour joindre chaque service. Un champ vide est retiré."</p>
        <Loaded resource=commune render=move |commune| commune.services.into_iter().map(|service| view! { <ContactForm service=service /> }).collect_view().into_any() />
    }
}

#[component]
fn ContactForm(service: ServiceSummary) -> impl IntoView {
    let session = use_staff_session();
    let code = service.code;
    let phone = RwSignal::new(service.phone.unwrap_or_default());
    let email = RwSignal::new(service.email.unwrap_or_default());
    let hours = RwSignal::new(service.hours.unwrap_or_default());
    let accepts = RwSignal::new(service.accepts_messages);
    let errors = RwSignal::new(FieldErrors::default());
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let busy = RwSignal::new(false);
    let err =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = ServiceContactRequest {
            phone: Some(phone.get_untracked()),
            email: Some(email.get_untracked()),
            hours: Some(hours.get_untracked()),
            accepts_messages: accepts.get_untracked(),
        };
        // The same rules as the server's, at once, next to each field.
        if let Err(invalid) = request.validate() {
            errors.set(invalid);
            outcome.set(None);
            dom::focus_first_invalid();
            return;
        }
        crate::task::spawn_busy(busy, async move {
            crate::form::settle(
                api::set_service_contact(session, code, &request).await,
                errors,
                outcome,
            );
        });
    };
    let id = move |field: &str| format!("contact-{}-{field}", code.as_str());
    view! {
        <form class="card narrow stack" on:submit=submit novalidate aria-label=format!("Contacts : {}", service.name)>
            <h3>{service.name.clone()}</h3>
            <TextField id=id("phone") label="Téléphone" input_type="tel" autocomplete="off" value=phone error=err("phone") />
            <TextField id=id("email") label="Adresse e-mail" input_type="email" autocomplete="off" value=email error=err("email") />
            <TextField id=id("hours") label="Horaires" hint="Par exemple : du lundi au vendredi, de 8 h 30 à 12 h." value=hours error=err("hours") />
            <Checkbox id=id("messages") checked=accepts>"Les familles peuvent écrire à ce service depuis leur espace"</Checkbox>
            {move || outcome.get().map(|r| match r {
                Ok(()) => view! { <Alert kind=AlertKind::Success><p>"Contacts enregistrés."</p></Alert> }.into_any(),
                Err(m) => view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> }.into_any(),
            })}
            <Button submit=true busy=busy>"Enregistrer"</Button>
        </form>
    }
}
