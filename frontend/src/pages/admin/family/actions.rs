//! What staff do from a family's file: decide on it, act for the family, add its e-mail address,
//! erase its data.

use leptos::prelude::*;
use portail_domain::api::DossierStatus;
use uuid::Uuid;

use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Button, ButtonVariant, Outcome, Submit, TextArea};
use crate::dom;

#[component]
pub(super) fn Decisions(
    id: Uuid,
    status: DossierStatus,
    missing: Vec<String>,
    /// Documents still « En attente de vérification »: validating asks first.
    pending: Vec<String>,
    /// The message of the last « Demander un complément », while the family answers.
    info_request: Option<String>,
    version: RwSignal<u32>,
    outcome: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_staff_session();
    let message = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let has_pending = !pending.is_empty();
    let pending_count = pending.len() as u64;
    let validate_now = move || {
        leptos::task::spawn_local(async move {
            match api::validate_family(session, id).await {
                Ok(_) => {
                    outcome.set(Some(
                        "Dossier validé : la famille est prévenue par e-mail.".to_owned(),
                    ));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    let validate = move |_| {
        if has_pending {
            confirming.set(true);
            dom::focus_id("validate-confirm");
        } else {
            validate_now();
        }
    };
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = message.get_untracked();
        if text.trim().is_empty() {
            error.set(Some(
                "Écrivez le message qui sera envoyé à la famille.".to_owned(),
            ));
            dom::focus_first_invalid();
            return;
        }
        leptos::task::spawn_local(async move {
            match api::request_family_info(session, id, &text).await {
                Ok(_) => {
                    outcome.set(Some("Demande envoyée à la famille par e-mail.".to_owned()));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="decision">
            <h2 id="decision">"Décision"</h2>
            {(!missing.is_empty()).then(|| view! {
                <Alert kind=AlertKind::Warning title="Il manque encore">
                    <ul>{missing.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                </Alert>
            })}
            {(status == DossierStatus::InfoRequested).then(|| view! {
                <Alert kind=AlertKind::Info title="En attente de la famille">
                    <p>"Un complément a été demandé : la famille complète son dossier puis le renvoie. Il reviendra alors dans la file «\u{a0}À traiter\u{a0}»."</p>
                    {info_request.map(|m| view! { <p>{format!("Message envoyé : {m}")}</p> })}
                </Alert>
            })}
            {(status == DossierStatus::Submitted).then(|| view! {
                <p><Button on_click=Callback::new(validate)>"Valider le dossier"</Button></p>
                <Show when=move || confirming.get()>
                    <div class="confirm" role="alertdialog" aria-labelledby="validate-confirm-title" aria-describedby="validate-confirm-list">
                        <p id="validate-confirm-title"><strong>{format!(
                            "{} de vérification",
                            portail_domain::format::count(pending_count, "pièce est encore en attente", "pièces sont encore en attente")
                        )}</strong></p>
                        <ul id="validate-confirm-list">{pending.clone().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                        <p>"Valider le dossier sans les avoir examinées ?"</p>
                        <div class="btn-row">
                            <button type="button" id="validate-confirm" class="btn btn--primary" on:click=move |_| { confirming.set(false); validate_now(); }>"Valider quand même"</button>
                            <button type="button" class="btn btn--secondary" on:click=move |_| confirming.set(false)>"Annuler"</button>
                        </div>
                    </div>
                </Show>
            })}
            {matches!(status, DossierStatus::Submitted | DossierStatus::Validated | DossierStatus::ToReverify).then(|| view! {
                <form on:submit=ask novalidate>
                    <TextArea id="info-message" label="Demander un complément" hint="Ce message est envoyé par e-mail et affiché sur l'espace de la famille." value=message error=error />
                    <Button submit=true variant=ButtonVariant::Secondary>"Demander un complément"</Button>
                </form>
            })}
        </section>
    }
}

/// « Agir pour cette famille » (aide aux démarches): 30 minutes in the family's pages, in this
/// tab, every action logged with both names (docs/assisted.md).
#[component]
pub fn ActFor(id: Uuid) -> impl IntoView {
    let session = crate::api::use_staff_session();
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let start = move |_| {
        failure.set(None);
        crate::task::spawn_busy(busy, async move {
            match crate::api::start_acting_as_family(session, id).await {
                Ok(acting) => {
                    let storage =
                        web_sys::window().and_then(|w| w.session_storage().ok().flatten());
                    if let Some(storage) = storage {
                        storage
                            .set_item(
                                crate::api::ACTING_KEY,
                                &format!("{}\n{}", acting.access_token, acting.family_label),
                            )
                            .ok();
                    }
                    if let Some(window) = web_sys::window() {
                        window.location().assign("/espace").ok();
                    }
                }
                Err(e) => failure.set(Some(e.message())),
            }
        });
    };
    view! {
        <div class="btn-row">
            <crate::components::Button variant=crate::components::ButtonVariant::Secondary busy=busy on:click=start>"Agir pour cette famille (30 min)"</crate::components::Button>
            <span class="fine-print">"Aide aux démarches : ses pages, en son nom, chaque action journalisée au vôtre."</span>
        </div>
        {move || failure.get().map(|m| view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> })}
    }
}

/// A family created at the counter without an address: staff add the parent's when they have
/// one; the parent then receives the link to choose a password.
#[component]
pub(super) fn AddEmail(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let session = crate::api::use_staff_session();
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        crate::task::spawn_busy(busy, async move {
            match crate::api::set_family_email(session, id, &email.get_untracked()).await {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => {
                    error.set(Some(
                        e.field_errors()
                            .first()
                            .map_or_else(|| e.message(), |f| f.message.clone()),
                    ));
                    dom::focus_first_invalid();
                }
            }
        });
    };
    view! {
        <form class="card stack" on:submit=submit novalidate>
            <p>"Cette famille n'a pas d'adresse e-mail : la mairie la suit. Avec une adresse, le parent reçoit un lien pour choisir son mot de passe."</p>
            <crate::components::TextField id="famille-email" label="Adresse e-mail du parent" input_type="email" value=email error=Signal::derive(move || error.get()) />
            <crate::components::Button submit=true busy=busy>"Ajouter l'adresse"</crate::components::Button>
        </form>
    }
}

/// A family's deletion request, for an administrator: what still stands in the way, what
/// will be deleted, what is kept and why, and the button (with a confirmation).
#[component]
pub(super) fn Erasure(id: Uuid) -> impl IntoView {
    let session = use_staff_session();
    let preview = LocalResource::new(move || api::erasure_preview(session, id));
    let asking = RwSignal::new(false);
    let erasing = Submit::new();
    let erase = Callback::new(move |()| {
        erasing.run(
            async move { api::erase_family(session, id).await },
            |done| done.message,
        );
    });
    view! {
        <section class="card section" aria-labelledby="suppression">
            <h2 id="suppression">"Suppression des données"</h2>
            <Transition fallback=|| view! { <p>"Chargement…"</p> }>
                {move || preview.get().map(|result| match result {
                    // Agents do not erase: the section says nothing more to them.
                    Err(_) => view! { <p>"Un administrateur exécute les demandes de suppression."</p> }.into_any(),
                    Ok(preview) => {
                        let blocked = !preview.blockers.is_empty();
                        view! {
                            {blocked.then(|| view! {
                                <Alert kind=AlertKind::Warning>
                                    <p>"La suppression n'est pas encore possible :"</p>
                                    <ul>{preview.blockers.iter().map(|b| view! { <li>{b.clone()}</li> }).collect_view()}</ul>
                                </Alert>
                            })}
                            <h3>"Ce qui sera supprimé"</h3>
                            <ul>{preview.erased.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
                            <h3>"Ce qui est gardé, et pourquoi"</h3>
                            <ul>{preview.kept.iter().map(|k| view! { <li><strong>{k.what.clone()}</strong>" : "{k.why.clone()}</li> }).collect_view()}</ul>
                            <button type="button" class="btn btn--danger" disabled=blocked on:click=move |_| asking.set(true)>"Supprimer les données de la famille"</button>
                            <crate::components::ConfirmDialog id="confirmer-suppression" open=asking title="Supprimer les données de la famille ?" confirm_label="Supprimer définitivement" on_confirm=erase>
                                <p>"Le compte, le foyer, les enfants, les réservations et les documents seront supprimés ; cette action ne peut pas être annulée."</p>
                            </crate::components::ConfirmDialog>
                        }.into_any()
                    }
                })}
            </Transition>
            <Outcome said=erasing.said />
        </section>
    }
}
