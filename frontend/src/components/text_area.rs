use leptos::prelude::*;

/// A labelled multi-line text field with its hint and error.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let hint_id = hint.as_ref().map(|_| hint_id.clone());
        let error_id = error_id.clone();
        move || {
            let mut ids: Vec<String> = hint_id.iter().cloned().collect();
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id.clone()>
                {label}
                {required.then(|| view! { <span class="field__required" aria-hidden="true">"*"</span> })}
            </label>
            {hint.map(|hint| view! { <span class="field__hint" id=hint_id.clone()>{hint}</span> })}
            <textarea
                class="field__input field__input--area"
                id=id.clone()
                name=id.clone()
                rows="3"
                aria-required=required.then_some("true")
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            {move || error.get().map(|message| view! { <span class="field__error" id=error_id.clone()>{message}</span> })}
        </div>
    }
}
