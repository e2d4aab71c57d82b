//! The staff bundle: `staff/index.html`, served for `/admin` and its pages.

fn main() {
    portail_frontend::mount(portail_frontend::app::staff);
}
