//! The two routers: the parents' area (everything outside `/admin`) and the staff area
//! (`/admin`), each the root of its own bundle (`bin/parents.rs`, `bin/staff.rs`). The server
//! sends `staff/index.html` for `/admin` paths, `index.html` for the others, so a link from one
//! area to the other is a full page load.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::api::provide_sessions;
use crate::components::{FamilyArea, PublicArea, StaffArea, StaffLayout, StaffPublicArea};
use crate::pages::{
    admin, calendar,
    children::{ChildPage, MyChildren},
    confirm_email::ConfirmEmail,
    confirm_new_email::ConfirmNewEmail,
    dashboard::Dashboard,
    design_system::DesignSystem,
    documents::MyDocuments,
    forgot_password,
    home::Home,
    household::MyHousehold,
    invoices::{InvoicePage, MyInvoices},
    my_account::MyAccount,
    not_found::NotFound,
    planning::MyPlanning,
    preregistrations,
    register::Register,
    reset_password,
};

/// The parents' app.
pub fn parents() -> AnyView {
    provide_sessions();
    view! {
        <Router>
            <FocusOnNavigation />
            <Routes fallback=NotFound>
                <ParentRoute path=path!("") view=PublicArea>
                    <Route path=path!("/") view=Home />
                    // Registration and account recovery are their own bundle (app::inscription):
                    // the server sends it.
                    <Route path=path!("/inscription/:etape?") view=FullLoad />
                    <Route path=path!("/confirmer-email") view=FullLoad />
                    <Route path=path!("/mot-de-passe-oublie") view=FullLoad />
                    <Route path=path!("/mot-de-passe/nouveau") view=FullLoad />
                    // So are crèche pre-registrations (a form filled once or twice) and the
                    // confirmation of a new address.
                    <Route path=path!("/mes-preinscriptions") view=FullLoad />
                    <Route path=path!("/confirmer-nouvel-email") view=FullLoad />
                    <Route path=path!("/mon-calendrier") view=FullLoad />
                    <Route path=path!("/ma-semaine-type") view=FullLoad />
                    <Route path=path!("/mes-attestations") view=FullLoad />
                    <Route path=path!("/mes-messages") view=FullLoad />
                    <Route path=path!("/mon-prelevement") view=FullLoad />
                    // « Mon compte » is visited rarely (an address, a password, the data
                    // export): the registration bundle draws it.
                    <Route path=path!("/mon-compte") view=FullLoad />
                    <Route path=path!("/mes-messages/:id") view=FullLoad />
                    <Route path=path!("/rendez-vous") view=FullLoad />
                </ParentRoute>
                <ParentRoute path=path!("") view=FamilyArea>
                    <Route path=path!("/espace") view=Dashboard />
                    <Route path=path!("/mon-foyer") view=MyHousehold />
                    <Route path=path!("/mes-enfants") view=MyChildren />
                    <Route path=path!("/mes-enfants/nouveau") view=ChildPage />
                    <Route path=path!("/mes-enfants/:id") view=ChildPage />
                    <Route path=path!("/mon-planning") view=MyPlanning />
                    <Route path=path!("/mes-factures") view=MyInvoices />
                    <Route path=path!("/mes-factures/:id") view=InvoicePage />
                    <Route path=path!("/mes-documents") view=MyDocuments />
                </ParentRoute>
            </Routes>
        </Router>
    }
    .into_any()
}

/// Registration and account recovery: the wizard, the e-mail confirmation, the forgotten and
/// the new password; the crèche pre-registrations (« Mes préinscriptions ») and the public
/// appointment page. A family goes through them once or rarely, so their screens are not in
/// the bundle every parent downloads (docs/performance.md). Any other path is another
/// bundle's.
pub fn inscription() -> AnyView {
    provide_sessions();
    view! {
        <Router>
            <FocusOnNavigation />
            <Routes fallback=FullLoad>
                <ParentRoute path=path!("") view=PublicArea>
                    <Route path=path!("/inscription/:etape?") view=Register />
                    <Route path=path!("/confirmer-email") view=ConfirmEmail />
                    <Route path=path!("/mot-de-passe-oublie") view=forgot_password::ForgotPassword />
                    <Route path=path!("/mot-de-passe/nouveau") view=reset_password::ResetPassword />
                    <Route path=path!("/confirmer-nouvel-email") view=ConfirmNewEmail />
                    <Route path=path!("/rendez-vous") view=crate::pages::appointment::TakeAppointment />
                </ParentRoute>
                <ParentRoute path=path!("") view=FamilyArea>
                    <Route path=path!("/mes-preinscriptions") view=preregistrations::MyPreRegistrations />
                    <Route path=path!("/mes-preinscriptions/nouvelle") view=preregistrations::PreRegistrationForm />
                    <Route path=path!("/mes-preinscriptions/:id") view=preregistrations::PreRegistrationForm />
                </ParentRoute>
            </Routes>
        </Router>
    }
    .into_any()
}

/// The family's occasional pages, a bundle of their own: a parent visits them a few times a
/// year, and neither the parents' first load nor the registration's should carry them
/// (docs/performance.md). Any other path is another bundle's.
pub fn espace() -> AnyView {
    provide_sessions();
    view! {
        <Router>
            <FocusOnNavigation />
            <Routes fallback=FullLoad>
                <ParentRoute path=path!("") view=FamilyArea>
                    <Route path=path!("/mon-compte") view=MyAccount />
                    <Route path=path!("/mon-calendrier") view=calendar::MyCalendar />
                    <Route path=path!("/ma-semaine-type") view=crate::pages::week_pattern::WeekPattern />
                    <Route path=path!("/mes-attestations") view=crate::pages::certificates::MyCertificates />
                    <Route path=path!("/mes-messages") view=crate::pages::messages::MyMessages />
                    <Route path=path!("/mes-messages/:id") view=crate::pages::messages::MyConversation />
                    <Route path=path!("/mon-prelevement") view=crate::pages::direct_debit::MyDirectDebitPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
    .into_any()
}

/// A path this bundle does not draw: the browser loads it from the server, which sends the
/// bundle it belongs to (`spa::index_file`). Should the server send this bundle again for it
/// (a path neither draws), the second time within ten seconds shows « page introuvable »
/// instead of loading forever.
#[component]
fn FullLoad() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    // The router's `search` comes without its « ? » (a link to another bundle with a query
    // string, « /mes-messages?service=rpe », must keep it).
    let search = location.search.get_untracked();
    let search = if search.is_empty() || search.starts_with('?') {
        search
    } else {
        format!("?{search}")
    };
    let target = format!(
        "{}{search}{}",
        location.pathname.get_untracked(),
        location.hash.get_untracked()
    );
    // Whole milliseconds: formatting or parsing a float would pull 20 kB into the bundle.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let now = js_sys::Date::now() as u64;
    let storage = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
    let last = storage
        .as_ref()
        .and_then(|s| s.get_item("portail.chargement").ok().flatten())
        .unwrap_or_default();
    let looping = last.split_once(' ').is_some_and(|(at, path)| {
        path == target
            && at
                .parse::<u64>()
                .is_ok_and(|at| now.saturating_sub(at) < 10_000)
    });
    if looping {
        return view! { <NotFound /> }.into_any();
    }
    if let Some(storage) = &storage {
        storage
            .set_item("portail.chargement", &format!("{now} {target}"))
            .ok();
    }
    if let Some(window) = web_sys::window() {
        window.location().assign(&target).ok();
    }
    view! { <p role="status">"Chargement…"</p> }.into_any()
}

/// The town hall's app.
pub fn staff() -> AnyView {
    provide_sessions();
    view! {
        <Router>
            <FocusOnNavigation />
            <Routes fallback=StaffFallback>
                <ParentRoute path=path!("") view=StaffPublicArea>
                    <Route path=path!("/admin") view=admin::login::StaffLogin />
                    <Route path=path!("/admin/mot-de-passe") view=reset_password::StaffSetPassword />
                    <Route path=path!("/admin/mot-de-passe-oublie") view=forgot_password::StaffForgotPassword />
                    // For whoever builds screens: every component on one page.
                    <Route path=path!("/admin/composants") view=DesignSystem />
                </ParentRoute>
                <ParentRoute path=path!("") view=StaffArea>
                    <Route path=path!("/admin/accueil") view=admin::home::StaffHome />
                    <Route path=path!("/admin/familles") view=admin::families::StaffFamilies />
                    <Route path=path!("/admin/familles/nouvelle") view=admin::counter::StaffCounter />
                    <Route path=path!("/admin/familles/:id") view=admin::family::StaffFamily />
                    <Route path=path!("/admin/preinscriptions") view=admin::preregistrations::StaffPreRegistrations />
                    <Route path=path!("/admin/journal") view=admin::audit::StaffAudit />
                    <Route path=path!("/admin/integrations") view=admin::integrations::StaffIntegrations />
                    <Route path=path!("/admin/planning") view=admin::planning::StaffPlanning />
                    <Route path=path!("/admin/presences") view=admin::attendance::StaffAttendance />
                    <Route path=path!("/admin/demandes") view=admin::requests::StaffRequests />
                    <Route path=path!("/admin/reglages") view=admin::settings::StaffSettings />
                    <Route path=path!("/admin/facturation") view=admin::billing::StaffBilling />
                    <Route path=path!("/admin/tarifs") view=admin::tariffs::StaffTariffs />
                    <Route path=path!("/admin/rendez-vous") view=admin::appointments::StaffAppointments />
                    <Route path=path!("/admin/messages") view=admin::messages::StaffInbox />
                    <Route path=path!("/admin/messages/:id") view=admin::messages::StaffConversation />
                </ParentRoute>
            </Routes>
        </Router>
    }
    .into_any()
}

/// An `/admin` address that is no page: the staff login, in its frame.
#[component]
fn StaffFallback() -> impl IntoView {
    view! { <StaffLayout><admin::login::StaffLogin /></StaffLayout> }
}

/// Moves the focus to the new page's heading after each page change inside the app (not on
/// the first load: the browser starts at the top by itself).
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.as_ref().is_some_and(|p| *p != path) {
            crate::dom::focus_page_heading();
        }
        path
    });
}
