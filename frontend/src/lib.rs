//! Portail Famille's single-page app, built as two bundles from this one library:
//! `bin/parents.rs` (every page outside `/admin`) and `bin/staff.rs` (the town hall's `/admin`
//! pages). A parent's phone never downloads the staff screens: see `docs/performance.md`.
//! Routes start in `app.rs`.

pub mod api;
pub mod app;
pub mod components;
pub mod dom;
pub mod form;
pub mod pages;
pub mod task;

/// Replaces the loading shell of `index.html` by the app.
pub fn mount(app: fn() -> leptos::prelude::AnyView) {
    console_error_panic_hook::set_once();
    dom::remove_loading_shell();
    leptos::mount::mount_to_body(app);
}
