use crate::components::Title;
use leptos::prelude::*;
use portail_domain::api::ResetPasswordRequest;
use portail_domain::parse::{FieldErrors, Password};

use crate::api::{self, Session, use_family_session, use_staff_session};
use crate::components::{Alert, AlertKind, Button, TextField};
use crate::dom;

/// The page behind a reset e-mail's link (`/mot-de-passe/nouveau#jeton=…`).
#[component]
pub fn ResetPassword() -> impl IntoView {
    view! {
        <Title text="Nouveau mot de passe — Portail Famille" />
        <NewPasswordForm session=use_family_session() login="/" title="Choisir un nouveau mot de passe" />
    }
}

/// Staff: the invitation's and the reset's link (`/admin/mot-de-passe#jeton=…`).
#[component]
pub fn StaffSetPassword() -> impl IntoView {
    view! {
        <Title text="Choisir mon mot de passe — Espace du personnel" />
        <NewPasswordForm session=use_staff_session() login="/admin" title="Choisir mon mot de passe" />
    }
}

#[component]
fn NewPasswordForm(session: Session, login: &'static str, title: &'static str) -> impl IntoView {
    let token = dom::token_from_fragment().unwrap_or_default();
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The server's checks (its strength check aside), here at once.
        if let Err(invalid) = portail_domain::parse::new_password(
            "",
            &password.get_untracked(),
            &confirmation.get_untracked(),
        ) {
            errors.set(invalid);
            dom::focus_first_invalid();
            return;
        }
        errors.set(FieldErrors::default());
        let request = ResetPasswordRequest {
            token: token.clone(),
            new_password: password.get_untracked(),
            new_password_confirmation: confirmation.get_untracked(),
        };
        crate::task::spawn_busy(busy, async move {
            match api::reset_password(session, &request).await {
                Ok(answer) => outcome.set(Some(Ok(answer.message))),
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => outcome.set(Some(Err(e.message()))),
            }
            dom::focus_id("reset-outcome");
        });
    };
    view! {
        <div class="narrow">
            <section class="card">
                <h1>{title}</h1>
                <div id="reset-outcome" tabindex="-1">
                    {move || outcome.get().map(|result| match result {
                        Ok(message) => view! {
                            <Alert kind=AlertKind::Success><p>{message}</p></Alert>
                            <a class="btn btn--primary" href=login>"Se connecter"</a>
                        }.into_any(),
                        Err(message) => view! { <Alert kind=AlertKind::Error><p>{message}</p></Alert> }.into_any(),
                    })}
                </div>
                <Show when=move || !matches!(outcome.get(), Some(Ok(_)))>
                    <form on:submit=submit.clone() novalidate>
                        <TextField id="new_password" label="Nouveau mot de passe" input_type="password" autocomplete="new-password" required=true
                            hint=format!("Au moins {} caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.", Password::MIN_LEN)
                            value=password error=error("new_password") />
                        <TextField id="new_password_confirmation" label="Confirmer le nouveau mot de passe" input_type="password" autocomplete="new-password" required=true value=confirmation error=error("new_password_confirmation") />
                        <Button submit=true busy=busy>"Enregistrer le mot de passe"</Button>
                    </form>
                </Show>
            </section>
        </div>
    }
}
