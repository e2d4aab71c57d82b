use crate::components::Title;
use leptos::prelude::*;
use portail_domain::ServiceCode;

use crate::api;
use crate::components::{Alert, ServiceContacts};

/// « Mes préinscriptions en crèche », until pre-registration opens: whom to call meanwhile.
#[component]
pub fn MyPreRegistrationsSoon() -> impl IntoView {
    view! {
        <ComingSoon
            title="Mes préinscriptions en crèche"
            text="La préinscription en ligne ouvre prochainement. D'ici là, prenez contact avec la structure :"
            services=vec![ServiceCode::Creche]
        />
    }
}

/// A section of the portal that is not open yet: says so, and lists the services to reach,
/// with their phone, e-mail and hours (from the commune's settings), never a dead end.
#[component]
fn ComingSoon(
    title: &'static str,
    text: &'static str,
    services: Vec<ServiceCode>,
) -> impl IntoView {
    let commune = LocalResource::new(api::get_commune);
    let services = StoredValue::new(services);
    let contacts = move || {
        let services = services.get_value();
        commune.get().and_then(Result::ok).map(|commune| {
            let known: Vec<_> = commune
                .services
                .into_iter()
                .filter(|s| services.contains(&s.code))
                .collect();
            view! { <ServiceContacts services=known /> }
        })
    };
    view! {
        <Title text=format!("{title} — Portail Famille") />
        <div class="narrow stack">
            <h1>{title}</h1>
            <Alert>
                <p>{text}</p>
                <Suspense fallback=|| view! { <p>"Chargement…"</p> }>{contacts}</Suspense>
            </Alert>
            <a href="/espace">"← Mon espace"</a>
        </div>
    }
}
