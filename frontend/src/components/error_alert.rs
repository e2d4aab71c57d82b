use leptos::prelude::*;

use super::{Alert, AlertKind};
use crate::api::ApiError;

/// A failed call, said once the same way everywhere: the server's French message, « Le serveur
/// ne répond pas… » when it could not be reached, « rechargez la page » when its answer could
/// not be read.
#[component]
pub fn ErrorAlert(error: ApiError) -> impl IntoView {
    view! { <Alert kind=AlertKind::Error><p>{error.message()}</p></Alert> }
}
