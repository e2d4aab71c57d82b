use crate::components::Title;
use leptos::prelude::*;

use crate::api;
use crate::components::{Alert, AlertKind};
use crate::dom;

/// The page behind the confirmation e-mail's link (`/confirmer-email#jeton=…`).
#[component]
pub fn ConfirmEmail() -> impl IntoView {
    let token = dom::token_from_fragment();
    let outcome = LocalResource::new(move || {
        let token = token.clone();
        async move {
            match token {
                Some(token) => api::verify_email(&token).await.map(|answer| answer.message).map_err(|e| e.message()),
                None => Err("Ce lien est incomplet. Ouvrez le lien reçu par e-mail tel quel, ou demandez-en un nouveau.".to_owned()),
            }
        }
    });
    view! {
        <Title text="Confirmation de l'adresse e-mail — Portail Famille" />
        <div class="narrow stack">
            <h1>"Confirmation de votre adresse e-mail"</h1>
            <Transition fallback=|| view! { <p aria-live="polite">"Vérification du lien…"</p> }>
                {move || outcome.get().map(|result| match result {
                    Ok(message) => view! {
                        <Alert kind=AlertKind::Success title="Adresse confirmée"><p>{message}</p></Alert>
                        <a class="btn btn--primary" href="/">"Se connecter"</a>
                    }.into_any(),
                    Err(message) => view! {
                        <Alert kind=AlertKind::Error><p>{message}</p></Alert>
                        <p>"Si votre adresse est déjà confirmée, connectez-vous. Sinon, essayez de vous connecter : un nouveau lien vous sera proposé."</p>
                        <a class="btn btn--primary" href="/">"Aller à la connexion"</a>
                    }.into_any(),
                })}
            </Transition>
        </div>
    }
}
