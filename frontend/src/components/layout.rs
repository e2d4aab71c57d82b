use leptos::prelude::*;

use super::HealthStatus;
use crate::api;

/// The frame of every parent page: skip link, header with the commune's name, main, footer.
#[component]
pub fn ParentLayout(children: Children) -> impl IntoView {
    let commune = LocalResource::new(api::get_commune);
    let commune_name = move || {
        commune
            .get()
            .and_then(Result::ok)
            .map(|commune| format!("Commune d'{}", commune.name))
    };
    view! {
        <a class="skip-link" href="#contenu">"Aller au contenu"</a>
        <header class="site-header">
            <div class="container site-header__inner">
                <a class="site-header__brand" href="/">
                    <span class="site-header__title">"Portail Famille"</span>
                    <span class="site-header__commune">{commune_name}</span>
                </a>
            </div>
        </header>
        <main id="contenu" class="site-main" tabindex="-1">
            <div class="container">{children()}</div>
        </main>
        <Footer />
    }
}

/// The frame of the staff area, visibly different from the parents' one.
#[component]
pub fn StaffLayout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#contenu">"Aller au contenu"</a>
        <header class="site-header site-header--staff">
            <div class="container site-header__inner">
                <a class="site-header__brand" href="/admin">
                    <span class="site-header__title">"Portail Famille"</span>
                    <span class="site-header__commune">"Espace du personnel de la mairie"</span>
                </a>
            </div>
        </header>
        <main id="contenu" class="site-main" tabindex="-1">
            <div class="container">{children()}</div>
        </main>
        <Footer />
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container site-footer__inner">
                <span>"Portail Famille — logiciel libre"</span>
                <HealthStatus />
            </div>
        </footer>
    }
}
