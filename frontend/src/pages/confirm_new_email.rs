use crate::components::Title;
use leptos::prelude::*;

use crate::api;
use crate::components::{Alert, AlertKind};
use crate::dom;

/// The page behind the link sent to a new e-mail address (`/confirmer-nouvel-email#jeton=…`).
#[component]
pub fn ConfirmNewEmail() -> impl IntoView {
    let token = dom::token_from_fragment();
    let outcome = LocalResource::new(move || {
        let token = token.clone();
        async move {
            match token {
                Some(token) => api::confirm_email_change(&token)
                    .await
                    .map(|a| a.message)
                    .map_err(|e| e.message()),
                None => Err(
                    "Ce lien est incomplet. Ouvrez le lien reçu par e-mail tel quel.".to_owned(),
                ),
            }
        }
    });
    view! {
        <Title text="Nouvelle adresse e-mail — Portail Famille" />
        <div class="narrow stack">
            <h1>"Confirmation de votre nouvelle adresse"</h1>
            <Transition fallback=|| view! { <p>"Vérification du lien…"</p> }>
                {move || outcome.get().map(|result| match result {
                    Ok(message) => view! { <Alert kind=AlertKind::Success><p>{message}</p></Alert> }.into_any(),
                    Err(message) => view! { <Alert kind=AlertKind::Error><p>{message}</p></Alert> }.into_any(),
                })}
            </Transition>
            <a href="/">"← Accueil"</a>
        </div>
    }
}
