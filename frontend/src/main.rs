//! Mounts the app; everything else starts in `app.rs`.

mod api;
mod app;
mod components;
mod dom;
mod pages;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
