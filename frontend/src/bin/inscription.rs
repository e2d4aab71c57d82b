//! The registration bundle: `inscription/index.html`, served for `/inscription` and its steps.

fn main() {
    portail_frontend::mount(portail_frontend::app::inscription);
}
