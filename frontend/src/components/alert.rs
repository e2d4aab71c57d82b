use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlertKind {
    #[default]
    Info,
    Success,
    Warning,
    Error,
}

/// A message box. Errors and warnings are announced at once (`role="alert"`), the others
/// politely (`role="status"`).
#[component]
pub fn Alert(
    #[prop(optional)] kind: AlertKind,
    #[prop(optional, into)] title: Option<String>,
    children: Children,
) -> impl IntoView {
    let (class, role) = match kind {
        AlertKind::Info => ("alert", "status"),
        AlertKind::Success => ("alert alert--success", "status"),
        AlertKind::Warning => ("alert alert--warning", "alert"),
        AlertKind::Error => ("alert alert--error", "alert"),
    };
    view! {
        <div class=class role=role>
            {title.map(|title| view! { <strong class="alert__title">{title}</strong> })}
            {children()}
        </div>
    }
}
