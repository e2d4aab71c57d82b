//! « Créer mon compte »: the five steps of the commune's note, with a step indicator.
//! Each step is checked in the browser with the domain crate's rules before « Suivant → »;
//! the server checks everything again at « ✓ Valider ».

pub(crate) mod form;
pub(crate) mod steps;

use crate::components::Title;
use leptos::prelude::*;
use portail_domain::api::REGISTRATION_STEPS;
use portail_domain::parse::FieldErrors;

use crate::api;
use crate::components::{Alert, AlertKind, Button, ButtonVariant, StepIndicator};
use crate::dom;
use form::Form;
use portail_domain::api::registration_step_of as step_of;

#[component]
pub fn Register() -> impl IntoView {
    let form = Form::new();
    form.restore();
    form.keep();
    // Each step is a URL (`/inscription/1` to `/5`): the browser's Back and Forward move
    // between steps, and a reload stays on the step.
    let params = leptos_router::hooks::use_params_map();
    let step = Memo::new(move |_| {
        params
            .read()
            .get("etape")
            .and_then(|s| s.parse::<usize>().ok())
            .filter(|n| (1..=REGISTRATION_STEPS.len()).contains(n))
            .map_or(0, |n| n - 1)
    });
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
    // The step this visit of the wizard started on (1 after a reload on step 2).
    let entered_at = step.get_untracked();
    let go = move |index: usize| {
        navigate.with_value(|navigate| {
            navigate(
                &format!("/inscription/{}", index + 1),
                leptos_router::NavigateOptions::default(),
            )
        });
    };
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<(String, String)>);
    let commune = LocalResource::new(api::get_commune);
    let commune_name = Signal::derive(move || {
        commune
            .get()
            .and_then(Result::ok)
            .map(|c| c.name)
            .unwrap_or_else(|| "la commune".to_owned())
    });

    let check_step = move || {
        let errors = form
            .request()
            .step_errors(step.get_untracked(), dom::today());
        let ok = errors.is_empty();
        form.errors.set(errors);
        if !ok {
            dom::focus_first_invalid();
        }
        ok
    };
    let next = move |_| {
        if !check_step() {
            return;
        }
        let current = step.get_untracked();
        if current != 0 {
            go(current + 1);
            dom::focus_id("step-title");
            return;
        }
        // Leaving the first step: the server says now whether the password is too easy to
        // guess (its check needs a dictionary the browser does not carry), not after step 5.
        let request = form.request();
        crate::task::spawn_busy(busy, async move {
            match api::check_password(&request.password, &request.email).await {
                Err(error) if !error.field_errors().is_empty() => {
                    form.errors.set(FieldErrors::from(error.field_errors()));
                    dom::focus_first_invalid();
                }
                // Accepted, or the server unreachable: it checks again at the end anyway.
                _ => {
                    go(1);
                    dom::focus_id("step-title");
                }
            }
        });
    };
    let back = move |_| {
        form.errors.set(FieldErrors::default());
        let current = step.get_untracked();
        if current > entered_at {
            // Reached by « Suivant → » in this visit: the previous history entry is the
            // previous step, so « ← Retour » is the browser's Back (no extra entry).
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.back();
            }
        } else {
            navigate.with_value(|navigate| {
                navigate(
                    &format!("/inscription/{current}"),
                    leptos_router::NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                )
            });
        }
        dom::focus_id("step-title");
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if step.get_untracked() < REGISTRATION_STEPS.len() - 1 {
            next(());
            return;
        }
        if !check_step() || busy.get_untracked() {
            return;
        }
        failure.set(None);
        let request = form.request();
        crate::task::spawn_busy(busy, async move {
            match api::register(&request).await {
                Ok(answer) => {
                    Form::forget();
                    done.set(Some((request.email.clone(), answer.message)));
                    dom::focus_id("registered");
                }
                Err(error) => {
                    let errors = error.field_errors();
                    if let Some(first) = errors.first() {
                        go(step_of(&first.field));
                        form.errors.set(FieldErrors::from(errors));
                        dom::focus_first_invalid();
                    } else {
                        failure.set(Some(error.message()));
                    }
                }
            }
        });
    };

    let has_previous = move || step.get() > 0;
    let has_next = move || step.get() + 1 < REGISTRATION_STEPS.len();
    view! {
        <Title text=move || format!(
            "Créer mon compte, étape {} sur {} : {} — Portail Famille",
            step.get() + 1,
            REGISTRATION_STEPS.len(),
            REGISTRATION_STEPS[step.get()]
        ) />
        <div class="narrow">
            <Show when=move || done.get().is_none() fallback=move || view! { <Registered done=done /> }>
                <h1>"Créer mon compte"</h1>
                <StepIndicator steps=&REGISTRATION_STEPS current=step label="Étapes de l'inscription" />
                <form class="card" on:submit=submit novalidate>
                    <h2 id="step-title" tabindex="-1" data-focus-on-navigation="">{move || format!("{} — {}", step.get() + 1, REGISTRATION_STEPS[step.get()])}</h2>
                    <p class="fine-print">"Les champs marqués d'une étoile " <span aria-hidden="true">"*"</span> " sont obligatoires."</p>
                    {move || match step.get() {
                        0 => steps::connection(form).into_any(),
                        1 => steps::contact(form).into_any(),
                        2 => steps::personal(form).into_any(),
                        3 => steps::professional(form).into_any(),
                        _ => steps::validation(form, commune_name).into_any(),
                    }}
                    {move || failure.get().map(|message| view! { <Alert kind=AlertKind::Error><p>{message}</p></Alert> })}
                    <div class="btn-row btn-row--between">
                        <Show when=has_previous>
                            <Button variant=ButtonVariant::Secondary on_click=Callback::new(back)>"← Retour"</Button>
                        </Show>
                        <Show
                            when=has_next
                            fallback=move || view! { <Button submit=true busy=busy>"✓ Valider"</Button> }
                        >
                            <Button submit=true>"Suivant →"</Button>
                        </Show>
                    </div>
                </form>
                <p class="mt">"Déjà un compte ? " <a href="/">"Se connecter"</a></p>
            </Show>
        </div>
    }
}

/// After « ✓ Valider »: check your e-mail, with a way to get the link again.
#[component]
fn Registered(done: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let resent = RwSignal::new(None::<String>);
    let resend = move |_| {
        let email = done
            .get_untracked()
            .map(|(email, _)| email)
            .unwrap_or_default();
        leptos::task::spawn_local(async move {
            let message = match api::resend_verification(&email).await {
                Ok(answer) => answer.message,
                Err(error) => error.message(),
            };
            resent.set(Some(message));
        });
    };
    view! {
        <h1 id="registered" tabindex="-1">"Vérifiez votre messagerie"</h1>
        <Alert kind=AlertKind::Success>
            <p>{move || done.get().map(|(_, message)| message)}</p>
        </Alert>
        <p>"Le lien de confirmation est valable 48 heures. Une fois votre adresse confirmée, connectez-vous pour compléter votre dossier (Mon foyer, Mes enfants, Mes documents)."</p>
        <p><button type="button" class="link-button" on:click=resend>"Je n'ai rien reçu : renvoyer le lien"</button></p>
        {move || resent.get().map(|message| view! { <Alert><p>{message}</p></Alert> })}
        <p><a href="/">"← Retour à l'accueil"</a></p>
    }
}
