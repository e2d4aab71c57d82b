//! The family's occasional pages: `espace/index.html`, served for « Mon compte », « Mes
//! messages », « Prélèvement automatique », « Mes attestations », « Mon calendrier » and « Ma
//! semaine type » (docs/performance.md, « Four bundles »).

fn main() {
    portail_frontend::mount(portail_frontend::app::espace);
}
