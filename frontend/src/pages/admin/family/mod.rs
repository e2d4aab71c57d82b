//! `/admin/familles/:id`: a family's whole file, its documents, and the decisions.

use crate::components::Title;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use portail_domain::api::FamilyDetailResponse;
use portail_domain::dossier::DocumentStatus;
use uuid::Uuid;

use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Loaded};
use crate::dom;

mod actions;
mod billing;
mod sections;

pub use actions::ActFor;
use actions::*;
use sections::*;

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
        <billing::FamilyBilling family_id=id />
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
