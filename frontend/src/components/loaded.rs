use std::sync::Arc;

use leptos::prelude::*;

use super::ErrorAlert;
use crate::api::ApiError;

/// The one way a page shows what it loads: « Chargement… » the first time only — when the
/// resource loads again after a change, what is shown stays until the new answer replaces it
/// (a `Transition`, so a list never flashes) — then the answer drawn by `render`, or the
/// failure said by [`ErrorAlert`].
#[component]
pub fn Loaded<T, F>(
    resource: LocalResource<Result<T, ApiError>>,
    render: F,
    /// What is shown the first time, while nothing is known yet.
    #[prop(default = "Chargement…")]
    loading: &'static str,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> AnyView + Send + Sync + 'static,
{
    transition(
        Arc::new(move || {
            resource.get().map(|result| match result {
                Ok(value) => render(value),
                Err(error) => view! { <ErrorAlert error=error /> }.into_any(),
            })
        }),
        loading,
    )
}

/// The `Transition` itself, one copy for every type loaded (the parents' bundle has a budget).
fn transition(
    draw: Arc<dyn Fn() -> Option<AnyView> + Send + Sync>,
    loading: &'static str,
) -> AnyView {
    view! {
        <Transition fallback=move || view! { <p>{loading}</p> }>
            {move || draw()}
        </Transition>
    }
    .into_any()
}
