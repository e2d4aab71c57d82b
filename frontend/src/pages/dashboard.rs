use crate::components::Title;
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::{DossierStatus, TileCode};

use crate::api::{self, use_family_session};
use crate::components::{Alert, AlertKind, Button, Loaded, ServiceContacts, Tile};
use crate::dom;

/// What the family must do next, in words.
fn next_step(status: DossierStatus) -> &'static str {
    match status {
        DossierStatus::Incomplete => {
            "Prochaine étape : complétez «\u{a0}Mon foyer\u{a0}», «\u{a0}Mes enfants\u{a0}» et «\u{a0}Mes documents\u{a0}», puis envoyez votre dossier pour validation."
        }
        DossierStatus::Submitted => {
            "Votre dossier est en cours de vérification par les services de la mairie. Vous ne pourrez accéder aux inscriptions que lorsque cette validation sera effectuée."
        }
        DossierStatus::InfoRequested => {
            "Les services de la mairie vous demandent un complément d'information : complétez votre dossier puis renvoyez-le."
        }
        DossierStatus::Validated => {
            "Votre dossier est validé : vous pouvez réserver dans «\u{a0}Mon planning\u{a0}»."
        }
        DossierStatus::ToReverify => {
            "Une nouvelle année commence : vérifiez les informations de votre dossier et confirmez-les pour continuer à réserver."
        }
    }
}

/// The family's home once logged in: the dossier's status, the next thing to do, the tiles of
/// the note.
#[component]
pub fn Dashboard() -> impl IntoView {
    view! {
        <Title text="Mon espace — Portail Famille" />
        <DashboardContent />
    }
}

#[component]
fn DashboardContent() -> impl IntoView {
    let session = use_family_session();
    let version = RwSignal::new(0_u32);
    let account = LocalResource::new(move || {
        version.track();
        api::get_account(session)
    });
    view! {
        <Loaded resource=account loading="Chargement de votre dossier…" render=move |account| {
                    let status = account.dossier_status;
                    let badge = if status == DossierStatus::Validated { "badge badge--ok" } else { "badge" };
                    view! {
                        <h1>{format!("Bonjour {} {}", account.first_name, account.last_name)}</h1>
                        <section class="card" aria-labelledby="etat-dossier">
                            <h2 id="etat-dossier" class="visually-hidden">"État de mon dossier"</h2>
                            <span class=badge data-testid="dossier-status">{status.label_fr()}</span>
                            <p class="mt">{next_step(status)}</p>
                            <DossierActions version=version />
                        </section>
                        <TilesAndContacts />
                    }.into_any()
                } />
    }
}

/// The tiles of the note, each with the announcements staff attached to it for today, then
/// every service of the commune with how to reach it, as the note lists them (the RPE and the
/// « Affaires scolaires » have no page of their own yet). One read of the commune for both.
#[component]
fn TilesAndContacts() -> impl IntoView {
    let commune = LocalResource::new(api::get_commune);
    let known = move || commune.get().and_then(Result::ok);
    let notes = move |tile: TileCode| {
        move || {
            known().map(|c| {
                c.announcements
                    .into_iter()
                    .filter(|a| a.announcement.tile == tile)
                    .map(|a| view! { <span class="tile__note">{a.announcement.text}</span> })
                    .collect_view()
            })
        }
    };
    // The crèche's number, from the settings (the note's « 04 70 45 61 51 » in Avermes), a
    // number a phone can call.
    let creche_phone = move || {
        known().and_then(|c| {
            c.services
                .into_iter()
                .find(|s| s.code == ServiceCode::Creche)
                .and_then(|s| s.phone)
        })
    };
    view! {
        <h2 class="section">"Mes démarches"</h2>
        <ul class="tile-grid">
            <li><Tile href="/mon-compte" title="Mon compte" text="Accès à mes informations personnelles">{notes(TileCode::MyAccount)}</Tile></li>
            <li><Tile href="/mon-foyer" title="Mon foyer" text="Accès aux informations de mon foyer">{notes(TileCode::MyHousehold)}</Tile></li>
            <li><Tile href="/mes-enfants" title="Mes enfants" text="Accès aux informations enfant">{notes(TileCode::MyChildren)}</Tile></li>
            <li><Tile href="/mon-planning" title="Mon planning" text="Réservations et souhaits de réservation">{notes(TileCode::MyPlanning)}</Tile></li>
            <li><Tile href="/mes-factures" title="Mes factures" text="Mes factures et règlements">{notes(TileCode::MyInvoices)}</Tile></li>
            <li><Tile href="/mes-documents" title="Mes documents" text="Accès à mes documents électroniques">{notes(TileCode::MyDocuments)}</Tile></li>
            <li class="tile--wide">
                // Not one big link: the crèche's number inside is a link of its own.
                <div class="tile tile--accent tile--block">
                    <a class="tile__title" href="/mes-preinscriptions">"Mes préinscriptions en crèche (multi-accueil la Souris Verte)"</a>
                    <span class="tile__text">
                        "Accès à mes préinscriptions au multi accueil la Souris Verte (concerne uniquement les demandes d'accueil régulier en crèche pour les enfants de 0 à 4 ans). Nous vous remercions de prendre contact avec la structure "
                        {move || creche_phone().map(|phone| {
                            let tel = format!("tel:{}", phone.replace(' ', ""));
                            view! { "au " <a href=tel>{phone}</a> " " }
                        })}
                        "avant de saisir votre préinscription."
                    </span>
                    {notes(TileCode::MyPreRegistrations)}
                </div>
                // The commune's note, word for word: the other services take their
                // registrations themselves (their contacts are below).
                <p class="fine-print">"Pour une inscription à l'ALJA et/ou à la restauration scolaire, merci de prendre contact avec les services concernés."</p>
            </li>
        </ul>
        <h2 class="section" id="contacts">"Contacter les services"</h2>
        <section class="card" aria-labelledby="contacts">
            <p><a href="/mes-messages">"Mes messages avec les services"</a></p>
            {move || known().map(|c| view! { <ServiceContacts services=c.services /> })}
            <p class="fine-print mt">"Aide aux démarches : pour les personnes ne possédant pas ou ne maîtrisant pas l'outil internet, une aide peut être proposée sur rendez-vous en mairie."</p>
        </section>
    }
}

/// The staff's message, what is missing (with links), and « Envoyer mon dossier » or
/// « Je confirme l'exactitude de mes informations ».
#[component]
fn DossierActions(version: RwSignal<u32>) -> impl IntoView {
    let session = use_family_session();
    let dossier = LocalResource::new(move || {
        version.track();
        api::get_dossier(session)
    });
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<api::ApiError>);
    let act = move |confirm: bool| {
        failure.set(None);
        crate::task::spawn_busy(busy, async move {
            let result = if confirm {
                api::confirm_reverification(session).await
            } else {
                api::submit_dossier(session).await
            };
            match result {
                Ok(_) => version.update(|v| *v += 1),
                Err(error) => {
                    failure.set(Some(error));
                    dom::focus_id("dossier-failure");
                }
            }
        });
    };
    view! {
        <Transition fallback=|| ()>
            {move || dossier.get().and_then(Result::ok).map(|d| {
                let status = d.status;
                let to_do = (!d.to_do.is_empty()).then(|| view! {
                    <h3>"À faire"</h3>
                    <ul class="list-plain stack" data-testid="a-faire">
                        {d.to_do.into_iter().map(|i| view! {
                            <li class:todo--urgent=i.urgent><a href=i.href>{i.text}</a></li>
                        }).collect_view()}
                    </ul>
                });
                view! {
                    {to_do}
                    {d.info_request_message.map(|m| view! {
                        <Alert kind=AlertKind::Warning title="Message de la mairie"><p data-testid="staff-message">{m}</p></Alert>
                    })}
                    {(!d.missing.is_empty() && matches!(status, DossierStatus::Incomplete | DossierStatus::InfoRequested | DossierStatus::ToReverify)).then(|| view! {
                        <h3>"Ce qu'il reste à faire"</h3>
                        <ul class="missing-list">
                            {d.missing.iter().map(|m| view! { <li><a href=m.section.path()>{m.label.clone()}</a></li> }).collect_view()}
                        </ul>
                    })}
                    {(status == DossierStatus::ToReverify).then(|| view! {
                        <Button busy=busy on_click=Callback::new(move |_| act(true))>"Je confirme l'exactitude de mes informations"</Button>
                    })}
                    {matches!(status, DossierStatus::Incomplete | DossierStatus::InfoRequested).then(|| view! {
                        <div class="btn-row">
                            <Button busy=busy on_click=Callback::new(move |_| act(false))>"Envoyer mon dossier"</Button>
                            {(!d.can_submit).then(|| view! { <span class="fine-print">"Complétez d'abord ce qui est listé ci-dessus."</span> })}
                        </div>
                    })}
                }
            })}
        </Transition>
        <div id="dossier-failure" tabindex="-1">
            {move || failure.get().map(|e| view! {
                <Alert kind=AlertKind::Error>
                    <p>{e.message()} " La liste est ci-dessus."</p>
                </Alert>
            })}
        </div>
    }
}
