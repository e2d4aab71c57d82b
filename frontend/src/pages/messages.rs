//! « Mes messages » (issue 24, point 2): write to a service (each one that takes messages, the
//! RPE and the « affaires scolaires » included), the family's conversations — all, or one
//! service's from its « Écrire au service » link —, and one conversation with its answer form.
//! Part of the registration bundle (not every parent writes every week): app::inscription.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use portail_domain::ServiceCode;
use portail_domain::api::{
    ConversationList, ConversationResponse, NewConversationRequest, ServiceSummary,
};
use portail_domain::parse::FieldErrors;
use uuid::Uuid;

use crate::api::{self, use_family_session};
use crate::components::{
    Button, ErrorAlert, Loaded, SelectField, TextArea, TextField, Thread, Title,
};
use crate::dom;

#[component]
pub fn MyMessages() -> impl IntoView {
    let session = use_family_session();
    let query = use_query_map();
    let service = move || {
        query
            .with(|q| q.get("service"))
            .and_then(|s| ServiceCode::parse(&s))
    };
    let list = LocalResource::new(move || {
        let filter = service()
            .map(|s| format!("?service={}", s.as_str()))
            .unwrap_or_default();
        async move {
            session
                .get::<ConversationList>(&format!("/api/v1/conversations{filter}"))
                .await
        }
    });
    let commune = LocalResource::new(api::get_commune);
    view! {
        <Title text="Mes messages — Portail Famille" />
        <p><a href="/espace">"← Mon espace"</a></p>
        <h1>"Mes messages"</h1>
        <p>"Écrivez aux services de la mairie ; vous êtes prévenu par e-mail quand ils vous répondent."</p>
        <Loaded resource=list render=move |l| view! { <Conversations list=l filtered=service().is_some() /> }.into_any() />
        <Loaded resource=commune render=move |c| view! { <NewConversation services=c.services chosen=service() /> }.into_any() />
    }
}

#[component]
fn Conversations(list: ConversationList, filtered: bool) -> impl IntoView {
    view! {
        <section class="section stack" aria-labelledby="mes-conversations">
            <h2 id="mes-conversations">"Mes conversations"</h2>
            {filtered.then(|| view! { <p><a href="/mes-messages">"Voir les conversations avec tous les services"</a></p> })}
            {if list.items.is_empty() {
                view! { <p class="muted">"Aucune conversation pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <ul class="list-plain stack">
                        {list.items.into_iter().map(|c| {
                            let href = format!("/mes-messages/{}", c.id);
                            view! {
                                <li class="card">
                                    <a href=href><strong>{c.subject}</strong></a>
                                    {c.unread.then(|| view! { " " <span class="badge badge--ok">"Nouveau message"</span> })}
                                    <p class="fine-print">{format!("{} · {}{}", c.service_name, dom::local_datetime(c.last_message_at), if c.status.as_str() == "closed" { " · close" } else { "" })}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn NewConversation(services: Vec<ServiceSummary>, chosen: Option<ServiceCode>) -> impl IntoView {
    let session = use_family_session();
    let navigate = use_navigate();
    let options: Vec<(String, String)> = services
        .iter()
        .filter(|s| s.accepts_messages)
        .map(|s| (s.code.as_str().to_owned(), s.name.clone()))
        .collect();
    if options.is_empty() {
        return view! { <p>"Les services ne reçoivent pas de messages par le portail : appelez-les."</p> }.into_any();
    }
    let first = chosen
        .map(|c| c.as_str().to_owned())
        .filter(|c| options.iter().any(|o| &o.0 == c))
        .or_else(|| options.first().map(|o| o.0.clone()))
        .unwrap_or_default();
    let service = RwSignal::new(first);
    let (subject, body) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<api::ApiError>);
    let busy = RwSignal::new(false);
    let send = move || {
        failure.set(None);
        let Some(code) = ServiceCode::parse(&service.get_untracked()) else {
            return;
        };
        let request = NewConversationRequest {
            service: code,
            subject: subject.get_untracked(),
            body: body.get_untracked(),
        };
        if let Err(e) = request.validate() {
            errors.set(e);
            dom::focus_first_invalid();
            return;
        }
        errors.set(FieldErrors::default());
        let navigate = navigate.clone();
        crate::task::spawn_busy(busy, async move {
            match session
                .post::<_, ConversationResponse>("/api/v1/conversations", &request)
                .await
            {
                Ok(c) => navigate(
                    &format!("/mes-messages/{}", c.conversation.id),
                    Default::default(),
                ),
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    view! {
        <section class="section card" aria-labelledby="ecrire">
            <h2 id="ecrire">"Écrire à un service"</h2>
            <form class="stack" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
                <SelectField id="service" label="Service" options=options value=service />
                <TextField id="objet" label="Objet" value=subject error=error("subject") required=true />
                <TextArea id="message" label="Message" value=body error=error("body") required=true
                    hint="Vous pourrez joindre un fichier dans la conversation." />
                {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
                <div class="btn-row"><Button submit=true busy=busy>"Envoyer le message"</Button></div>
            </form>
        </section>
    }
    .into_any()
}

/// `/mes-messages/:id`: one conversation, read (which marks the service's answers read).
#[component]
pub fn MyConversation() -> impl IntoView {
    let session = use_family_session();
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|raw| Uuid::parse_str(&raw).ok())
    };
    let current = RwSignal::new(None::<ConversationResponse>);
    let loaded = LocalResource::new(move || {
        let id = id();
        async move {
            session
                .get::<ConversationResponse>(&format!(
                    "/api/v1/conversations/{}",
                    id.unwrap_or_default()
                ))
                .await
        }
    });
    view! {
        <Title text="Conversation — Portail Famille" />
        <p><a href="/mes-messages">"← Mes messages"</a></p>
        <h1>"Mes messages"</h1>
        <Loaded resource=loaded render=move |c| {
            let shown = move || current.get().unwrap_or_else(|| c.clone());
            view! {
                {move || {
                    let c = shown();
                    let base = format!("/api/v1/conversations/{}", c.conversation.id);
                    view! { <Thread conversation=c base=base session=session family_side=true on_change=Callback::new(move |c| current.set(Some(c))) /> }
                }}
            }.into_any()
        } />
    }
}
