//! The read-only sections of a family's file for staff: household, children, documents to review.

use leptos::prelude::*;
use portail_domain::api::{ChildResponse, DocumentDecision, DocumentResponse, Household};
use portail_domain::dossier::DocumentStatus;

use crate::api::{self, use_staff_session};
use crate::components::TextField;
use crate::dom;

use super::*;

#[component]
pub(super) fn HouseholdView(household: Household) -> impl IntoView {
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
pub(super) fn ChildView(child: ChildResponse) -> impl IntoView {
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
pub(super) fn owner_of(document: &DocumentResponse, children: &[ChildResponse]) -> String {
    document
        .child_id
        .and_then(|id| children.iter().find(|c| c.id == id))
        .map_or_else(|| "Famille".to_owned(), |c| c.details.first_name.clone())
}

#[component]
pub(super) fn DocumentReview(
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
