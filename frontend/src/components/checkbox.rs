use leptos::prelude::*;

/// A checkbox with its label (the whole line is clickable) and its error.
#[component]
pub fn Checkbox(
    #[prop(into)] id: String,
    checked: RwSignal<bool>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.get().is_some().then(|| error_id.clone())
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="checkbox" for=id.clone()>
                <input
                    type="checkbox"
                    id=id.clone()
                    name=id.clone()
                    required=required
                    aria-required=required.then_some("true")
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=described_by
                    prop:checked=move || checked.get()
                    on:change=move |ev| checked.set(event_target_checked(&ev))
                />
                <span>
                    {children()}
                    {required.then(|| view! { <span class="field__required" aria-hidden="true">"*"</span> })}
                </span>
            </label>
            {move || error.get().map(|message| view! { <span class="field__error" id=error_id.clone()>{message}</span> })}
        </div>
    }
}
