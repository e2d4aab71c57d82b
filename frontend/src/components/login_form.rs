use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use portail_domain::ErrorCode;
use portail_domain::api::LoginRequest;
use portail_domain::auth::AccountKind;

use super::{Alert, AlertKind, Button, Checkbox, TextField};
use crate::api::{self, ApiError, Session};

/// « Connexion à votre compte »: e-mail, password, « Se souvenir de moi », « Mot de passe
/// oublié ? ». The same form serves parents and staff (each with its own session).
#[component]
pub fn LoginForm(
    session: Session,
    /// Where to go once logged in.
    #[prop(into)]
    next: String,
    #[prop(into)] forgot_href: String,
) -> impl IntoView {
    let prefix = match session.kind {
        AccountKind::Family => "login",
        AccountKind::Staff => "staff-login",
    };
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let resent = RwSignal::new(None::<String>);
    let navigate = use_navigate();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        resent.set(None);
        let request = LoginRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
            remember_me: remember.get_untracked(),
        };
        let navigate = navigate.clone();
        let next = next.clone();
        crate::task::spawn_busy(busy, async move {
            match api::login(session, &request).await {
                Ok(()) => navigate(&next, Default::default()),
                Err(e) => {
                    error.set(Some(e));
                    crate::dom::focus_id("login-error");
                }
            }
        });
    };
    let resend = move |_| {
        leptos::task::spawn_local(async move {
            let message = match api::resend_verification(&email.get_untracked()).await {
                Ok(answer) => answer.message,
                Err(e) => e.message(),
            };
            resent.set(Some(message));
        });
    };

    view! {
        <form on:submit=on_submit novalidate>
            <div id="login-error" tabindex="-1">
                {move || error.get().map(|e| {
                    let unverified = e.code() == Some(ErrorCode::EmailNotVerified);
                    view! {
                        <Alert kind=AlertKind::Error>
                            <p>{e.message()}</p>
                            {unverified.then(|| view! {
                                <button type="button" class="link-button" on:click=resend>"Renvoyer le lien de confirmation"</button>
                            })}
                        </Alert>
                    }
                })}
                {move || resent.get().map(|message| view! { <Alert kind=AlertKind::Success><p>{message}</p></Alert> })}
            </div>
            <TextField id=format!("{prefix}-email") label="Adresse e-mail" input_type="email" autocomplete="username" required=true value=email />
            <TextField id=format!("{prefix}-password") label="Mot de passe" input_type="password" autocomplete="current-password" required=true value=password />
            <Checkbox id=format!("{prefix}-remember") checked=remember>"Se souvenir de moi"</Checkbox>
            <div class="btn-row btn-row--between">
                <Button submit=true busy=busy>"Connexion"</Button>
                <a href=forgot_href>"Mot de passe oublié ?"</a>
            </div>
        </form>
    }
}
