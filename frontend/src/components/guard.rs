use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::Session;

/// Shows its children only to a logged-in account of the session's realm; anyone else is sent
/// to `login_path`. The session is restored from its cookie on first use.
#[component]
pub fn RequireSession(
    session: Session,
    #[prop(into)] login_path: String,
    children: ChildrenFn,
) -> impl IntoView {
    let restored = LocalResource::new(move || async move { session.restore().await });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if restored.get() == Some(false)
            || session.state.get() == crate::api::SessionState::Anonymous
        {
            navigate(&login_path, Default::default());
        }
    });
    view! {
        <Transition fallback=|| view! { <p aria-live="polite">"Chargement…"</p> }>
            {move || restored.get().map(|ok| ok.then(|| children()))}
        </Transition>
    }
}
