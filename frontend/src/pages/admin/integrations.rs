//! « Intégrations » (administrators): the API keys of the commune's software and partners
//! (created with their permissions, the secret shown once, revoked at once) and the webhook
//! subscriptions with their delivery log and « Renvoyer » (docs/integrators.md).

use leptos::prelude::*;
use portail_domain::api::{
    ApiKeyResponse, CreateApiKeyRequest, CreateWebhookRequest, WebhookResponse, wire,
};
use portail_domain::auth::api_key::ApiScope;
use portail_domain::parse::{FieldErrors, InvalidValue};
use portail_domain::rules::webhooks::{DeliveryStatus, WebhookEvent};

use crate::api::{self, use_staff_session};
use crate::components::{
    Alert, AlertKind, Button, Checkbox, ConfirmDialog, CopyField, ErrorAlert, Loaded, TextField,
    Title,
};
use crate::dom;

#[component]
pub fn StaffIntegrations() -> impl IntoView {
    view! {
        <Title text="Intégrations — Espace du personnel" />
        <h1>"Intégrations"</h1>
        <p>"Les logiciels de la commune et de ses partenaires (comptabilité, fournisseur de la cantine, statistiques) utilisent l'API du portail avec une clé, et reçoivent ses événements par webhook. Le guide de l'intégrateur et la documentation interactive : "
            <a href="/api/docs/">"documentation de l'API"</a>"."</p>
        <ApiKeys />
        <Webhooks />
    }
}

#[component]
fn ApiKeys() -> impl IntoView {
    let session = use_staff_session();
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        version.track();
        api::list_api_keys(session)
    });
    view! {
        <section class="section" aria-labelledby="cles">
            <h2 id="cles">"Clés d'API"</h2>
            <Loaded resource=list render=move |value| match value {
                    list if list.items.is_empty() => view! { <p>"Aucune clé pour l'instant."</p> }.into_any(),
                    list => view! {
                        <ul class="list-plain card" aria-label="Les clés">
                            {list.items.into_iter().map(|key| view! { <KeyItem key=key version=version /> }).collect_view()}
                        </ul>
                    }.into_any(),
                } />
            <CreateKey version=version />
        </section>
    }
}

fn scope_names(scopes: &[ApiScope]) -> String {
    scopes
        .iter()
        .map(|s| s.label_fr())
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn KeyItem(key: ApiKeyResponse, version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let asking = RwSignal::new(false);
    let id = key.id;
    let revoke = move |()| {
        leptos::task::spawn_local(async move {
            let _ = api::revoke_api_key(session, id).await;
            version.update(|v| *v += 1);
        });
    };
    let revoked = key.revoked_at.is_some();
    let name = key.name.clone();
    view! {
        <li class="stack-small">
            <strong>{key.name.clone()}</strong>
            " — " <code>{format!("{}…", key.prefix)}</code>
            {if revoked {
                view! { " " <span class="badge badge--muted">"Révoquée"</span> }.into_any()
            } else {
                view! { " " <span class="badge badge--success">"Active"</span> }.into_any()
            }}
            <p class="fine-print">
                {format!("Permissions : {}.", scope_names(&key.scopes))}
                <br />
                {format!("Créée par {} le {}", key.created_by_name, dom::local_datetime(key.created_at))}
                {key.expires_at.map(|at| format!(", valable jusqu'au {}", dom::local_datetime(at)))}
                ". "
                {match key.last_used_at {
                    Some(at) => format!("Dernière utilisation : {}.", dom::local_datetime(at)),
                    None => "Jamais utilisée.".to_owned(),
                }}
            </p>
            {(!revoked).then(|| view! {
                <button type="button" class="btn btn--secondary btn--small" on:click=move |_| asking.set(true)>
                    {format!("Révoquer la clé «\u{a0}{name}\u{a0}»")}
                </button>
                <ConfirmDialog id=format!("revoquer-{id}") open=asking title="Révoquer cette clé ?" confirm_label="Révoquer la clé" on_confirm=Callback::new(revoke)>
                    <p>"Le logiciel qui l'utilise sera refusé dès son prochain appel. Ce n'est pas réversible : il faudra lui donner une nouvelle clé."</p>
                </ConfirmDialog>
            })}
        </li>
    }
}

#[component]
fn CreateKey(version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let name = RwSignal::new(String::new());
    let last_day = RwSignal::new(String::new());
    let chosen: Vec<(ApiScope, RwSignal<bool>)> = ApiScope::ALL
        .iter()
        .map(|s| (*s, RwSignal::new(false)))
        .collect();
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<String>);
    let secret = RwSignal::new(None::<(String, String)>);
    let busy = RwSignal::new(false);
    let err =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let boxes = chosen.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let mut e = FieldErrors::default();
        let raw_day = last_day.get_untracked();
        let expires_on = if raw_day.trim().is_empty() {
            None
        } else {
            e.check(
                "expires_on",
                wire::parse_date(raw_day.trim())
                    .ok_or_else(|| InvalidValue::invalid_format("Choisissez une date.")),
            )
        };
        let request = CreateApiKeyRequest {
            name: name.get_untracked(),
            scopes: chosen
                .iter()
                .filter(|(_, on)| on.get_untracked())
                .map(|(s, _)| s.as_str().to_owned())
                .collect(),
            expires_on,
        };
        if let Err(more) = request.validate(dom::today()) {
            e.extend(more);
        }
        if !e.is_empty() {
            errors.set(e);
            dom::focus_first_invalid();
            return;
        }
        errors.set(FieldErrors::default());
        crate::task::spawn_busy(busy, async move {
            match api::create_api_key(session, &request).await {
                Ok(created) => {
                    secret.set(Some((created.key.name, created.secret)));
                    name.set(String::new());
                    last_day.set(String::new());
                    version.update(|v| *v += 1);
                    dom::focus_id("cle-creee");
                }
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => failure.set(Some(e.message())),
            }
        });
    };
    view! {
        {move || secret.get().map(|(key_name, value)| view! {
            <div id="cle-creee" tabindex="-1">
                <Alert kind=AlertKind::Success>
                    <p>{format!("La clé «\u{a0}{key_name}\u{a0}» est créée. Copiez-la maintenant : elle ne sera plus jamais affichée.")}</p>
                    <CopyField id="cle-secret" label="La clé" value=value />
                    <button type="button" class="btn btn--secondary btn--small" on:click=move |_| secret.set(None)>"J'ai copié la clé"</button>
                </Alert>
            </div>
        })}
        <form class="card narrow stack" on:submit=submit novalidate aria-label="Créer une clé d'API">
            <h3>"Créer une clé"</h3>
            <TextField id="cle-nom" label="Nom" hint="À quoi sert la clé : «\u{a0}Logiciel de comptabilité\u{a0}»." required=true value=name error=err("name") />
            <fieldset class="field" class:field--invalid=move || errors.with(|e| e.message_for("scopes").is_some())>
                <legend class="field__label">"Permissions"</legend>
                {boxes.into_iter().map(|(scope, on)| view! {
                    <Checkbox id=format!("cle-{}", scope.as_str().replace(':', "-")) checked=on>
                        {scope.label_fr()} " " <code>{scope.as_str()}</code>
                    </Checkbox>
                }).collect_view()}
                {move || errors.with(|e| e.message_for("scopes")).map(|m| view! { <span class="field__error" id="cle-scopes-error">{m}</span> })}
            </fieldset>
            <TextField id="cle-fin" label="Dernier jour de validité (facultatif)" input_type="date" value=last_day error=err("expires_on") />
            {move || failure.get().map(|m| view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> })}
            <Button submit=true busy=busy>"Créer la clé"</Button>
        </form>
    }
}

#[component]
fn Webhooks() -> impl IntoView {
    let session = use_staff_session();
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        version.track();
        api::list_webhooks(session)
    });
    view! {
        <section class="section" aria-labelledby="webhooks">
            <h2 id="webhooks">"Webhooks"</h2>
            <p class="fine-print">"Chaque événement est envoyé en JSON, signé (en-tête Portail-Signature), et renvoyé pendant 24 heures tant que le destinataire ne répond pas."</p>
            <Loaded resource=list render=move |value| match value {
                    list if list.items.is_empty() => view! { <p>"Aucun abonnement."</p> }.into_any(),
                    list => view! {
                        <ul class="list-plain card" aria-label="Les abonnements">
                            {list.items.into_iter().map(|w| view! { <WebhookItem webhook=w version=version /> }).collect_view()}
                        </ul>
                    }.into_any(),
                } />
            <CreateWebhook version=version />
        </section>
    }
}

#[component]
fn WebhookItem(webhook: WebhookResponse, version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let id = webhook.id;
    let asking = RwSignal::new(false);
    let open = RwSignal::new(false);
    let log_version = RwSignal::new(0_u32);
    let log = LocalResource::new(move || {
        log_version.track();
        let shown = open.get();
        async move {
            if shown {
                Some(api::list_webhook_deliveries(session, id).await)
            } else {
                None
            }
        }
    });
    let remove = move |()| {
        leptos::task::spawn_local(async move {
            let _ = api::delete_webhook(session, id).await;
            version.update(|v| *v += 1);
        });
    };
    let events = webhook
        .events
        .iter()
        .map(|e| e.label_fr())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="stack-small">
            <strong><code>{webhook.url.clone()}</code></strong>
            {(!webhook.description.is_empty()).then(|| view! { <p>{webhook.description.clone()}</p> })}
            <p class="fine-print">
                {format!("Événements : {events}. Envois : {} remis, {} en attente, {} en échec.", webhook.delivered, webhook.pending, webhook.failed)}
            </p>
            <div class="btn-row">
                <button type="button" class="btn btn--secondary btn--small" aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>"Journal des envois"</button>
                <button type="button" class="btn btn--secondary btn--small" on:click=move |_| asking.set(true)>"Supprimer l'abonnement"</button>
            </div>
            <ConfirmDialog id=format!("supprimer-webhook-{id}") open=asking title="Supprimer cet abonnement ?" confirm_label="Supprimer" on_confirm=Callback::new(remove)>
                <p>"Plus aucun événement ne sera envoyé à cette adresse, ceux en attente compris."</p>
            </ConfirmDialog>
            <Transition fallback=|| ()>
                {move || log.get().flatten().map(|result| match result {
                    Ok(page) if page.items.is_empty() => view! { <p>"Aucun envoi pour l'instant."</p> }.into_any(),
                    Ok(page) => view! {
                        <div class="table-scroll">
                            <table class="table">
                                <caption class="visually-hidden">"Les derniers envois"</caption>
                                <thead><tr><th scope="col">"Événement"</th><th scope="col">"État"</th><th scope="col">"Tentatives"</th><th scope="col">"Dernière erreur"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|d| {
                                        let delivery = d.id;
                                        let resend = move |_| {
                                            leptos::task::spawn_local(async move {
                                                let _ = api::redeliver_webhook(session, id, delivery).await;
                                                log_version.update(|v| *v += 1);
                                            });
                                        };
                                        view! {
                                            <tr>
                                                <td>{d.event.label_fr()}<br /><span class="fine-print">{dom::local_datetime(d.created_at)}</span></td>
                                                <td>{d.status.label_fr()}{d.last_status.map(|s| format!(" ({s})"))}</td>
                                                <td>{d.attempts}</td>
                                                <td>{d.last_error.unwrap_or_default()}</td>
                                                <td>{(d.status != DeliveryStatus::Pending).then(|| view! {
                                                    <button type="button" class="btn btn--secondary btn--small" on:click=resend>"Renvoyer"</button>
                                                })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorAlert error=error /> }.into_any(),
                })}
            </Transition>
        </li>
    }
}

#[component]
fn CreateWebhook(version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen: Vec<(WebhookEvent, RwSignal<bool>)> = WebhookEvent::ALL
        .iter()
        .map(|e| (*e, RwSignal::new(false)))
        .collect();
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<String>);
    let secret = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let err =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let boxes = chosen.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let request = CreateWebhookRequest {
            url: url.get_untracked().trim().to_owned(),
            description: description.get_untracked(),
            events: chosen
                .iter()
                .filter(|(_, on)| on.get_untracked())
                .map(|(e, _)| *e)
                .collect(),
        };
        let mut e = FieldErrors::default();
        if !request.url.starts_with("https://") && !request.url.starts_with("http://localhost") {
            e.push(
                "url",
                InvalidValue::new("invalid_url", "L'adresse doit commencer par https://."),
            );
        }
        if request.events.is_empty() {
            e.push(
                "events",
                InvalidValue::new("required", "Choisissez au moins un événement."),
            );
        }
        if !e.is_empty() {
            errors.set(e);
            dom::focus_first_invalid();
            return;
        }
        errors.set(FieldErrors::default());
        crate::task::spawn_busy(busy, async move {
            match api::create_webhook(session, &request).await {
                Ok(created) => {
                    secret.set(Some(created.secret));
                    url.set(String::new());
                    description.set(String::new());
                    version.update(|v| *v += 1);
                    dom::focus_id("webhook-cree");
                }
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => failure.set(Some(e.message())),
            }
        });
    };
    view! {
        {move || secret.get().map(|value| view! {
            <div id="webhook-cree" tabindex="-1">
                <Alert kind=AlertKind::Success>
                    <p>"L'abonnement est créé. Voici le secret qui vérifie la signature des envois : copiez-le maintenant, il ne sera plus affiché."</p>
                    <CopyField id="webhook-secret" label="Le secret de signature" value=value />
                    <button type="button" class="btn btn--secondary btn--small" on:click=move |_| secret.set(None)>"J'ai copié le secret"</button>
                </Alert>
            </div>
        })}
        <form class="card narrow stack" on:submit=submit novalidate aria-label="S'abonner à des événements">
            <h3>"S'abonner à des événements"</h3>
            <TextField id="webhook-url" label="Adresse de réception" input_type="url" hint="https://…" required=true value=url error=err("url") />
            <TextField id="webhook-description" label="Description (facultative)" value=description error=err("description") />
            <fieldset class="field" class:field--invalid=move || errors.with(|e| e.message_for("events").is_some())>
                <legend class="field__label">"Événements"</legend>
                {boxes.into_iter().map(|(event, on)| view! {
                    <Checkbox id=format!("evenement-{}", event.as_str().replace(['.', '_'], "-")) checked=on>
                        {event.label_fr()} " " <code>{event.as_str()}</code>
                    </Checkbox>
                }).collect_view()}
                {move || errors.with(|e| e.message_for("events")).map(|m| view! { <span class="field__error">{m}</span> })}
            </fieldset>
            {move || failure.get().map(|m| view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> })}
            <Button submit=true busy=busy>"Créer l'abonnement"</Button>
        </form>
    }
}
