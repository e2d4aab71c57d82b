//! What a form does with the server's answer to « Enregistrer ».

use leptos::prelude::*;
use portail_domain::parse::FieldErrors;

use crate::api::ApiError;
use crate::dom;

/// The outcome a form shows under its button: saved, or the sentence of a failure.
pub type Outcome = RwSignal<Option<Result<(), String>>>;

/// Saved: the field errors are cleared and the form says so. Refused field by field (422):
/// each message goes next to its field and the focus to the first. Anything else: the form
/// says what went wrong. Returns whether it was saved.
pub fn settle(
    result: Result<(), ApiError>,
    errors: RwSignal<FieldErrors>,
    outcome: Outcome,
) -> bool {
    match result {
        Ok(()) => {
            errors.set(FieldErrors::default());
            outcome.set(Some(Ok(())));
            true
        }
        Err(e) if !e.field_errors().is_empty() => {
            errors.set(FieldErrors::from(e.field_errors()));
            dom::focus_first_invalid();
            false
        }
        Err(e) => {
            outcome.set(Some(Err(e.message())));
            false
        }
    }
}
