use crate::components::Title;
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::{CreateStaffRequest, StaffResponse, StaffServicesRequest};
use portail_domain::auth::StaffRole;
use portail_domain::parse::FieldErrors;

use crate::api::{self, use_staff_session};
use crate::components::{
    Button, Checkbox, ConfirmDialog, Loaded, Outcome, RadioGroup, Submit, TextField, Tile,
};
use crate::dom;
use crate::pages::my_account::ChangePassword;
use portail_domain::format::count;

/// The staff home: who is logged in; for administrators, the staff accounts.
#[component]
pub fn StaffHome() -> impl IntoView {
    view! {
        <Title text="Accueil — Espace du personnel" />
        <StaffHomeContent />
    }
}

#[component]
fn StaffHomeContent() -> impl IntoView {
    let session = use_staff_session();
    let me = LocalResource::new(move || api::get_staff_me(session));
    view! {
        <Loaded resource=me render=move |me| {
                    let admin = me.role == StaffRole::Admin;
                    view! {
                        <h1>{format!("Bonjour {}", me.display_name)}</h1>
                        <p>{format!("Vous êtes connecté en tant {} ({}).", portail_domain::format::que(&me.role.label_fr().to_lowercase()), me.email)}</p>
                        <ul class="tile-grid">
                            <li><Tile href="/admin/familles" title="Dossiers des familles" text="Les dossiers à traiter, la recherche d'une famille" /></li>
                            <li><Tile href="/admin/presences" title="Feuilles de présence" text="Les enfants attendus par jour et par prestation, à imprimer ou exporter" /></li>
                            <li><Tile href="/admin/demandes" title="Demandes d'accueil" text="Les souhaits de la crèche à accepter ou refuser" /></li>
                            <li><Tile href="/admin/preinscriptions" title="Préinscriptions en crèche" text="La commission : proposer une place, refuser, la liste d'attente" /></li>
                            <li><Tile href="/admin/familles/nouvelle" title="Aide aux démarches" text="Créer en mairie le compte d'une famille, avec ou sans e-mail" /></li>
                            <li><Tile href="/admin/planning" title="Planning des services" text="Périodes, prestations, places et règles de réservation" /></li>
                            <li><Tile href="/admin/facturation" title="Facturation" text="Émettre les factures du mois, les paiements, les restes dus, les tarifs" /></li>
                            <li><Tile href="/admin/rendez-vous" title="Rendez-vous" text="L'aide aux démarches en mairie : l'agenda du jour, ouvrir des créneaux" /></li>
                            <li><Tile href="/admin/messages" title="Messages des familles" text="Les messages écrits à vos services : lire, répondre, clore" /></li>
                            {admin.then(|| view! {
                                <li><Tile href="/admin/journal" title="Journal d'audit" text="Qui a consulté ou décidé quoi" /></li>
                                <li><Tile href="/admin/reglages" title="Réglages" text="La commune et la vérification annuelle des dossiers" /></li>
                                <li><Tile href="/admin/integrations" title="Intégrations" text="Les clés d'API des logiciels partenaires, les webhooks et leur journal" /></li>
                            })}
                        </ul>
                        {admin.then(|| view! { <StaffAccounts /> })}
                        <div class="section"><ChangePassword session=session /></div>
                    }.into_any()
                } />
    }
}

#[component]
fn StaffAccounts() -> impl IntoView {
    let session = use_staff_session();
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        version.track();
        api::list_staff(session)
    });
    view! {
        <section class="card section" aria-labelledby="personnel">
            <h2 id="personnel">"Le personnel"</h2>
            <Loaded resource=list render=move |list| staff_table(list.items, version).into_any() />
            <CreateStaff on_created=move || version.update(|v| *v += 1) />
        </section>
    }
}

fn staff_table(items: Vec<StaffResponse>, version: RwSignal<u32>) -> impl IntoView {
    view! {
        <ul class="list-plain">
            {items.into_iter().map(|s| view! { <StaffRow staff=s version=version /> }).collect_view()}
        </ul>
    }
}

/// One staff member, and for an agent the services they are given.
#[component]
fn StaffRow(staff: StaffResponse, version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let id = staff.id;
    let active = staff.active;
    let asking = RwSignal::new(false);
    let outcome = RwSignal::new(None::<String>);
    let name = staff.display_name.clone();
    let deactivate = Callback::new(move |()| {
        leptos::task::spawn_local(async move {
            match api::deactivate_staff(session, id).await {
                Ok(done) => {
                    let mut message = format!(
                        "Compte désactivé : {}, {}.",
                        count(done.sessions_ended, "session fermée", "sessions fermées"),
                        count(
                            done.api_keys_stopped,
                            "clé d'API désormais refusée",
                            "clés d'API désormais refusées"
                        )
                    );
                    if let Some(by) = done.webhooks_taken_over_by {
                        message
                            .push_str(&format!(" Ses abonnements webhook sont repris par {by}."));
                    }
                    outcome.set(Some(message));
                    version.update(|v| *v += 1);
                }
                Err(e) => outcome.set(Some(e.message())),
            }
        });
    });
    let reactivate = move |_| {
        leptos::task::spawn_local(async move {
            match api::reactivate_staff(session, id).await {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => outcome.set(Some(e.message())),
            }
        });
    };
    let chosen: Vec<(ServiceCode, RwSignal<bool>)> = ServiceCode::ALL
        .iter()
        .map(|c| (*c, RwSignal::new(staff.services.contains(c))))
        .collect();
    let saved = RwSignal::new(None::<String>);
    let list = chosen.clone();
    let save =
        move |_| {
            let services = list
                .iter()
                .filter(|(_, on)| on.get_untracked())
                .map(|(c, _)| *c)
                .collect();
            leptos::task::spawn_local(async move {
                let message =
                    match api::set_staff_services(session, id, &StaffServicesRequest { services })
                        .await
                    {
                        Ok(_) => "Services enregistrés.".to_owned(),
                        Err(e) => e.message(),
                    };
                saved.set(Some(message));
            });
        };
    let agent = staff.role == StaffRole::Agent;
    view! {
        <li class="item">
            <div class="item__main">
                <span class="item__title">{staff.display_name.clone()}</span>
                <span class="item__meta">{format!("{} · {}{}", staff.email, staff.role.label_fr(), if active { "" } else { " · désactivé" })}</span>
                {agent.then(|| view! {
                    <fieldset class="radio-group">
                        <legend class="field__label">{format!("Services {}", portail_domain::format::de(&staff.display_name))}</legend>
                        <div class="radio-group__options">
                            {chosen.into_iter().map(|(code, on)| view! { <Checkbox id=format!("svc-{id}-{}", code.as_str()) checked=on>{service_label(code)}</Checkbox> }).collect_view()}
                        </div>
                    </fieldset>
                    <button type="button" class="btn btn--secondary btn--small" on:click=save.clone()>"Enregistrer les services"</button>
                    <span role="status">{move || saved.get()}</span>
                })}
                {if active {
                    view! {
                        <button type="button" class="btn btn--secondary btn--small" on:click=move |_| asking.set(true)>{format!("Désactiver {name}")}</button>
                        <ConfirmDialog id=format!("desactiver-{id}") open=asking title=format!("Désactiver le compte {} ?", portail_domain::format::de(&name)) confirm_label="Désactiver" on_confirm=deactivate>
                            <p>"Ses sessions se ferment tout de suite, ses clés d'API cessent de fonctionner ; vous reprenez ses abonnements webhook. Vous pourrez le réactiver."</p>
                        </ConfirmDialog>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="btn btn--secondary btn--small" on:click=reactivate>{format!("Réactiver {name}")}</button>
                    }.into_any()
                }}
                <span role="status">{move || outcome.get()}</span>
            </div>
        </li>
    }
}

fn service_label(code: ServiceCode) -> &'static str {
    match code {
        ServiceCode::Creche => "Crèche",
        ServiceCode::Rpe => "RPE",
        ServiceCode::Alja => "ALJA",
        ServiceCode::Restauration => "Restauration",
        ServiceCode::Scolaire => "Affaires scolaires",
    }
}

#[component]
fn CreateStaff(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let session = use_staff_session();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new("agent".to_owned());
    let errors = RwSignal::new(FieldErrors::default());
    let creating = Submit::new();
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = CreateStaffRequest {
            email: email.get_untracked(),
            display_name: name.get_untracked(),
            role: role.get_untracked(),
        };
        // The server's checks, here at once.
        if let Err(invalid) = request.validate() {
            errors.set(invalid);
            dom::focus_first_invalid();
            return;
        }
        errors.set(FieldErrors::default());
        creating.run_form(
            errors,
            async move { api::create_staff(session, &request).await },
            move |created| {
                email.set(String::new());
                name.set(String::new());
                on_created();
                format!(
                    "Compte créé : une invitation a été envoyée à {}.",
                    created.email
                )
            },
        );
    };
    view! {
        <h3 class="mt">"Ajouter un membre du personnel"</h3>
        <Outcome said=creating.said />
        <form on:submit=submit novalidate>
            <TextField id="new-staff-name" label="Nom affiché" required=true value=name error=error("display_name") />
            <TextField id="new-staff-email" label="Adresse e-mail" input_type="email" required=true value=email error=error("email") />
            <RadioGroup id="new-staff-role" legend="Rôle" options=vec![("agent", "Agent"), ("admin", "Administrateur")] required=true value=role error=error("role") />
            <Button submit=true busy=creating.busy>"Créer le compte et envoyer l'invitation"</Button>
        </form>
    }
}
