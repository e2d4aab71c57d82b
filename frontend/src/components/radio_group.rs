use leptos::prelude::*;

/// A choice among a few options, as radio buttons in a `fieldset` whose `legend` names it.
#[component]
pub fn RadioGroup(
    #[prop(into)] id: String,
    #[prop(into)] legend: String,
    /// `(value, label)` pairs.
    options: Vec<(&'static str, &'static str)>,
    value: RwSignal<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.get().is_some().then(|| error_id.clone())
    };
    view! {
        <fieldset
            class="field radio-group"
            class:field--invalid=move || error.get().is_some()
            aria-describedby=described_by
        >
            <legend class="field__label">
                {legend}
                {required.then(|| view! { <span class="field__required" aria-hidden="true">"*"</span> })}
            </legend>
            <div class="radio-group__options">
                {options
                    .into_iter()
                    .enumerate()
                    .map(|(index, (option, label))| {
                        let input_id = format!("{id}-{option}");
                        let label_for = input_id.clone();
                        view! {
                            <label class="radio" for=label_for>
                                <input
                                    type="radio"
                                    id=input_id
                                    name=id.clone()
                                    value=option
                                    aria-invalid=move || (index == 0 && error.get().is_some()).then_some("true")
                                    prop:checked=move || value.get() == option
                                    on:change=move |_| value.set(option.to_owned())
                                />
                                <span>{label}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            {move || error.get().map(|message| view! { <span class="field__error" id=error_id.clone()>{message}</span> })}
        </fieldset>
    }
}
