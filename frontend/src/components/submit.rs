use std::future::Future;

use leptos::prelude::*;
use portail_domain::parse::FieldErrors;

use super::{Alert, AlertKind};
use crate::api::ApiError;

/// What a submission answered: a French sentence, or the failure's message.
pub type Said = Option<Result<String, String>>;

/// One form's submission, its three signals together (the one mutation idiom of the web app):
/// `busy` while it runs (its button says so and cannot be pressed twice), `said` what it
/// answered (shown by [`Outcome`]), `version` bumped after a success so what the page loads
/// from it loads again. Leptos's `Action` does the same with a typed input; measured, the
/// first `Action` costs the parents' bundle 2.9 kB brotli (docs/performance.md), this nothing.
#[derive(Clone, Copy)]
pub struct Submit {
    pub busy: RwSignal<bool>,
    pub said: RwSignal<Said>,
    pub version: RwSignal<u32>,
}

impl Submit {
    pub fn new() -> Self {
        Self::bumping(RwSignal::new(0))
    }

    /// A submission that bumps a version the page already has (a list shared by forms).
    pub fn bumping(version: RwSignal<u32>) -> Self {
        Self {
            busy: RwSignal::new(false),
            said: RwSignal::new(None),
            version,
        }
    }

    /// Runs `work` (never twice at once): a success says `done(value)` and bumps the version,
    /// a failure says its message.
    pub fn run<T: 'static>(
        self,
        work: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(T) -> String + 'static,
    ) {
        self.start(work, done, None);
    }

    /// As [`Submit::run`] for a form: the server's per-field errors go next to their fields
    /// (`errors`, the first one focused) instead of a message.
    pub fn run_form<T: 'static>(
        self,
        errors: RwSignal<FieldErrors>,
        work: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(T) -> String + 'static,
    ) {
        self.start(work, done, Some(errors));
    }

    fn start<T: 'static>(
        self,
        work: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(T) -> String + 'static,
        errors: Option<RwSignal<FieldErrors>>,
    ) {
        if self.busy.get_untracked() {
            return;
        }
        self.said.set(None);
        crate::task::spawn_busy(self.busy, async move {
            match work.await {
                Ok(value) => {
                    self.said.set(Some(Ok(done(value))));
                    self.version.update(|v| *v += 1);
                }
                Err(error) => match errors {
                    Some(errors) if !error.field_errors().is_empty() => {
                        errors.set(FieldErrors::from(error.field_errors()));
                        crate::dom::focus_first_invalid();
                    }
                    _ => self.said.set(Some(Err(error.message()))),
                },
            }
        });
    }
}

impl Default for Submit {
    fn default() -> Self {
        Self::new()
    }
}

/// What a submission said, in a status region (read out by screen readers): a success in
/// green, a failure in red.
#[component]
pub fn Outcome(said: RwSignal<Said>) -> impl IntoView {
    view! {
        <div role="status">
            {move || said.get().map(|result| match result {
                Ok(message) => view! { <Alert kind=AlertKind::Success><p>{message}</p></Alert> }.into_any(),
                Err(message) => view! { <Alert kind=AlertKind::Error><p>{message}</p></Alert> }.into_any(),
            })}
        </div>
    }
}
