use leptos::prelude::*;

use leptos_router::components::Outlet;
use leptos_router::hooks::use_navigate;

use super::{HealthStatus, RequireSession};
use crate::api::{self, Session, SessionState, use_family_session, use_staff_session};

/// The parents' pages anyone may open (home, registration, e-mailed links): the frame, and the
/// page in it. The routers nest pages in these areas (`app.rs`), so the frame is drawn once
/// and stays while the family moves from page to page.
#[component]
pub fn PublicArea() -> impl IntoView {
    view! { <ParentLayout><Outlet /></ParentLayout> }
}

/// The family's own pages: the frame, and the page once the session is known (else the home
/// page, to log in).
#[component]
pub fn FamilyArea() -> impl IntoView {
    view! {
        <ParentLayout>
            <RequireSession session=use_family_session() login_path="/"><Outlet /></RequireSession>
        </ParentLayout>
    }
}

/// The staff pages anyone may open (login, password links).
#[component]
pub fn StaffPublicArea() -> impl IntoView {
    view! { <StaffLayout><Outlet /></StaffLayout> }
}

/// The staff's working pages, behind the staff session.
#[component]
pub fn StaffArea() -> impl IntoView {
    view! {
        <StaffLayout>
            <RequireSession session=use_staff_session() login_path="/admin"><Outlet /></RequireSession>
        </StaffLayout>
    }
}

/// The frame of every parent page: skip link, header with the commune's name, main, footer.
#[component]
pub fn ParentLayout(children: Children) -> impl IntoView {
    let commune = LocalResource::new(api::get_commune);
    let commune_name = move || {
        commune.get().and_then(Result::ok).map(|commune| {
            format!(
                "Commune {}",
                portail_domain::format::of_place(&commune.name)
            )
        })
    };
    view! {
        <a class="skip-link" href="#contenu">"Aller au contenu"</a>
        <header class="site-header">
            <div class="container site-header__inner">
                <a class="site-header__brand" href="/">
                    <span class="site-header__title">"Portail Famille"</span>
                    <span class="site-header__commune">{commune_name}</span>
                </a>
                <SessionNav session=use_family_session() links=&[("/espace", "Mon espace")] after_logout="/" />
            </div>
        </header>
        <ActingBanner />
        <main id="contenu" class="site-main" tabindex="-1">
            <div class="container">{children()}</div>
        </main>
        <Footer />
    }
}

/// « Vous agissez pour la famille … » on every page while an agent acts for a family, with
/// « Terminer » (which ends the access at once and goes back to the staff area).
#[component]
fn ActingBanner() -> impl IntoView {
    let session = use_family_session();
    let stop = move |_| {
        leptos::task::spawn_local(async move {
            session.end().await;
            if let Some(window) = web_sys::window() {
                window.location().assign("/admin/familles").ok();
            }
        });
    };
    move || {
        session.acting.get().map(|family| {
            view! {
                <div class="acting-banner" role="region" aria-label="Aide aux démarches">
                    <div class="container acting-banner__inner">
                        <p><strong>{format!("Vous agissez pour la famille {family}")}</strong>" — chaque action est journalisée à votre nom."</p>
                        <button type="button" class="btn btn--secondary" on:click=stop>"Terminer"</button>
                    </div>
                </div>
            }
        })
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
                <SessionNav session=use_staff_session() links=&[("/admin/accueil", "Accueil"), ("/admin/familles", "Dossiers"), ("/admin/presences", "Présences"), ("/admin/demandes", "Demandes"), ("/admin/facturation", "Facturation")] after_logout="/admin" />
            </div>
        </header>
        <main id="contenu" class="site-main" tabindex="-1">
            <div class="container">{children()}</div>
        </main>
        <Footer><HealthStatus /></Footer>
    }
}

/// « Mon espace » and « Se déconnecter », once logged in.
#[component]
fn SessionNav(
    session: Session,
    links: &'static [(&'static str, &'static str)],
    after_logout: &'static str,
) -> impl IntoView {
    let navigate = use_navigate();
    let logout = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            session.logout().await;
            navigate(after_logout, Default::default());
        });
    };
    view! {
        <Show when=move || session.state.get() == SessionState::LoggedIn>
            <nav class="site-header__nav" aria-label="Mon compte">
                {links.iter().map(|(href, label)| view! { <a href=*href>{*label}</a> }).collect_view()}
                <button type="button" on:click=logout.clone()>"Se déconnecter"</button>
            </nav>
        </Show>
    }
}

/// The footer; the staff's says whether the service is up (`GET /health`), which the staff
/// can act on and a family cannot (the parents' bundle is lighter without it).
#[component]
fn Footer(#[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container site-footer__inner">
                <span>"Portail Famille — logiciel libre"</span>
                // Served as plain pages by the server (rel=external: not the app's router).
                <nav class="site-footer__legal" aria-label="Pages légales">
                    <a href="/mentions-legales" rel="external">"Mentions légales"</a>
                    <a href="/donnees-personnelles" rel="external">"Données personnelles"</a>
                    <a href="/accessibilite" rel="external">"Déclaration d'accessibilité"</a>
                </nav>
                {children.map(|children| children())}
            </div>
        </footer>
    }
}
