//! « Mon calendrier »: the children's bookings in the parent's phone calendar, through a
//! private address the family turns on, changes (the old one stops at once) or turns off.
//! Part of the registration bundle (set up once): app::inscription.

use leptos::prelude::*;
use portail_domain::api::CalendarFeedResponse;

use crate::api::{self, use_family_session};
use crate::components::{Alert, AlertKind, CopyField, ErrorAlert, Title};

/// The same address for calendar apps that subscribe through a `webcal://` link.
fn webcal(url: &str) -> String {
    url.replacen("https://", "webcal://", 1)
        .replacen("http://", "webcal://", 1)
}

#[component]
pub fn MyCalendar() -> impl IntoView {
    let session = use_family_session();
    let feed = RwSignal::new(None::<CalendarFeedResponse>);
    let failure = RwSignal::new(None::<api::ApiError>);
    let said = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        match api::get_calendar_feed(session).await {
            Ok(state) => feed.set(Some(state)),
            Err(error) => failure.set(Some(error)),
        }
    });
    let act = move |off: bool, message: &'static str| {
        crate::task::spawn_busy(busy, async move {
            let result = if off {
                api::disable_calendar_feed(session).await
            } else {
                api::enable_calendar_feed(session).await
            };
            match result {
                Ok(state) => {
                    feed.set(Some(state));
                    failure.set(None);
                    said.set(Some(message));
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    view! {
        <Title text="Mon calendrier — Portail Famille" />
        <p><a href="/mon-planning">"← Mon planning"</a></p>
        <h1>"Mon calendrier"</h1>
        <p>"Les réservations de vos enfants peuvent apparaître dans l'agenda de votre téléphone ou de votre ordinateur : activez votre calendrier, puis ajoutez son adresse à votre agenda («\u{a0}Ajouter un calendrier\u{a0}» ou «\u{a0}S'abonner à un calendrier\u{a0}»). Il se met à jour tout seul ; une réservation annulée y apparaît comme annulée."</p>
        <div role="status">
            {move || said.get().map(|m| view! { <Alert kind=AlertKind::Success><p>{m}</p></Alert> })}
        </div>
        {move || failure.get().map(|error| view! { <ErrorAlert error=error /> })}
        {move || feed.get().map(|state| match state.url {
            Some(url) => view! {
                <section class="card stack" aria-labelledby="adresse">
                    <h2 id="adresse">"L'adresse de votre calendrier"</h2>
                    <CopyField id="calendrier-adresse" label="Adresse à ajouter à votre agenda" value=url.clone() />
                    <p><a class="btn btn--primary" href=webcal(&url)>"Ajouter à mon agenda"</a></p>
                    <p class="fine-print">"Cette adresse est personnelle : quiconque la connaît voit les réservations de vos enfants. Si vous l'avez partagée par erreur, changez-la : l'ancienne cessera aussitôt de fonctionner."</p>
                    <div class="btn-row">
                        <button type="button" class="btn btn--secondary" disabled=move || busy.get() on:click=move |_| act(false, "Votre calendrier a une nouvelle adresse : l'ancienne ne fonctionne plus.")>"Changer l'adresse"</button>
                        <button type="button" class="btn btn--secondary" disabled=move || busy.get() on:click=move |_| act(true, "Votre calendrier est désactivé.")>"Désactiver mon calendrier"</button>
                    </div>
                </section>
            }.into_any(),
            None => view! {
                <section class="card stack">
                    <p>"Votre calendrier n'est pas activé."</p>
                    <p><button type="button" class="btn btn--primary" disabled=move || busy.get() on:click=move |_| act(false, "Votre calendrier est activé.")>"Activer mon calendrier"</button></p>
                </section>
            }.into_any(),
        })}
    }
}
