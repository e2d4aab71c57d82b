use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ButtonVariant {
    #[default]
    Primary,
    Secondary,
    Accent,
}

impl ButtonVariant {
    pub fn class(self) -> &'static str {
        match self {
            Self::Primary => "btn btn--primary",
            Self::Secondary => "btn btn--secondary",
            Self::Accent => "btn btn--accent",
        }
    }
}

/// A button; `submit` makes it submit its form. While `busy`, it is disabled and says so.
///
/// Its action is `on_click`, never `on:click` on the component: a listener added to a
/// component from outside is not replaced when the view is drawn again in place with new data,
/// so the button kept running the first drawing's closure — with its disposed signals and stale
/// values (the first click on « Valider le dossier » after reviewing documents did nothing).
/// A test scans the web app for `on:` on a component (`frontend_rules.rs`).
#[component]
pub fn Button(
    #[prop(optional)] variant: ButtonVariant,
    #[prop(optional)] submit: bool,
    #[prop(optional, into)] busy: Signal<bool>,
    #[prop(optional, into)] on_click: Option<Callback<leptos::ev::MouseEvent>>,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            on:click=move |ev| {
                if let Some(action) = on_click {
                    action.run(ev);
                }
            }
            class=variant.class()
            type=if submit { "submit" } else { "button" }
            disabled=move || busy.get()
            aria-busy=move || busy.get().then_some("true")
        >
            {children()}
        </button>
    }
}
