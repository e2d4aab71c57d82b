use leptos::prelude::*;
use portail_domain::api::HealthStatus as Status;

use crate::api;

/// « Service opérationnel » or not, from `GET /api/v1/health`.
#[component]
pub fn HealthStatus() -> impl IntoView {
    let health = LocalResource::new(api::get_health);
    view! {
        <span class="status" data-testid="health">
            <Transition fallback=|| view! { <span class="status__dot"></span> "Vérification du service…" }>
                {move || health.get().map(|result| match result {
                    Ok(health) if health.status == Status::Ok => view! {
                        <span class="status status--ok"><span class="status__dot"></span> "Service opérationnel"</span>
                    }.into_any(),
                    _ => view! {
                        <span class="status status--down"><span class="status__dot"></span> "Service momentanément indisponible"</span>
                    }.into_any(),
                })}
            </Transition>
        </span>
    }
}
