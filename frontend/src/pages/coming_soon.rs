use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::use_family_session;
use crate::components::{Alert, ParentLayout, RequireSession};

/// Stands in, for a logged-in family, for a section of the dossier that is not open yet.
#[component]
pub fn ComingSoon() -> impl IntoView {
    view! {
        <Title text="Bientôt disponible — Portail Famille" />
        <ParentLayout>
            <RequireSession session=use_family_session() login_path="/">
                <div class="narrow stack">
                    <h1>"Bientôt disponible"</h1>
                    <Alert>
                        <p>"Cette partie du portail ouvre prochainement. Merci de votre patience."</p>
                    </Alert>
                    <a href="/espace">"← Mon espace"</a>
                </div>
            </RequireSession>
        </ParentLayout>
    }
}
