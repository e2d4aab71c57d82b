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
#[component]
pub fn Button(
    #[prop(optional)] variant: ButtonVariant,
    #[prop(optional)] submit: bool,
    #[prop(optional, into)] busy: Signal<bool>,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            class=variant.class()
            type=if submit { "submit" } else { "button" }
            disabled=move || busy.get()
            aria-busy=move || busy.get().then_some("true")
        >
            {children()}
        </button>
    }
}
