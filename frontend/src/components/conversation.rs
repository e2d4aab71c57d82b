//! One conversation with a service, as the family and the service's staff both see it: the
//! messages, oldest first (one's own on the right), each file to download, and the answer
//! form (a message, and a file if needed). `base` is the conversation's API path
//! (`/api/v1/conversations/{id}` or `/api/v1/staff/conversations/{id}`).

use leptos::html::Input;
use leptos::prelude::*;
use portail_domain::api::{ConversationResponse, ConversationStatus, MessageItem, MessageRequest};
use portail_domain::parse::FieldErrors;

use crate::api::{self, Session};
use crate::components::{Button, ErrorAlert, TextArea};
use crate::dom;

#[component]
pub fn Thread(
    conversation: ConversationResponse,
    #[prop(into)] base: String,
    session: Session,
    /// The family's screen (its own messages are the family's) or the staff's.
    family_side: bool,
    /// Called with the conversation as the server answers after a message.
    on_change: Callback<ConversationResponse>,
) -> impl IntoView {
    let c = conversation.conversation;
    let closed = c.status == ConversationStatus::Closed;
    let messages = conversation
        .messages
        .into_iter()
        .map(|m| {
            let mine = m.from_family == family_side;
            view! { <Message item=m mine=mine base=base.clone() session=session /> }
        })
        .collect_view();
    view! {
        <section class="stack" aria-labelledby="conversation-objet">
            <h2 id="conversation-objet">{c.subject.clone()}</h2>
            <p class="fine-print">
                {c.service_name.clone()}
                {c.family_name.clone().map(|f| format!(" · {f}"))}
                {closed.then(|| view! { " · " <span class="badge">"Close"</span> })}
            </p>
            <ol class="thread list-plain" aria-label="Messages">{messages}</ol>
            {closed.then(|| view! { <p class="fine-print">"Cette conversation est close. Un nouveau message la rouvre."</p> })}
            <Reply base=base session=session on_change=on_change />
        </section>
    }
}

#[component]
fn Message(item: MessageItem, mine: bool, base: String, session: Session) -> impl IntoView {
    let failure = RwSignal::new(None::<api::ApiError>);
    let class = if mine {
        "thread__message thread__message--mine"
    } else {
        "thread__message"
    };
    let by = item
        .written_for_family_by
        .as_ref()
        .map(|agent| format!(" (écrit à l'accueil par {agent})"));
    let file = item.attachment.map(|a| {
        let path = format!("{base}/messages/{}/attachment", item.id);
        let filename = a.filename.clone();
        view! {
            <p>
                <button type="button" class="btn btn--secondary btn--small" on:click=move |_| {
                    failure.set(None);
                    let (path, filename) = (path.clone(), filename.clone());
                    leptos::task::spawn_local(async move {
                        match session.blob_url(&path).await {
                            Ok(url) => dom::save_as(&url, &filename),
                            Err(e) => failure.set(Some(e)),
                        }
                    });
                }>{format!("Télécharger «\u{a0}{}\u{a0}»", a.filename)}</button>
            </p>
        }
    });
    view! {
        <li class=class>
            <p class="fine-print"><strong>{item.author}</strong>{by}" · "{dom::local_datetime(item.sent_at)}</p>
            {(!item.body.is_empty()).then(|| view! { <p class="thread__body">{item.body}</p> })}
            {file}
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
        </li>
    }
}

#[component]
fn Reply(
    base: String,
    session: Session,
    on_change: Callback<ConversationResponse>,
) -> impl IntoView {
    let body = RwSignal::new(String::new());
    let file_input = NodeRef::<Input>::new();
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<api::ApiError>);
    let busy = RwSignal::new(false);
    let send = move || {
        failure.set(None);
        let file = file_input
            .get()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let text = body.get_untracked();
        // A file may come alone; a message without one needs words.
        if file.is_none()
            && let Err(e) = (MessageRequest { body: text.clone() }).validate()
        {
            errors.set(e);
            dom::focus_first_invalid();
            return;
        }
        errors.set(FieldErrors::default());
        let base = base.clone();
        crate::task::spawn_busy(busy, async move {
            let answer = match &file {
                Some(file) => {
                    let url = format!(
                        "{base}/attachments?filename={}&body={}",
                        js_sys::encode_uri_component(&file.name()),
                        js_sys::encode_uri_component(&text)
                    );
                    session
                        .send_raw::<ConversationResponse>(
                            gloo_net::http::Method::POST,
                            &url,
                            file.as_ref(),
                        )
                        .await
                }
                None => {
                    session
                        .post::<_, ConversationResponse>(
                            &format!("{base}/messages"),
                            &MessageRequest { body: text },
                        )
                        .await
                }
            };
            match answer {
                Ok(c) => {
                    body.set(String::new());
                    if let Some(input) = file_input.get_untracked() {
                        input.set_value("");
                    }
                    on_change.run(c);
                }
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let error = Signal::derive(move || errors.with(|e| e.message_for("body")));
    let file_error = Signal::derive(move || {
        errors.with(|e| e.message_for("file").or_else(|| e.message_for("filename")))
    });
    view! {
        <form class="stack card" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <TextArea id="reponse" label="Votre message" value=body error=error />
            <div class="field" class:field--invalid=move || file_error.get().is_some()>
                <label class="field__label" for="piece-jointe">"Joindre un fichier (facultatif)"</label>
                <span class="field__hint" id="piece-jointe-hint">"PDF, JPEG ou PNG, 10 Mo au plus."</span>
                <input class="field__input" type="file" id="piece-jointe" accept="application/pdf,image/jpeg,image/png"
                    aria-describedby="piece-jointe-hint" aria-invalid=move || file_error.get().is_some().then_some("true") node_ref=file_input />
                {move || file_error.get().map(|m| view! { <span class="field__error">{m}</span> })}
            </div>
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
            <div class="btn-row"><Button submit=true busy=busy>"Envoyer"</Button></div>
        </form>
    }
}
