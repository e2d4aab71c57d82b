use leptos::prelude::*;

/// A labelled `<select>` with its error. `options` are `(value, label)`; an empty first choice
/// « Choisir… » stands for « not answered yet ».
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    options: Vec<(String, String)>,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.get().is_some().then(|| error_id.clone())
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id.clone()>
                {label}
                {required.then(|| view! { <span class="field__required" aria-hidden="true">"*"</span> })}
            </label>
            <select
                class="field__input"
                id=id.clone()
                name=id.clone()
                aria-required=required.then_some("true")
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="">"Choisir…"</option>
                {options
                    .into_iter()
                    .map(|(option, text)| {
                        let selected_value = option.clone();
                        view! { <option value=option selected=move || value.get() == selected_value>{text}</option> }
                    })
                    .collect_view()}
            </select>
            {move || error.get().map(|message| view! { <span class="field__error" id=error_id.clone()>{message}</span> })}
        </div>
    }
}
