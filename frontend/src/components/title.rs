use leptos::prelude::*;

/// The document's title while this page is shown (« Mes enfants — Portail Famille »), so the
/// browser tab, the history and a screen reader name the page. Kept in the app rather than
/// taken from `leptos_meta`: a client-rendered page only needs `document.title`, and the
/// parents' bundle is smaller without it (docs/performance.md).
#[component]
pub fn Title(#[prop(into)] text: Signal<String>) -> impl IntoView {
    Effect::new(move |_| {
        let title = text.get();
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&title);
        }
    });
}
