use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{Alert, ParentLayout};

/// Stands in for a screen that is not open yet.
#[component]
pub fn ComingSoon() -> impl IntoView {
    view! {
        <Title text="Bientôt disponible — Portail Famille" />
        <ParentLayout>
            <div class="narrow stack">
                <h1>"Bientôt disponible"</h1>
                <Alert>
                    <p>"Cette partie du portail ouvre prochainement. Merci de votre patience."</p>
                </Alert>
                <a href="/">"← Retour à l'accueil"</a>
            </div>
        </ParentLayout>
    }
}
