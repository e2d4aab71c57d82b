//! The router: the parents' area at `/`, the staff area at `/admin`.

use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::pages::{
    admin, coming_soon::ComingSoon, design_system::DesignSystem, home::Home, not_found::NotFound,
};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=Home />
                <Route path=path!("/connexion") view=ComingSoon />
                <Route path=path!("/inscription") view=ComingSoon />
                <Route path=path!("/_design") view=DesignSystem />
                <Route path=path!("/admin") view=admin::login::StaffLogin />
                <Route path=path!("/admin/*any") view=admin::login::StaffLogin />
            </Routes>
        </Router>
    }
}
