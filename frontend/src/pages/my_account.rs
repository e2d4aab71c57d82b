use crate::components::Title;
use leptos::prelude::*;
use portail_domain::api::{
    AccountResponse, ChangeEmailRequest, ChangePasswordRequest, UpdateAccountRequest,
};
use portail_domain::parse::{FieldErrors, Password, passwords_match};

use crate::api::{self, Session, use_family_session};
use crate::components::{Alert, AlertKind, Button, Loaded, RadioGroup, TextField};
use crate::dom;

/// « Mon compte »: the account holder's details and the password.
#[component]
pub fn MyAccount() -> impl IntoView {
    view! {
        <Title text="Mon compte — Portail Famille" />
        <MyAccountContent />
    }
}

#[component]
fn MyAccountContent() -> impl IntoView {
    let session = use_family_session();
    let account = LocalResource::new(move || api::get_account(session));
    view! {
        <p><a href="/espace">"← Mon espace"</a></p>
        <h1>"Mon compte"</h1>
        <Loaded resource=account render=move |account| match session.acting.get_untracked() {
                    // An agent acting for the family reads the account; only the family changes
                    // it (the server refuses these forms' saving while acting).
                    Some(family) => view! { <ReadOnlyAccount account=account family=family /> }.into_any(),
                    None => view! {
                    <div class="grid-2">
                        <EditAccount account=account.clone() />
                        <div class="stack">
                            <ChangeEmail current=account.email.clone() />
                            <ChangePassword session=session />
                            <MyData />
                        </div>
                    </div>
                }.into_any() } />
    }
}

/// The account as an agent acting for the family sees it: read only, and why.
#[component]
fn ReadOnlyAccount(account: AccountResponse, family: String) -> impl IntoView {
    let phone = account
        .mobile_phone
        .or(account.home_phone)
        .unwrap_or_default();
    let rows = [
        (
            "Titulaire",
            format!("{} {}", account.first_name, account.last_name),
        ),
        ("Adresse e-mail", account.email),
        (
            "Adresse",
            format!(
                "{}, {} {}",
                account.address_line1, account.postal_code, account.city
            ),
        ),
        ("Téléphone", phone),
    ];
    view! {
        <Alert kind=AlertKind::Info>
            <p>{format!("Vous agissez pour la famille {family} : ses identifiants, son adresse e-mail, son mot de passe et ses données personnelles ne se modifient que par la famille elle-même, connectée à son compte.")}</p>
        </Alert>
        <dl class="card definition-list">
            {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
        </dl>
    }
}

/// The holder's identity, contact and professional details, editable.
#[component]
fn EditAccount(account: AccountResponse) -> impl IntoView {
    let session = use_family_session();
    let text = |v: String| RwSignal::new(v);
    let opt = |v: Option<String>| RwSignal::new(v.unwrap_or_default());
    let civility = text(account.civility.as_str().to_owned());
    let last_name = text(account.last_name);
    let first_name = text(account.first_name);
    let birth_date = text(account.birth_date.to_string());
    let line1 = text(account.address_line1);
    let line2 = opt(account.address_line2);
    let postal_code = text(account.postal_code);
    let city = text(account.city);
    let mobile = opt(account.mobile_phone);
    let home = opt(account.home_phone);
    let profession = opt(account.profession);
    let employer = opt(account.employer);
    let work_phone = opt(account.work_phone);
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let err =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = UpdateAccountRequest {
            civility: civility.get_untracked(),
            last_name: last_name.get_untracked(),
            first_name: first_name.get_untracked(),
            birth_date: birth_date.get_untracked(),
            address_line1: line1.get_untracked(),
            address_line2: line2.get_untracked(),
            postal_code: postal_code.get_untracked(),
            city: city.get_untracked(),
            mobile_phone: mobile.get_untracked(),
            home_phone: home.get_untracked(),
            profession: profession.get_untracked(),
            employer: employer.get_untracked(),
            work_phone: work_phone.get_untracked(),
        };
        outcome.set(None);
        crate::task::spawn_busy(busy, async move {
            crate::form::settle(
                api::update_account(session, &form).await.map(|_| ()),
                errors,
                outcome,
            );
        });
    };
    view! {
        <section class="card" aria-labelledby="mes-informations">
            <h2 id="mes-informations">"Mes informations"</h2>
            <form on:submit=submit novalidate>
                <RadioGroup id="acc_civility" legend="Civilité" options=vec![("madame", "Madame"), ("monsieur", "Monsieur")] required=true value=civility error=err("civility") />
                <TextField id="acc_last_name" label="Nom" required=true value=last_name error=err("last_name") />
                <TextField id="acc_first_name" label="Prénom" required=true value=first_name error=err("first_name") />
                <TextField id="acc_birth_date" label="Date de naissance" input_type="date" required=true value=birth_date error=err("birth_date") />
                <TextField id="acc_line1" label="Adresse" required=true value=line1 error=err("address_line1") />
                <TextField id="acc_line2" label="Complément d'adresse" value=line2 error=err("address_line2") />
                <TextField id="acc_postal_code" label="Code postal" inputmode="numeric" required=true value=postal_code error=err("postal_code") />
                <TextField id="acc_city" label="Ville" required=true value=city error=err("city") />
                <TextField id="acc_mobile" label="Téléphone portable" input_type="tel" value=mobile error=err("mobile_phone") />
                <TextField id="acc_home" label="Téléphone fixe" input_type="tel" value=home error=err("home_phone") />
                <TextField id="acc_profession" label="Profession" value=profession error=err("profession") />
                <TextField id="acc_employer" label="Employeur" value=employer error=err("employer") />
                <TextField id="acc_work_phone" label="Téléphone professionnel" input_type="tel" value=work_phone error=err("work_phone") />
                {move || outcome.get().map(|result| match result {
                    Ok(()) => view! { <Alert kind=AlertKind::Success><p>"Vos informations sont enregistrées."</p></Alert> }.into_any(),
                    Err(message) => view! { <Alert kind=AlertKind::Error><p>{message}</p></Alert> }.into_any(),
                })}
                <Button submit=true busy=busy>"Enregistrer mes informations"</Button>
            </form>
        </section>
    }
}

/// A new address is used only once confirmed by the link sent to it.
#[component]
fn ChangeEmail(current: String) -> impl IntoView {
    let session = use_family_session();
    let new_email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let err =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = ChangeEmailRequest {
            new_email: new_email.get_untracked(),
            current_password: password.get_untracked(),
        };
        crate::task::spawn_busy(busy, async move {
            match api::request_email_change(session, &form).await {
                Ok(answer) => {
                    errors.set(FieldErrors::default());
                    password.set(String::new());
                    outcome.set(Some(Ok(answer.message)));
                }
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => outcome.set(Some(Err(e.message()))),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="mon-email">
            <h2 id="mon-email">"Mon adresse e-mail"</h2>
            <p>"Adresse actuelle : " <strong>{current}</strong></p>
            {move || outcome.get().map(|result| match result {
                Ok(message) => view! { <Alert kind=AlertKind::Success><p>{message}</p></Alert> }.into_any(),
                Err(message) => view! { <Alert kind=AlertKind::Error><p>{message}</p></Alert> }.into_any(),
            })}
            <form on:submit=submit novalidate>
                <TextField id="new_email" label="Nouvelle adresse e-mail" input_type="email" autocomplete="email" required=true value=new_email error=err("new_email") />
                <TextField id="email_password" label="Mot de passe actuel" input_type="password" autocomplete="current-password" required=true value=password error=err("current_password") />
                <Button submit=true busy=busy>"Changer d'adresse"</Button>
            </form>
        </section>
    }
}

/// « Télécharger mes données » and « Demander la suppression de mon compte ».
#[component]
fn MyData() -> impl IntoView {
    let session = use_family_session();
    let message = RwSignal::new(None::<String>);
    let export = move |_| {
        leptos::task::spawn_local(async move {
            match api::document_blob_url(session, "/api/v1/account/export").await {
                Ok(url) => dom::save_as(&url, "mes-donnees-portail-famille.json"),
                Err(e) => message.set(Some(e.message())),
            }
        });
    };
    // Asked first, in the browser's own dialog (keyboard and screen reader ready, and no
    // weight in the parents' bundle): what will happen, then the request.
    let delete = move |_| {
        if !dom::confirm(
            "Supprimer votre compte ? La mairie supprimera vos données, sauf ce que la loi l'oblige à garder (les factures).",
        ) {
            return;
        }
        leptos::task::spawn_local(async move {
            let answer = api::request_deletion(session)
                .await
                .map(|a| a.message)
                .unwrap_or_else(|e| e.message());
            message.set(Some(answer));
        });
    };
    view! {
        <section class="card" aria-labelledby="mes-donnees">
            <h2 id="mes-donnees">"Mes données"</h2>
            <p>"Conformément à la réglementation sur la protection des données personnelles, vous pouvez obtenir toutes les données de votre famille, ou demander la suppression de votre compte."</p>
            <div class="btn-row">
                <button type="button" class="btn btn--secondary" on:click=export>"Télécharger mes données"</button>
                <button type="button" class="btn btn--danger" on:click=delete>"Demander la suppression de mon compte"</button>
            </div>
            <div role="status">{move || message.get().map(|m| view! { <Alert><p>{m}</p></Alert> })}</div>
        </section>
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
        let request = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
            new_password_confirmation: confirmation.get_untracked(),
        };
        crate::task::spawn_busy(busy, async move {
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
