//! `/admin/journal`: the audit log (administrators).

use crate::components::{Loaded, Title};
use leptos::prelude::*;

use crate::api::{self, use_staff_session};

#[component]
pub fn StaffAudit() -> impl IntoView {
    view! {
        <Title text="Journal d'audit — Espace du personnel" />
        <AuditContent />
    }
}

#[component]
fn AuditContent() -> impl IntoView {
    let session = use_staff_session();
    let events = LocalResource::new(move || api::list_audit_events(session));
    view! {
        <h1>"Journal d'audit"</h1>
        <p>"Chaque consultation d'un dossier ou d'une pièce, et chaque décision du personnel."</p>
        <Loaded resource=events render=move |list| view! {
                    <div class="table-wrap">
                        <table class="table">
                            <caption class="visually-hidden">"Événements"</caption>
                            <thead><tr><th scope="col">"Date"</th><th scope="col">"Qui"</th><th scope="col">"Quoi"</th><th scope="col">"Famille"</th></tr></thead>
                            <tbody>
                                {list.items.into_iter().map(|e| view! {
                                    <tr>
                                        <td>{crate::dom::local_datetime(e.at)}</td>
                                        <td>{e.staff_name}</td>
                                        <td>{e.summary}</td>
                                        <td>{e.family_id.map(|id| view! { <a href=format!("/admin/familles/{id}")>"Voir"</a> })}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any() />
    }
}
