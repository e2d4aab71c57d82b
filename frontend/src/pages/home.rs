use crate::components::Title;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{self, use_family_session};
use crate::components::LoginForm;

/// The public home page: what the portal is for, « Connexion à votre compte » and
/// « Créer mon compte ». A family already logged in goes straight to its space.
#[component]
pub fn Home() -> impl IntoView {
    let session = use_family_session();
    let commune = LocalResource::new(api::get_commune);
    let navigate = use_navigate();
    let restored = LocalResource::new(move || async move { session.restore().await });
    Effect::new(move |_| {
        if restored.get() == Some(true) {
            navigate("/espace", Default::default());
        }
    });
    view! {
        <Title text="Accueil — Portail Famille" />
        <div class="grid-2">
            <section class="stack" aria-labelledby="bienvenue">
                <h1 id="bienvenue">"Bienvenue sur le Portail Famille"</h1>
                <p class="lead">
                    "Un dossier unique pour toute la famille : inscriptions, réservations et factures des services de la petite enfance, de l'enfance et de la jeunesse, 24 heures sur 24, sur ordinateur, tablette ou téléphone."
                </p>
                <p>"Vous ne créez votre compte qu'une seule fois : il sert à toute la famille, tous les ans et pour tous les services."</p>
            </section>
            <section class="card" aria-labelledby="acces">
                <h2 id="acces" class="card__title">"Connexion à votre compte"</h2>
                <LoginForm session=session next="/espace" forgot_href="/mot-de-passe-oublie" />
                <h3 class="mt">"Pas encore de compte ?"</h3>
                <div class="btn-row">
                    <a class="btn btn--secondary" href="/inscription">"Créer mon compte"</a>
                </div>
            </section>
        </div>
        <section class="card section" aria-labelledby="services">
            <h2 id="services">"Les services de la commune"</h2>
            <Transition fallback=|| view! { <p>"Chargement des services…"</p> }>
                {move || commune.get().map(|result| match result {
                    Ok(commune) => view! {
                        <ul class="service-list">
                            {commune.services.into_iter().map(|service| view! {
                                <li>
                                    <strong>{service.name}</strong>
                                    <br />
                                    <span class="muted">{service.description}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! {
                        <p>"La liste des services n'est pas disponible pour le moment. " {error.message()}</p>
                    }.into_any(),
                })}
            </Transition>
            <p class="muted">
                "Aide aux démarches : pour les personnes ne possédant pas ou ne maîtrisant pas l'outil internet, une aide peut être proposée sur rendez-vous en mairie. "
                <a href="/rendez-vous">"Prendre rendez-vous"</a>
            </p>
        </section>
    }
}
