//! « Aide aux démarches » at the counter: an agent creates a family's account with the parent,
//! the wizard's steps on one page (the same fields and checks), no password; with the parent's
//! address they receive a link to choose theirs, without one the town hall follows the family.

use leptos::prelude::*;
use portail_domain::api::{AssistedFamilyRequest, AssistedFamilyResponse};
use portail_domain::parse::FieldErrors;

use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Button, Checkbox, TextField, Title};
use crate::dom;
use crate::pages::admin::family::ActFor;
use crate::pages::register::{form::Form, steps};

#[component]
pub fn StaffCounter() -> impl IntoView {
    let session = use_staff_session();
    let form = Form::new();
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<AssistedFamilyResponse>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let r = form.request();
        let request = AssistedFamilyRequest {
            email: r.email,
            holder: r.holder,
            accept_terms_for_family: r.accept_terms,
        };
        // The wizard's checks, here at once.
        if let Err(errors) = request.validate(dom::today()) {
            form.errors.set(errors);
            dom::focus_first_invalid();
            return;
        }
        crate::task::spawn_busy(busy, async move {
            match api::create_family_assisted(session, &request).await {
                Ok(done) => {
                    // A blank form for the next family: sending this one again would create
                    // a second family.
                    form.clear();
                    created.set(Some(done));
                    dom::focus_id("guichet-resultat");
                }
                Err(e) if !e.field_errors().is_empty() => {
                    form.errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => failure.set(Some(e.message())),
            }
        });
    };
    view! {
        <Title text="Créer le compte d'une famille — Espace du personnel" />
        <p><a href="/admin/familles">"← Dossiers des familles"</a></p>
        <h1>"Créer le compte d'une famille en mairie"</h1>
        <div id="guichet-resultat" tabindex="-1" role="status">
            {move || created.get().map(|done| view! {
                <Alert kind=AlertKind::Success title="Compte créé">
                    <p>{if done.invitation_sent {
                        "Le parent reçoit un e-mail pour choisir son mot de passe (lien valable 7 jours) : vous ne le connaîtrez pas."
                    } else {
                        "Sans adresse e-mail, la famille est suivie par la mairie jusqu'à ce qu'une adresse soit ajoutée."
                    }}</p>
                    <p><a href=format!("/admin/familles/{}", done.family_id)>"Voir le dossier"</a></p>
                    <ActFor id=done.family_id />
                </Alert>
            })}
        </div>
        <form class="card stack" novalidate on:submit=submit>
            <fieldset class="stack">
                <legend class="h3">"1. Adresse e-mail du parent"</legend>
                <TextField id="email" label="Adresse e-mail (facultative)" input_type="email" value=form.email error=form.error("email")
                    hint="Vide si le parent n'en a pas : la mairie suivra la famille. Jamais de mot de passe ici : le parent choisit le sien." />
            </fieldset>
            <fieldset class="stack"><legend class="h3">"2. Coordonnées"</legend>{steps::contact(form)}</fieldset>
            <fieldset class="stack"><legend class="h3">"3. Informations personnelles"</legend>{steps::personal(form)}</fieldset>
            <fieldset class="stack"><legend class="h3">"4. Informations professionnelles"</legend>{steps::professional(form)}</fieldset>
            <fieldset class="stack">
                <legend class="h3">"5. Validation : lisez ce texte au parent"</legend>
                {steps::terms_text()}
                <Checkbox id="accept_terms_for_family" checked=form.accept_terms required=true error=form.error("accept_terms_for_family")>
                    "J'ai lu ce texte au parent, qui l'accepte : je coche «\u{a0}Accepter\u{a0}» pour lui"
                </Checkbox>
            </fieldset>
            {move || failure.get().map(|m| view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> })}
            <Button submit=true busy=busy>"Créer le compte de la famille"</Button>
        </form>
    }
}
