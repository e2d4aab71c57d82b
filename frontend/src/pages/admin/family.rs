//! `/admin/familles/:id`: a family's whole file, its documents, and the decisions.

use crate::components::Title;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use portail_domain::api::{
    ChildResponse, DocumentDecision, DocumentResponse, DossierStatus, FamilyDetailResponse,
    Household,
};
use portail_domain::dossier::DocumentStatus;
use uuid::Uuid;

use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Button, ButtonVariant, Loaded, TextArea, TextField};
use crate::dom;

#[component]
pub fn StaffFamily() -> impl IntoView {
    view! {
        <Title text="Dossier d'une famille — Espace du personnel" />
        <FamilyLoader />
    }
}

#[component]
fn FamilyLoader() -> impl IntoView {
    let session = use_staff_session();
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|raw| Uuid::parse_str(&raw).ok())
    };
    let version = RwSignal::new(0_u32);
    let family = LocalResource::new(move || {
        version.track();
        let id = id();
        async move {
            match id {
                Some(id) => api::get_family(session, id).await.map(|f| (id, f)),
                None => Err(api::ApiError::Problem(portail_domain::api::Problem::new(
                    404,
                    portail_domain::ErrorCode::NotFound,
                    portail_domain::ErrorCode::NotFound.message_fr(),
                ))),
            }
        }
    });
    // Kept outside the Transition: the file reloads after each decision, the message stays.
    let outcome = RwSignal::new(None::<String>);
    view! {
        <p><a href="/admin/familles">"← Dossiers des familles"</a></p>
        <div role="status">{move || outcome.get().map(|m| view! { <Alert kind=AlertKind::Success><p>{m}</p></Alert> })}</div>
        <Loaded resource=family render=move |(id, family)| view! { <FamilyFile id=id family=family version=version outcome=outcome /> }.into_any() />
    }
}

fn row(label: &'static str, value: String) -> impl IntoView {
    let value = if value.trim().is_empty() {
        "—".to_owned()
    } else {
        value
    };
    view! { <dt>{label}</dt><dd>{value}</dd> }
}

fn yes_no(value: Option<bool>) -> String {
    match value {
        Some(true) => "Oui".to_owned(),
        Some(false) => "Non".to_owned(),
        None => "Non renseigné".to_owned(),
    }
}

#[component]
fn FamilyFile(
    id: Uuid,
    family: FamilyDetailResponse,
    version: RwSignal<u32>,
    outcome: RwSignal<Option<String>>,
) -> impl IntoView {
    let a = &family.account;
    let name = format!("{} {}", a.last_name, a.first_name);
    let status = a.dossier_status;
    let children = family.children.clone();
    // Documents nobody has decided yet, named as in the list below.
    let pending: Vec<String> = family
        .documents
        .iter()
        .filter(|d| d.status == DocumentStatus::Pending)
        .map(|d| {
            format!(
                "{} — {}",
                d.document_type.label_fr(),
                owner_of(d, &children)
            )
        })
        .collect();
    let info_request = family.info_request_message.clone();
    view! {
        <h1>{name}</h1>
        <p><span class="badge" data-testid="family-status">{status.label_fr()}</span></p>
        <ActFor id=id />
        {a.email.is_empty().then(|| view! { <AddEmail id=id version=version /> })}
        {family.deletion_requested_at.map(|d| view! {
            <Alert kind=AlertKind::Warning><p>{format!("La famille a demandé la suppression de son compte le {}.", dom::local_date(d))}</p></Alert>
            <Erasure id=id />
        })}
        <Decisions id=id status=status missing=family.missing.iter().map(|m| m.label.clone()).collect() pending=pending info_request=info_request version=version outcome=outcome />
        <div class="grid-2 section">
            <section class="card" aria-labelledby="titulaire">
                <h2 id="titulaire">"Titulaire du compte"</h2>
                <dl class="definition-list">
                    {row("Nom", format!("{} {} {}", a.civility.label_fr(), a.first_name, a.last_name))}
                    {row("Adresse e-mail", a.email.clone())}
                    {row("Adresse", format!("{} {} {} {}", a.address_line1, a.address_line2.clone().unwrap_or_default(), a.postal_code, a.city))}
                    {row("Téléphones", [a.mobile_phone.clone(), a.home_phone.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · "))}
                    {row("Profession", a.profession.clone().unwrap_or_default())}
                </dl>
            </section>
            <HouseholdView household=family.household.clone() />
        </div>
        <section class="section" aria-labelledby="enfants">
            <h2 id="enfants">"Enfants"</h2>
            <div class="grid-2">{family.children.into_iter().map(|c| view! { <ChildView child=c /> }).collect_view()}</div>
        </section>
        <super::staff_booking::StaffBooking family_id=id children=children.clone() />
        <super::billing_settings::HouseholdResources family_id=id />
        <section class="section" aria-labelledby="pieces">
            <h2 id="pieces">"Documents"</h2>
            <ul class="list-plain">
                {family.documents.into_iter().map(|d| {
                    let owner = owner_of(&d, &children);
                    view! { <DocumentReview document=d owner=owner version=version /> }
                }).collect_view()}
            </ul>
        </section>
        <section class="section card" aria-labelledby="historique">
            <h2 id="historique">"Historique"</h2>
            <ul class="history">
                {family.history.into_iter().map(|e| view! {
                    <li>
                        <strong>{e.kind.label_fr()}</strong>
                        <span class="item__meta">{format!("{} · {}", dom::local_datetime(e.at), match e.actor.as_str() { "staff" => "la mairie", "family" => "la famille", _ => "automatique" })}</span>
                        {e.message.map(|m| view! { <span class="item__meta">{m}</span> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn HouseholdView(household: Household) -> impl IntoView {
    let h = household;
    view! {
        <section class="card" aria-labelledby="foyer">
            <h2 id="foyer">"Foyer"</h2>
            <dl class="definition-list">
                {row("Situation", h.family_situation.map(|s| s.label_fr().to_owned()).unwrap_or_default())}
                {row("Enfants à charge", h.dependent_children.map(|n| n.to_string()).unwrap_or_default())}
                {row("Régime", format!("{} {}", h.allocation_regime.map(|r| r.label_fr()).unwrap_or_default(), h.beneficiary_number))}
                {row("Quotient familial", h.family_quotient.map(|q| match h.family_quotient_year { Some(y) => format!("{q} € (attestation {y})"), None => format!("{q} €") }).unwrap_or_default())}
                {row("Assurance", format!("{} {}", h.insurance_company, h.insurance_policy_number))}
                {row("Factures", h.invoice_payer.map(|p| p.label_fr().to_owned()).unwrap_or_default())}
                {row("Second responsable", h.second_guardian.map(|s| format!("{} {} {}", s.first_name, s.last_name, s.mobile_phone)).unwrap_or_default())}
            </dl>
            <h3 class="mt">"Personnes à prévenir ou autorisées"</h3>
            <ul>
                {h.contacts.into_iter().map(|c| view! {
                    <li>{format!("{} {} ({}) — {}{}{}", c.first_name, c.last_name, c.relationship, c.phone,
                        if c.emergency_contact { " · à prévenir" } else { "" },
                        if c.can_pick_up { " · peut venir chercher" } else { "" })}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn ChildView(child: ChildResponse) -> impl IntoView {
    let d = child.details;
    view! {
        <article class="card" aria-label=format!("Enfant : {}", d.first_name)>
            <h3>{format!("{} {}", d.first_name, d.last_name)}</h3>
            <dl class="definition-list">
                {row("Naissance", d.birth_date.map(|b| b.format("%d/%m/%Y").to_string()).unwrap_or_default())}
                {row("Sexe", d.sex.map(|s| s.label_fr().to_owned()).unwrap_or_default())}
                {row("École", format!("{} {}", d.school, d.class_level))}
                {row("Régime", d.diet.map(|x| x.label_fr().to_owned()).unwrap_or_default())}
                {(!child.medical_redacted).then(|| view! {
                    {row("Allergies", d.allergies.clone())}
                    {row("PAI", yes_no(d.has_pai))}
                    {row("Vaccins à jour", yes_no(d.vaccinations_up_to_date))}
                    {row("Médecin", format!("{} {}", d.doctor_name, d.doctor_phone))}
                })}
                {row("Photos", yes_no(d.photo_consent))}
                {row("Soins d'urgence", yes_no(d.emergency_care_consent))}
                {row("Part seul", yes_no(d.may_leave_alone))}
                {row("Sorties", yes_no(d.outings_consent))}
            </dl>
            {child.medical_redacted.then(|| view! { <p class="fine-print">"Informations médicales réservées aux services qui accueillent l'enfant."</p> })}
        </article>
    }
}

/// Whom a document concerns: the child's first name, or « Famille ».
fn owner_of(document: &DocumentResponse, children: &[ChildResponse]) -> String {
    document
        .child_id
        .and_then(|id| children.iter().find(|c| c.id == id))
        .map_or_else(|| "Famille".to_owned(), |c| c.details.first_name.clone())
}

#[component]
fn DocumentReview(
    document: DocumentResponse,
    owner: String,
    version: RwSignal<u32>,
) -> impl IntoView {
    let session = use_staff_session();
    let id = document.id;
    let reason = RwSignal::new(String::new());
    let reason_error = RwSignal::new(None::<String>);
    let preview = RwSignal::new(None::<String>);
    let is_image = document.content_type.starts_with("image/");
    let filename = document.filename.clone();
    let show = move |_| {
        let filename = filename.clone();
        leptos::task::spawn_local(async move {
            if let Ok(url) =
                api::document_blob_url(session, &format!("/api/v1/staff/documents/{id}/content"))
                    .await
            {
                if is_image {
                    preview.set(Some(url))
                } else {
                    dom::save_as(&url, &filename)
                }
            }
        });
    };
    let decide = move |decision: DocumentDecision| {
        let text = reason.get_untracked();
        if decision == DocumentDecision::Refuse && text.trim().is_empty() {
            reason_error.set(Some(
                "Indiquez le motif du refus : il est montré à la famille.".to_owned(),
            ));
            dom::focus_first_invalid();
            return;
        }
        leptos::task::spawn_local(async move {
            let reason = (decision == DocumentDecision::Refuse).then_some(text);
            match api::review_document(session, id, decision, reason).await {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => reason_error.set(Some(e.message())),
            }
        });
    };
    let badge = match document.status {
        DocumentStatus::Accepted => "badge badge--ok",
        DocumentStatus::Refused => "badge badge--error",
        DocumentStatus::Pending => "badge badge--info",
    };
    let label = format!("{} — {}", document.document_type.label_fr(), owner);
    let pending = document.status == DocumentStatus::Pending;
    view! {
        <li class="item">
            <div class="item__main">
                <span class="item__title">{label.clone()}</span>
                <span class="item__meta">{format!("{} · {} Ko", document.filename, document.size_bytes.div_ceil(1024))}</span>
                <span class=badge>{document.status.label_fr()}</span>
                {document.refusal_reason.map(|r| view! { <span class="item__meta">{format!("Motif : {r}")}</span> })}
                {move || preview.get().map(|url| view! { <img class="preview" src=url alt=format!("Aperçu : {}", label) /> })}
                // A decided document keeps its decision: the family sends a new one if needed.
                {pending.then(|| view! { <TextField id=format!("reason-{id}") label="Motif en cas de refus" value=reason error=reason_error /> })}
            </div>
            <div class="btn-row">
                <button type="button" class="btn btn--secondary btn--small" on:click=show>{if is_image { "Aperçu" } else { "Télécharger" }}</button>
                {pending.then(|| view! {
                    <button type="button" class="btn btn--primary btn--small" on:click=move |_| decide(DocumentDecision::Accept)>"Accepter"</button>
                    <button type="button" class="btn btn--danger btn--small" on:click=move |_| decide(DocumentDecision::Refuse)>"Refuser"</button>
                })}
            </div>
        </li>
    }
}

#[component]
fn Decisions(
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
                <p><Button on:click=validate>"Valider le dossier"</Button></p>
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
fn AddEmail(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
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
fn Erasure(id: Uuid) -> impl IntoView {
    let session = use_staff_session();
    let preview = LocalResource::new(move || api::erasure_preview(session, id));
    let asking = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let erase = Callback::new(move |()| {
        leptos::task::spawn_local(async move {
            outcome.set(Some(
                api::erase_family(session, id)
                    .await
                    .map(|done| done.message)
                    .map_err(|e| e.message()),
            ));
        });
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
            <div role="status">
                {move || outcome.get().map(|result| match result {
                    Ok(message) => view! { <Alert kind=AlertKind::Success><p>{message}</p></Alert> }.into_any(),
                    Err(message) => view! { <Alert kind=AlertKind::Error><p>{message}</p></Alert> }.into_any(),
                })}
            </div>
        </section>
    }
}
