use leptos::prelude::*;

/// A dashboard tile: a link with a title, a line of text and an optional announcement.
#[component]
pub fn Tile(
    #[prop(into)] href: String,
    #[prop(into)] title: String,
    #[prop(into)] text: Signal<String>,
    #[prop(optional)] accent: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <a class="tile" class:tile--accent=accent href=href>
            <span class="tile__title">{title}</span>
            <span class="tile__text">{text}</span>
            {children.map(|children| children())}
        </a>
    }
}
