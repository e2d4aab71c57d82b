use leptos::prelude::*;

/// Where the user is in a multi-step form. Every step's name is read by screen readers; on a
/// phone only the current one is shown.
#[component]
pub fn StepIndicator(
    steps: &'static [&'static str],
    /// The current step, from 0.
    #[prop(into)]
    current: Signal<usize>,
    #[prop(into)] label: String,
) -> impl IntoView {
    let total = steps.len();
    view! {
        <nav aria-label=label>
            <ol class="steps">
                {steps
                    .iter()
                    .enumerate()
                    .map(|(index, name)| {
                        let class = move || {
                            let current = current.get();
                            if index < current {
                                "steps__item steps__item--done"
                            } else if index == current {
                                "steps__item steps__item--current"
                            } else {
                                "steps__item"
                            }
                        };
                        let state = move || {
                            let current = current.get();
                            if index < current {
                                " (terminée)"
                            } else if index == current {
                                " (étape en cours)"
                            } else {
                                ""
                            }
                        };
                        view! {
                            <li class=class aria-current=move || (index == current.get()).then_some("step")>
                                <span class="steps__label">{*name}</span>
                                <span class="visually-hidden">
                                    {format!(", étape {} sur {total}", index + 1)}
                                    {state}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}
