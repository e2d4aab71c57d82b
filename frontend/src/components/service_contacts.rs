use leptos::prelude::*;
use portail_domain::api::ServiceSummary;

/// How to reach services, as the commune set it in « Réglages »: each service's name, its
/// phone as a `tel:` link, its e-mail as a `mailto:` link and its hours. A service with none
/// of them sends the family to the town hall's reception.
#[component]
pub fn ServiceContacts(services: Vec<ServiceSummary>) -> impl IntoView {
    view! {
        <ul class="contact-list">
            {services.into_iter().map(|s| view! { <ServiceContact service=s /> }).collect_view()}
        </ul>
    }
}

#[component]
fn ServiceContact(service: ServiceSummary) -> impl IntoView {
    let reachable = service.phone.is_some() || service.email.is_some();
    let phone = service.phone.map(|phone| {
        let href = format!("tel:{}", phone.replace([' ', '.'], ""));
        view! { <li>"Téléphone\u{a0}: " <a href=href>{phone}</a></li> }
    });
    let email = service.email.map(|email| {
        let href = format!("mailto:{email}");
        view! { <li>"E-mail\u{a0}: " <a href=href>{email}</a></li> }
    });
    let hours = service.hours.map(|hours| view! { <li>{hours}</li> });
    let write = service.accepts_messages.then(|| {
        let href = format!("/mes-messages?service={}", service.code.as_str());
        view! { <li><a href=href>"Écrire au service"</a></li> }
    });
    view! {
        <li class="contact-list__item">
            <strong>{service.name}</strong>
            <ul class="list-plain">
                {phone}
                {email}
                {hours}
                {write}
                {(!reachable).then(|| view! { <li>"Adressez-vous à l'accueil de la mairie."</li> })}
            </ul>
        </li>
    }
}
