//! `/admin/familles`: the work queue, the other statuses, and search.

use crate::components::Title;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use portail_domain::api::{DossierStatus, FamilyListResponse};

use crate::api::{self, use_staff_session};
use crate::components::{Button, Loaded, TextField};

const TABS: [(Option<DossierStatus>, &str); 6] = [
    (Some(DossierStatus::Submitted), "À traiter"),
    (Some(DossierStatus::InfoRequested), "Complément demandé"),
    (Some(DossierStatus::ToReverify), "À vérifier"),
    (Some(DossierStatus::Validated), "Validés"),
    (Some(DossierStatus::Incomplete), "Incomplets"),
    (None, "Tous"),
];

#[component]
pub fn StaffFamilies() -> impl IntoView {
    view! {
        <Title text="Dossiers des familles — Espace du personnel" />
        <FamiliesContent />
    }
}

fn count(list: &FamilyListResponse, status: Option<DossierStatus>) -> u64 {
    let c = &list.counts;
    match status {
        Some(DossierStatus::Submitted) => c.submitted,
        Some(DossierStatus::InfoRequested) => c.info_requested,
        Some(DossierStatus::ToReverify) => c.to_reverify,
        Some(DossierStatus::Validated) => c.validated,
        Some(DossierStatus::Incomplete) => c.incomplete,
        None => c.submitted + c.info_requested + c.to_reverify + c.validated + c.incomplete,
    }
}

#[component]
fn FamiliesContent() -> impl IntoView {
    let session = use_staff_session();
    let query = use_query_map();
    let status = move || match query.with(|q| q.get("statut")) {
        Some(s) if s == "tous" => None,
        Some(s) => DossierStatus::parse(&s),
        None => Some(DossierStatus::Submitted),
    };
    let q = move || query.with(|q| q.get("q")).unwrap_or_default();
    let search = RwSignal::new(q());
    let list = LocalResource::new(move || {
        let (status, q) = (status(), q());
        async move { api::list_families(session, status, &q).await }
    });
    let navigate = leptos_router::hooks::use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let term = js_sys::encode_uri_component(search.get_untracked().trim());
        navigate(
            &format!("/admin/familles?statut=tous&q={term}"),
            Default::default(),
        );
    };
    view! {
        <h1>"Dossiers des familles"</h1>
        <p><a href="/admin/familles/nouvelle">"Créer le compte d'une famille en mairie (aide aux démarches)"</a></p>
        <form class="card" on:submit=submit role="search">
            <TextField id="family-search" label="Rechercher une famille" hint="Nom, prénom d'un enfant ou adresse e-mail." value=search />
            <Button submit=true>"Rechercher"</Button>
        </form>
        <Loaded resource=list render=move |list| {
                    let current = status();
                    view! {
                        <nav aria-label="Statut des dossiers" class="section">
                            <ul class="tabs">
                                {TABS.iter().map(|(tab, label)| {
                                    let href = format!("/admin/familles?statut={}", tab.map_or("tous", |s| s.as_str()));
                                    let here = *tab == current;
                                    view! { <li><a href=href aria-current=here.then_some("page")>{format!("{label} ({})", count(&list, *tab))}</a></li> }
                                }).collect_view()}
                            </ul>
                        </nav>
                        {if list.items.is_empty() {
                            view! { <p>"Aucun dossier ici."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="table">
                                        <caption class="visually-hidden">"Familles"</caption>
                                        <thead><tr><th scope="col">"Titulaire"</th><th scope="col">"Enfants"</th><th scope="col">"Statut"</th><th scope="col">"Envoyé le"</th></tr></thead>
                                        <tbody>
                                            {list.items.into_iter().map(|f| view! {
                                                <tr>
                                                    <td><a href=format!("/admin/familles/{}", f.family_id)>{f.holder_name}</a><br /><span class="item__meta">{f.email}</span></td>
                                                    <td>{f.children.join(", ")}</td>
                                                    <td>{f.status.label_fr()}</td>
                                                    <td>{f.submitted_at.map(crate::dom::local_date).unwrap_or_default()}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    }.into_any()
                } />
    }
}
