use leptos::prelude::*;

use super::RadioGroup;

/// A yes/no question whose answer may still be missing (`None`).
#[component]
pub fn YesNo(
    #[prop(into)] id: String,
    #[prop(into)] legend: String,
    value: RwSignal<Option<bool>>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let text = RwSignal::new(match value.get_untracked() {
        Some(true) => "oui".to_owned(),
        Some(false) => "non".to_owned(),
        None => String::new(),
    });
    Effect::new(move |_| {
        value.set(match text.get().as_str() {
            "oui" => Some(true),
            "non" => Some(false),
            _ => None,
        });
    });
    view! {
        <RadioGroup id=id legend=legend options=vec![("oui", "Oui"), ("non", "Non")] value=text required=required error=error />
    }
}
