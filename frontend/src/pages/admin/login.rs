use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{Alert, AlertKind, Button, StaffLayout, TextField};

/// The staff sign-in screen, separate from the parents' one.
#[component]
pub fn StaffLogin() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
    };
    view! {
        <Title text="Connexion du personnel — Portail Famille" />
        <StaffLayout>
            <div class="narrow">
                <section class="card" aria-labelledby="titre-connexion">
                    <h1 id="titre-connexion">"Connexion du personnel"</h1>
                    <p>"Cet espace est réservé aux agents et administrateurs de la mairie."</p>
                    <form on:submit=on_submit novalidate>
                        <TextField
                            id="staff-email"
                            label="Adresse e-mail"
                            input_type="email"
                            autocomplete="username"
                            required=true
                            value=email
                        />
                        <TextField
                            id="staff-password"
                            label="Mot de passe"
                            input_type="password"
                            autocomplete="current-password"
                            required=true
                            value=password
                        />
                        <Show when=move || submitted.get()>
                            <Alert kind=AlertKind::Warning>
                                <p>"La connexion du personnel ouvre prochainement."</p>
                            </Alert>
                        </Show>
                        <Button submit=true>"Se connecter"</Button>
                    </form>
                </section>
            </div>
        </StaffLayout>
    }
}
