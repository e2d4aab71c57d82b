use leptos::prelude::*;

/// A value to copy (a key, a secret, an address): its label, the value read-only, and a
/// « Copier » button that says whether it worked (else the value stays there to copy by hand).
#[component]
pub fn CopyField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: String,
) -> impl IntoView {
    let said = RwSignal::new(String::new());
    let copied = value.clone();
    let copy = move |_| {
        let text = copied.clone();
        leptos::task::spawn_local(async move {
            said.set(if crate::dom::copy_text(&text).await {
                "Copié.".to_owned()
            } else {
                "La copie automatique n'est pas possible : sélectionnez le texte.".to_owned()
            });
        });
    };
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>{label}</label>
            <input id=id class="field__input field__input--mono" readonly=true value=value />
            <div class="btn-row">
                <button type="button" class="btn btn--secondary btn--small" on:click=copy>"Copier"</button>
                <span role="status">{move || said.get()}</span>
            </div>
        </div>
    }
}
