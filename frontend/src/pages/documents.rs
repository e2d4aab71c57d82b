//! « Mes documents »: what is still missing, sending a file, and the files sent.

use crate::components::Title;
use leptos::html::Input;
use leptos::prelude::*;
use portail_domain::api::{ChildResponse, DocumentResponse, DossierSection};
use portail_domain::dossier::{DocumentStatus, DocumentType};
use uuid::Uuid;

use crate::api::{self, use_family_session};
use crate::components::{Alert, AlertKind, Button, ConfirmDialog, Loaded, SelectField};
use crate::dom;

#[component]
pub fn MyDocuments() -> impl IntoView {
    view! {
        <Title text="Mes documents — Portail Famille" />
        <DocumentsContent />
    }
}

#[component]
fn DocumentsContent() -> impl IntoView {
    let session = use_family_session();
    let version = RwSignal::new(0_u32);
    let data = LocalResource::new(move || {
        version.track();
        async move {
            let documents = api::list_documents(session).await?;
            let children = api::list_children(session).await?;
            let dossier = api::get_dossier(session).await?;
            Ok::<_, api::ApiError>((documents.items, children.items, dossier.missing))
        }
    });
    // Kept outside the list's Transition: reloading the list after an upload must not forget it.
    let outcome = RwSignal::new(None::<Result<String, String>>);
    view! {
        <p><a href="/espace">"← Mon espace"</a></p>
        <h1>"Mes documents"</h1>
        <div role="status">
            {move || outcome.get().map(|result| match result {
                Ok(message) => view! { <Alert kind=AlertKind::Success><p>{message}</p></Alert> }.into_any(),
                Err(message) => view! { <Alert kind=AlertKind::Error><p>{message}</p></Alert> }.into_any(),
            })}
        </div>
        <Loaded resource=data render=move |(documents, children, missing)| {
                    let missing: Vec<String> = missing.into_iter().filter(|m| m.section == DossierSection::Documents).map(|m| m.label.trim_start_matches("Mes documents : ").to_owned()).collect();
                    view! {
                        {(!missing.is_empty()).then(|| view! {
                            <Alert kind=AlertKind::Warning title="Documents à fournir">
                                <ul>{missing.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                            </Alert>
                        })}
                        <Upload children=children.clone() version=version outcome=outcome />
                        <DocumentList documents=documents children=children version=version />
                    }.into_any()
                } />
    }
}

#[component]
fn Upload(
    children: Vec<ChildResponse>,
    version: RwSignal<u32>,
    outcome: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let session = use_family_session();
    let document_type = RwSignal::new(String::new());
    let owner = RwSignal::new("famille".to_owned());
    let file_input = NodeRef::<Input>::new();
    let busy = RwSignal::new(false);
    let type_error = RwSignal::new(None::<String>);
    let file_error = RwSignal::new(None::<String>);
    let types: Vec<(String, String)> = DocumentType::ALL
        .iter()
        .map(|t| (t.as_str().to_owned(), t.label_fr().to_owned()))
        .collect();
    let owners: Vec<(String, String)> =
        std::iter::once(("famille".to_owned(), "Toute la famille".to_owned()))
            .chain(
                children
                    .iter()
                    .map(|c| (c.id.to_string(), c.details.first_name.clone())),
            )
            .collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        type_error.set(None);
        file_error.set(None);
        outcome.set(None);
        let kind = DocumentType::parse(&document_type.get_untracked());
        let file = file_input
            .get()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if kind.is_none() {
            type_error.set(Some("Choisissez le type de document.".to_owned()));
        }
        if file.is_none() {
            file_error.set(Some(
                "Choisissez un fichier (PDF, JPEG ou PNG, 10 Mo au plus).".to_owned(),
            ));
        }
        let (Some(kind), Some(file)) = (kind, file) else {
            dom::focus_first_invalid();
            return;
        };
        let child_id = Uuid::parse_str(&owner.get_untracked()).ok();
        crate::task::spawn_busy(busy, async move {
            match api::upload_document(session, kind, child_id, &file).await {
                Ok(document) => {
                    outcome.set(Some(Ok(format!(
                        "«\u{a0}{}\u{a0}» est déposé : il sera vérifié par la mairie.",
                        document.filename
                    ))));
                    if let Some(input) = file_input.get_untracked() {
                        input.set_value("");
                    }
                    version.update(|v| *v += 1);
                }
                Err(error) => {
                    file_error.set(Some(error.message()));
                    dom::focus_first_invalid();
                }
            }
        });
    };
    let file_described = move || {
        file_error
            .get()
            .map(|_| "document-file-error hint-file".to_owned())
            .unwrap_or_else(|| "hint-file".to_owned())
    };
    view! {
        <section class="card" aria-labelledby="deposer">
            <h2 id="deposer">"Déposer un document"</h2>
            <form on:submit=submit novalidate>
                <SelectField id="document-type" label="Type de document" required=true options=types value=document_type error=type_error />
                <SelectField id="document-owner" label="Concerne" required=true options=owners value=owner />
                <div class="field" class:field--invalid=move || file_error.get().is_some()>
                    <label class="field__label" for="document-file">"Fichier" <span class="field__required" aria-hidden="true">"*"</span></label>
                    <span class="field__hint" id="hint-file">"PDF, JPEG ou PNG, 10 Mo au plus. Une photo nette du document suffit."</span>
                    <input class="field__input" type="file" id="document-file" accept="application/pdf,image/jpeg,image/png" aria-required="true"
                        aria-invalid=move || file_error.get().is_some().then_some("true") aria-describedby=file_described node_ref=file_input />
                    {move || file_error.get().map(|m| view! { <span class="field__error" id="document-file-error">{m}</span> })}
                </div>
                <Button submit=true busy=busy>"Déposer le document"</Button>
            </form>
        </section>
    }
}

#[component]
fn DocumentList(
    documents: Vec<DocumentResponse>,
    children: Vec<ChildResponse>,
    version: RwSignal<u32>,
) -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="deposes">
            <h2 id="deposes">"Documents déposés"</h2>
            {if documents.is_empty() {
                view! { <p>"Aucun document pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <ul class="list-plain">
                        {documents.into_iter().map(|d| {
                            let owner = d.child_id.and_then(|id| children.iter().find(|c| c.id == id)).map_or_else(|| "Famille".to_owned(), |c| c.details.first_name.clone());
                            view! { <DocumentItem document=d owner=owner version=version /> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn DocumentItem(
    document: DocumentResponse,
    owner: String,
    version: RwSignal<u32>,
) -> impl IntoView {
    let session = use_family_session();
    let id = document.id;
    let filename = document.filename.clone();
    let badge = match document.status {
        DocumentStatus::Accepted => "badge badge--ok",
        DocumentStatus::Refused => "badge badge--error",
        DocumentStatus::Pending => "badge badge--info",
    };
    let download = {
        let filename = filename.clone();
        move |_| {
            let filename = filename.clone();
            leptos::task::spawn_local(async move {
                if let Ok(url) =
                    api::document_blob_url(session, &format!("/api/v1/documents/{id}/content"))
                        .await
                {
                    dom::save_as(&url, &filename);
                }
            });
        }
    };
    let asking = RwSignal::new(false);
    let remove = move |()| {
        leptos::task::spawn_local(async move {
            if api::delete_document(session, id).await.is_ok() {
                version.update(|v| *v += 1);
            }
        });
    };
    let removable = document.status != DocumentStatus::Accepted;
    view! {
        <li class="item">
            <div class="item__main">
                <span class="item__title">{document.document_type.label_fr()} " — " {owner}</span>
                <span class="item__meta">{format!("{} · déposé le {}", filename, dom::local_date(document.uploaded_at))}</span>
                <span class=badge>{document.status.label_fr()}</span>
                {document.refusal_reason.map(|r| view! { <span class="item__meta">{format!("Motif du refus : {r}")}</span> })}
            </div>
            <div class="btn-row">
                <button type="button" class="btn btn--secondary btn--small" on:click=download>"Télécharger" <span class="visually-hidden">{format!(" {}", document.filename)}</span></button>
                {removable.then(|| view! { <button type="button" class="btn btn--danger btn--small" on:click=move |_| asking.set(true)>"Retirer" <span class="visually-hidden">{format!(" {}", document.filename)}</span></button> })}
            </div>
            {removable.then(|| view! {
                <ConfirmDialog id=format!("retirer-{id}") open=asking title=format!("Retirer «\u{a0}{}\u{a0}» ?", document.filename) confirm_label="Retirer le document" on_confirm=Callback::new(remove)>
                    <p>"Le document sera supprimé de votre dossier ; vous pourrez en déposer un autre."</p>
                </ConfirmDialog>
            })}
        </li>
    }
}
