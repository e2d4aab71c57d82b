//! « Messages des familles » (issue 24, point 2): the inboxes of the services given to the
//! staff member (every one for an administrator) with their unread and open counts, a
//! service's conversations, and one conversation to answer, close or open again.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use portail_domain::api::{
    ConversationList, ConversationResponse, ConversationStatus, ConversationStatusRequest,
    InboxCounts,
};
use portail_domain::format::count;
use uuid::Uuid;

use crate::api::use_staff_session;
use crate::components::{Button, ButtonVariant, ErrorAlert, Loaded, Thread, Title};
use crate::dom;

#[component]
pub fn StaffInbox() -> impl IntoView {
    let session = use_staff_session();
    let query = use_query_map();
    let service = move || query.with(|q| q.get("service")).unwrap_or_default();
    let closed = move || {
        query
            .with(|q| q.get("statut"))
            .is_some_and(|s| s == "closes")
    };
    let counts = LocalResource::new(move || async move {
        session
            .get::<InboxCounts>("/api/v1/staff/conversations/counts")
            .await
    });
    let list = LocalResource::new(move || {
        let (service, closed) = (service(), closed());
        async move {
            let mut path = format!(
                "/api/v1/staff/conversations?status={}",
                if closed { "closed" } else { "open" }
            );
            if !service.is_empty() {
                path.push_str(&format!("&service={service}"));
            }
            session.get::<ConversationList>(&path).await
        }
    });
    view! {
        <Title text="Messages des familles — Espace du personnel" />
        <h1>"Messages des familles"</h1>
        <Loaded resource=counts render=move |c| view! {
            <nav aria-label="Boîtes de réception">
                <ul class="list-plain btn-row">
                    <li><a href="/admin/messages">"Tous mes services"</a></li>
                    {c.items.into_iter().map(|i| {
                        let href = format!("/admin/messages?service={}", i.service.as_str());
                        let label = format!("{} ({}, {})", i.service_name, count(i.unread, "non lue", "non lues"), count(i.open, "ouverte", "ouvertes"));
                        view! { <li><a href=href>{label}</a></li> }
                    }).collect_view()}
                </ul>
            </nav>
        }.into_any() />
        <p>
            {move || if closed() {
                view! { <a href=format!("/admin/messages?service={}", service())>"Voir les conversations ouvertes"</a> }.into_any()
            } else {
                view! { <a href=format!("/admin/messages?service={}&statut=closes", service())>"Voir les conversations closes"</a> }.into_any()
            }}
        </p>
        <Loaded resource=list render=move |l| view! { <InboxList list=l /> }.into_any() />
    }
}

#[component]
fn InboxList(list: ConversationList) -> impl IntoView {
    if list.items.is_empty() {
        return view! { <p class="muted">"Aucune conversation ici."</p> }.into_any();
    }
    view! {
        <ul class="list-plain stack" aria-label="Conversations">
            {list.items.into_iter().map(|c| {
                let href = format!("/admin/messages/{}", c.id);
                view! {
                    <li class="card">
                        <a href=href><strong>{c.subject}</strong></a>
                        {c.unread.then(|| view! { " " <span class="badge badge--ok">"Non lu"</span> })}
                        <p class="fine-print">{format!("{} · {} · {}", c.family_name.unwrap_or_default(), c.service_name, dom::local_datetime(c.last_message_at))}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// `/admin/messages/:id`: the conversation (reading it marks the family's messages read),
/// the answer form, « Clore » or « Rouvrir », and the family's file.
#[component]
pub fn StaffConversation() -> impl IntoView {
    let session = use_staff_session();
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|raw| Uuid::parse_str(&raw).ok())
            .unwrap_or_default()
    };
    let current = RwSignal::new(None::<ConversationResponse>);
    let loaded = LocalResource::new(move || {
        let id = id();
        async move {
            session
                .get::<ConversationResponse>(&format!("/api/v1/staff/conversations/{id}"))
                .await
        }
    });
    let failure = RwSignal::new(None::<crate::api::ApiError>);
    let busy = RwSignal::new(false);
    view! {
        <Title text="Conversation — Espace du personnel" />
        <p><a href="/admin/messages">"← Messages des familles"</a></p>
        <h1>"Messages des familles"</h1>
        <Loaded resource=loaded render=move |c| {
            let shown = move || current.get().unwrap_or_else(|| c.clone());
            view! {
                {move || {
                    let c = shown();
                    let id = c.conversation.id;
                    let family = format!("/admin/familles/{}", c.conversation.family_id);
                    let open = c.conversation.status == ConversationStatus::Open;
                    let toggle = move |_| {
                        failure.set(None);
                        let status = if open { ConversationStatus::Closed } else { ConversationStatus::Open };
                        crate::task::spawn_busy(busy, async move {
                            match session
                                .call::<_, ConversationResponse>(
                                    gloo_net::http::Method::PUT,
                                    &format!("/api/v1/staff/conversations/{id}/status"),
                                    Some(&ConversationStatusRequest { status }),
                                )
                                .await
                            {
                                Ok(c) => current.set(Some(c)),
                                Err(e) => failure.set(Some(e)),
                            }
                        });
                    };
                    view! {
                        <p class="btn-row">
                            <a href=family>"Dossier de la famille"</a>
                            <Button variant=ButtonVariant::Secondary busy=busy on_click=Callback::new(toggle)>
                                {if open { "Clore la conversation" } else { "Rouvrir la conversation" }}
                            </Button>
                        </p>
                        {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
                        <Thread conversation=c base=format!("/api/v1/staff/conversations/{id}") session=session family_side=false
                            on_change=Callback::new(move |c| current.set(Some(c))) />
                    }
                }}
            }.into_any()
        } />
    }
}
