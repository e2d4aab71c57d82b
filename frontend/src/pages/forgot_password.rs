use crate::components::Title;
use leptos::prelude::*;

use crate::api::{self, Session, use_family_session, use_staff_session};
use crate::components::{Alert, AlertKind, Button, TextField};

/// « Mot de passe oublié ? » for parents.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    view! {
        <Title text="Mot de passe oublié — Portail Famille" />
        <ForgotForm session=use_family_session() back="/" />
    }
}

/// The same for staff.
#[component]
pub fn StaffForgotPassword() -> impl IntoView {
    view! {
        <Title text="Mot de passe oublié — Espace du personnel" />
        <ForgotForm session=use_staff_session() back="/admin" />
    }
}

#[component]
fn ForgotForm(session: Session, back: &'static str) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let answer = RwSignal::new(None::<Result<String, String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        crate::task::spawn_busy(busy, async move {
            let result = api::request_password_reset(session, &email.get_untracked()).await;
            answer.set(Some(result.map(|a| a.message).map_err(|e| e.message())));
            crate::dom::focus_id("forgot-answer");
        });
    };
    view! {
        <div class="narrow">
            <section class="card">
                <h1>"Mot de passe oublié"</h1>
                <p>"Indiquez l'adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe."</p>
                <div id="forgot-answer" tabindex="-1">
                    {move || answer.get().map(|result| match result {
                        Ok(message) => view! { <Alert kind=AlertKind::Success><p>{message}</p></Alert> }.into_any(),
                        Err(message) => view! { <Alert kind=AlertKind::Error><p>{message}</p></Alert> }.into_any(),
                    })}
                </div>
                <form on:submit=submit novalidate>
                    <TextField id="forgot-email" label="Adresse e-mail" input_type="email" autocomplete="username" required=true value=email />
                    <Button submit=true busy=busy>"Recevoir un lien"</Button>
                </form>
                <p class="mt"><a href=back>"← Retour à la connexion"</a></p>
            </section>
        </div>
    }
}
