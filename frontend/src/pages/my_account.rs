use leptos::prelude::*;
use leptos_meta::Title;
use portail_domain::api::{AccountResponse, ChangePasswordRequest};
use portail_domain::parse::{FieldErrors, Password, passwords_match};

use crate::api::{self, Session, use_family_session};
use crate::components::{Alert, AlertKind, Button, ParentLayout, RequireSession, TextField};
use crate::dom;

/// « Mon compte »: the account holder's details and the password.
#[component]
pub fn MyAccount() -> impl IntoView {
    let session = use_family_session();
    view! {
        <Title text="Mon compte — Portail Famille" />
        <ParentLayout>
            <RequireSession session=session login_path="/">
                <MyAccountContent />
            </RequireSession>
        </ParentLayout>
    }
}

#[component]
fn MyAccountContent() -> impl IntoView {
    let session = use_family_session();
    let account = LocalResource::new(move || api::get_account(session));
    view! {
        <p><a href="/espace">"← Mon espace"</a></p>
        <h1>"Mon compte"</h1>
        <div class="grid-2">
            <section class="card" aria-labelledby="mes-informations">
                <h2 id="mes-informations">"Mes informations"</h2>
                <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                    {move || account.get().map(|result| match result {
                        Ok(account) => details(account).into_any(),
                        Err(error) => view! { <Alert kind=AlertKind::Error><p>{error.message()}</p></Alert> }.into_any(),
                    })}
                </Suspense>
            </section>
            <ChangePassword session=session />
        </div>
    }
}

fn details(account: AccountResponse) -> impl IntoView {
    let or_dash = |value: Option<String>| {
        value
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "—".to_owned())
    };
    let address = match &account.address_line2 {
        Some(line2) => format!(
            "{}, {line2}, {} {}",
            account.address_line1, account.postal_code, account.city
        ),
        None => format!(
            "{}, {} {}",
            account.address_line1, account.postal_code, account.city
        ),
    };
    view! {
        <dl class="definition-list">
            <dt>"Nom"</dt><dd>{format!("{} {} {}", account.civility.label_fr(), account.first_name, account.last_name)}</dd>
            <dt>"Date de naissance"</dt><dd>{account.birth_date.format("%d/%m/%Y").to_string()}</dd>
            <dt>"Adresse e-mail"</dt><dd>{account.email}</dd>
            <dt>"Adresse"</dt><dd>{address}</dd>
            <dt>"Téléphone portable"</dt><dd>{or_dash(account.mobile_phone)}</dd>
            <dt>"Téléphone fixe"</dt><dd>{or_dash(account.home_phone)}</dd>
            <dt>"Profession"</dt><dd>{or_dash(account.profession)}</dd>
            <dt>"Employeur"</dt><dd>{or_dash(account.employer)}</dd>
            <dt>"Téléphone professionnel"</dt><dd>{or_dash(account.work_phone)}</dd>
        </dl>
    }
}

/// Changing the password (the current one is asked); every other session ends.
#[component]
pub fn ChangePassword(session: Session) -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut check = FieldErrors::default();
        if current.get_untracked().is_empty() {
            check.push(
                "current_password",
                portail_domain::parse::InvalidValue::required(),
            );
        }
        check.check("new_password", Password::parse(&new.get_untracked(), &[]));
        check.check(
            "new_password_confirmation",
            passwords_match(&new.get_untracked(), &confirmation.get_untracked()),
        );
        let valid = check.is_empty();
        errors.set(check);
        outcome.set(None);
        if !valid {
            dom::focus_first_invalid();
            return;
        }
        busy.set(true);
        let request = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
            new_password_confirmation: confirmation.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::change_password(session, &request).await {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    confirmation.set(String::new());
                    outcome.set(Some(Ok(())));
                    dom::focus_id("password-outcome");
                }
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => {
                    outcome.set(Some(Err(e.message())));
                    dom::focus_id("password-outcome");
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="changer-mot-de-passe">
            <h2 id="changer-mot-de-passe">"Changer de mot de passe"</h2>
            <div id="password-outcome" tabindex="-1">
                {move || outcome.get().map(|result| match result {
                    Ok(()) => view! { <Alert kind=AlertKind::Success><p>"Votre mot de passe est changé. Vos autres sessions ont été fermées."</p></Alert> }.into_any(),
                    Err(message) => view! { <Alert kind=AlertKind::Error><p>{message}</p></Alert> }.into_any(),
                })}
            </div>
            <form on:submit=submit novalidate>
                <TextField id="current_password" label="Mot de passe actuel" input_type="password" autocomplete="current-password" required=true value=current error=error("current_password") />
                <TextField id="new_password" label="Nouveau mot de passe" input_type="password" autocomplete="new-password" required=true
                    hint=format!("Au moins {} caractères.", Password::MIN_LEN) value=new error=error("new_password") />
                <TextField id="new_password_confirmation" label="Confirmer le nouveau mot de passe" input_type="password" autocomplete="new-password" required=true value=confirmation error=error("new_password_confirmation") />
                <Button submit=true busy=busy>"Changer le mot de passe"</Button>
            </form>
        </section>
    }
}
