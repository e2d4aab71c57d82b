use crate::components::Title;
use leptos::prelude::*;

use crate::components::{Alert, AlertKind, Button, ButtonVariant, StepIndicator, TextField, Tile};

const DEMO_STEPS: &[&str] = &["Première", "Deuxième", "Troisième"];

/// Every component of the design system on one page (`/admin/composants`, in the staff bundle), for whoever builds screens;
/// the browser tests run the accessibility checks on it too. Not linked from the portal.
#[component]
pub fn DesignSystem() -> impl IntoView {
    let step = RwSignal::new(1_usize);
    let name = RwSignal::new(String::new());
    let with_error = RwSignal::new("exemple".to_owned());
    view! {
        <Title text="Composants — Portail Famille" />
        <div class="stack">
            <h1>"Composants du portail"</h1>
            <section class="card stack" aria-labelledby="ds-boutons">
                <h2 id="ds-boutons">"Boutons"</h2>
                <div class="btn-row">
                    <Button>"Principal"</Button>
                    <Button variant=ButtonVariant::Secondary>"Secondaire"</Button>
                    <Button variant=ButtonVariant::Accent>"Accent"</Button>
                    <Button busy=true>"Occupé"</Button>
                </div>
            </section>
            <section class="card" aria-labelledby="ds-champs">
                <h2 id="ds-champs">"Champs"</h2>
                <TextField id="ds-nom" label="Nom" required=true hint="Tel qu'il figure sur vos papiers." value=name />
                <TextField
                    id="ds-email"
                    label="Adresse e-mail"
                    input_type="email"
                    value=with_error
                    error=Signal::derive(|| Some("L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).".to_owned()))
                />
            </section>
            <section class="card" aria-labelledby="ds-etapes">
                <h2 id="ds-etapes">"Indicateur d'étapes"</h2>
                <StepIndicator steps=DEMO_STEPS current=step label="Étapes de démonstration" />
                <div class="btn-row">
                    <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |_| step.update(|s| *s = s.saturating_sub(1)))>"← Retour"</Button>
                    <Button on_click=Callback::new(move |_| step.update(|s| *s = (*s + 1).min(DEMO_STEPS.len() - 1)))>"Suivant →"</Button>
                </div>
            </section>
            <section class="card" aria-labelledby="ds-alertes">
                <h2 id="ds-alertes">"Alertes"</h2>
                <Alert title="Information"><p>"Les réservations ouvrent lundi."</p></Alert>
                <Alert kind=AlertKind::Success title="Succès"><p>"Votre dossier a été envoyé."</p></Alert>
                <Alert kind=AlertKind::Warning title="Attention"><p>"Il manque un justificatif."</p></Alert>
                <Alert kind=AlertKind::Error title="Erreur"><p>"Le serveur ne répond pas."</p></Alert>
            </section>
            <section aria-labelledby="ds-tuiles">
                <h2 id="ds-tuiles">"Tuiles"</h2>
                <ul class="tile-grid">
                    <li><Tile href="/_design" title="Mon compte" text="Accès à mes informations personnelles" /></li>
                    <li><Tile href="/_design" title="Mes préinscriptions en crèche" text="Accueil régulier, enfants de 0 à 4 ans" accent=true /></li>
                </ul>
            </section>
        </div>
    }
}
