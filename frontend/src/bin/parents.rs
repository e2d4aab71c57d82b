//! The parents' bundle: `index.html`, every path outside `/admin`.

fn main() {
    portail_frontend::mount(portail_frontend::app::parents);
}
