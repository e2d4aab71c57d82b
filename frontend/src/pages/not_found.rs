use crate::components::{ParentLayout, Title};
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text="Page introuvable — Portail Famille" />
        <ParentLayout>
            <div class="narrow stack">
                <h1>"Page introuvable"</h1>
                <p>"La page demandée n'existe pas ou a été déplacée."</p>
                <a href="/">"← Retour à l'accueil"</a>
            </div>
        </ParentLayout>
    }
}
