use crate::components::Title;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::use_staff_session;
use crate::components::LoginForm;

/// The staff sign-in screen, separate from the parents' one.
#[component]
pub fn StaffLogin() -> impl IntoView {
    let session = use_staff_session();
    let navigate = use_navigate();
    let restored = LocalResource::new(move || async move { session.restore().await });
    Effect::new(move |_| {
        if restored.get() == Some(true) {
            navigate("/admin/accueil", Default::default());
        }
    });
    view! {
        <Title text="Connexion du personnel — Portail Famille" />
        <div class="narrow">
            <section class="card" aria-labelledby="titre-connexion">
                <h1 id="titre-connexion">"Connexion du personnel"</h1>
                <p>"Cet espace est réservé aux agents et administrateurs de la mairie."</p>
                <LoginForm session=session next="/admin/accueil" forgot_href="/admin/mot-de-passe-oublie" />
            </section>
        </div>
    }
}
