//! « Mes enfants »: the list, and the form to add or edit a child.

use crate::components::Title;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use portail_domain::api::{ChildRequest, ChildResponse, ContactPerson};
use portail_domain::dossier::{Diet, Sex};
use portail_domain::parse::FieldErrors;
use uuid::Uuid;

use crate::api::{self, use_family_session};
use crate::components::{
    Alert, AlertKind, Button, Checkbox, ConfirmDialog, Loaded, RadioGroup, SelectField, TextArea,
    TextField, YesNo,
};
use crate::dom;

#[component]
pub fn MyChildren() -> impl IntoView {
    view! {
        <Title text="Mes enfants — Portail Famille" />
        <ChildrenList />
    }
}

#[component]
fn ChildrenList() -> impl IntoView {
    let session = use_family_session();
    let version = RwSignal::new(0_u32);
    let children = LocalResource::new(move || {
        version.track();
        api::list_children(session)
    });
    let message = RwSignal::new(None::<String>);
    view! {
        <p><a href="/espace">"← Mon espace"</a></p>
        <h1>"Mes enfants"</h1>
        <div role="status">{move || message.get().map(|m| view! { <Alert kind=AlertKind::Success><p>{m}</p></Alert> })}</div>
        <Loaded resource=children render=move |value| match value {
                list if list.items.is_empty() => view! { <p>"Aucun enfant pour l'instant."</p> }.into_any(),
                list => view! {
                    <ul class="list-plain">
                        {list.items.into_iter().map(|child| view! { <ChildItem child=child version=version message=message /> }).collect_view()}
                    </ul>
                }.into_any(),
            } />
        <p class="mt"><a class="btn btn--primary" href="/mes-enfants/nouveau">"+ Ajouter un enfant"</a></p>
    }
}

#[component]
fn ChildItem(
    child: ChildResponse,
    version: RwSignal<u32>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_family_session();
    let d = &child.details;
    let name = format!("{} {}", d.first_name, d.last_name)
        .trim()
        .to_owned();
    let missing = d.missing_for_submission();
    let born = d
        .birth_date
        .map(|b| portail_domain::format::born_on(d.sex, b))
        .unwrap_or_else(|| "Date de naissance à compléter".to_owned());
    let id = child.id;
    let remove_name = name.clone();
    let asking = RwSignal::new(false);
    let remove = move |()| {
        let name = remove_name.clone();
        leptos::task::spawn_local(async move {
            if api::delete_child(session, id).await.is_ok() {
                message.set(Some(format!(
                    "{name} ne fait plus partie de votre dossier."
                )));
                version.update(|v| *v += 1);
            }
        });
    };
    view! {
        <li class="item">
            <div class="item__main">
                <span class="item__title">{name.clone()}</span>
                <span class="item__meta">{born}</span>
                {(!missing.is_empty()).then(|| view! { <span class="item__meta">{format!("À compléter : {}", missing.join(", "))}</span> })}
            </div>
            <div class="btn-row">
                <a class="btn btn--secondary btn--small" href=format!("/mes-enfants/{id}")>"Modifier" <span class="visually-hidden">{format!(" {name}")}</span></a>
                <button type="button" class="btn btn--danger btn--small" on:click=move |_| asking.set(true)>"Retirer" <span class="visually-hidden">{format!(" {name}")}</span></button>
            </div>
            <ConfirmDialog id=format!("retirer-{id}") open=asking title=format!("Retirer {name} ?") confirm_label="Retirer l'enfant" on_confirm=Callback::new(remove)>
                <p>"Sa fiche, ses informations de santé et ses documents seront supprimés de votre dossier. Cette action ne peut pas être annulée."</p>
            </ConfirmDialog>
        </li>
    }
}

/// `/mes-enfants/nouveau` and `/mes-enfants/:id`.
#[component]
pub fn ChildPage() -> impl IntoView {
    view! {
        <Title text="Enfant — Portail Famille" />
        <ChildLoader />
    }
}

#[component]
fn ChildLoader() -> impl IntoView {
    let session = use_family_session();
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|raw| Uuid::parse_str(&raw).ok())
    };
    let data = LocalResource::new(move || {
        let id = id();
        async move {
            let household = api::get_household(session).await?;
            let child = match id {
                Some(id) => Some(api::get_child(session, id).await?),
                None => None,
            };
            Ok::<_, api::ApiError>((household.contacts, child))
        }
    });
    view! {
        <p><a href="/mes-enfants">"← Mes enfants"</a></p>
        <Loaded resource=data render=move |(contacts, child)| view! { <ChildForm contacts=contacts child=child /> }.into_any() />
    }
}

#[component]
fn ChildForm(contacts: Vec<ContactPerson>, child: Option<ChildResponse>) -> impl IntoView {
    let session = use_family_session();
    let navigate = use_navigate();
    let id = child.as_ref().map(|c| c.id);
    let d = child.map(|c| c.details).unwrap_or_default();
    let title = if id.is_some() {
        format!("{} {}", d.first_name, d.last_name)
    } else {
        "Ajouter un enfant".to_owned()
    };
    let text = |v: String| RwSignal::new(v);
    let last_name = text(d.last_name);
    let first_name = text(d.first_name);
    let sex = text(d.sex.map(|s| s.as_str().to_owned()).unwrap_or_default());
    let birth_date = text(d.birth_date.map(|b| b.to_string()).unwrap_or_default());
    let school = text(d.school);
    let class_level = text(d.class_level);
    let doctor_name = text(d.doctor_name);
    let doctor_phone = text(d.doctor_phone);
    let allergies = text(d.allergies);
    let has_pai = RwSignal::new(d.has_pai);
    let vaccinations = RwSignal::new(d.vaccinations_up_to_date);
    let last_dtp = text(d.last_dtp_date.map(|b| b.to_string()).unwrap_or_default());
    let diet = text(d.diet.map(|x| x.as_str().to_owned()).unwrap_or_default());
    let photo = RwSignal::new(d.photo_consent);
    let care = RwSignal::new(d.emergency_care_consent);
    let alone = RwSignal::new(d.may_leave_alone);
    let outings = RwSignal::new(d.outings_consent);
    let pickers: Vec<(Uuid, String, RwSignal<bool>)> = contacts
        .into_iter()
        .filter(|c| c.can_pick_up)
        .filter_map(|c| {
            Some((
                c.id?,
                format!("{} {}", c.first_name, c.last_name),
                RwSignal::new(d.pickup_contact_ids.contains(&c.id?)),
            ))
        })
        .collect();
    let picked = pickers.clone();
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let err =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let date = |raw: String| portail_domain::api::wire::parse_date(raw.trim());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = ChildRequest {
            last_name: last_name.get_untracked(),
            first_name: first_name.get_untracked(),
            sex: Sex::parse(&sex.get_untracked()),
            birth_date: date(birth_date.get_untracked()),
            school: school.get_untracked(),
            class_level: class_level.get_untracked(),
            doctor_name: doctor_name.get_untracked(),
            doctor_phone: doctor_phone.get_untracked(),
            allergies: allergies.get_untracked(),
            has_pai: has_pai.get_untracked(),
            vaccinations_up_to_date: vaccinations.get_untracked(),
            last_dtp_date: date(last_dtp.get_untracked()),
            diet: Diet::parse(&diet.get_untracked()),
            photo_consent: photo.get_untracked(),
            emergency_care_consent: care.get_untracked(),
            may_leave_alone: alone.get_untracked(),
            outings_consent: outings.get_untracked(),
            pickup_contact_ids: picked
                .iter()
                .filter(|(_, _, on)| on.get_untracked())
                .map(|(id, _, _)| *id)
                .collect(),
        };
        let request = match request.validate(dom::today()) {
            Ok(valid) => valid,
            Err(e) => {
                errors.set(e);
                dom::focus_first_invalid();
                return;
            }
        };
        errors.set(FieldErrors::default());
        let navigate = navigate.clone();
        crate::task::spawn_busy(busy, async move {
            match api::save_child(session, id, &request).await {
                Ok(_) => navigate("/mes-enfants", Default::default()),
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => failure.set(Some(e.message())),
            }
        });
    };

    let diets: Vec<(String, String)> = Diet::ALL
        .iter()
        .map(|x| (x.as_str().to_owned(), x.label_fr().to_owned()))
        .collect();
    view! {
        <h1>{title}</h1>
        <form class="stack" on:submit=submit novalidate>
            <section class="card" aria-labelledby="identite">
                <h2 id="identite">"Identité"</h2>
                <TextField id="child_first_name" label="Prénom" required=true value=first_name error=err("first_name") />
                <TextField id="child_last_name" label="Nom" required=true value=last_name error=err("last_name") />
                <RadioGroup id="child_sex" legend="Sexe" options=vec![("fille", "Fille"), ("garcon", "Garçon")] required=true value=sex error=err("sex") />
                <TextField id="child_birth_date" label="Date de naissance" input_type="date" required=true value=birth_date error=err("birth_date") />
                <TextField id="child_school" label="École" value=school error=err("school") />
                <TextField id="child_class" label="Classe" hint="Par exemple : CP, CE2, petite section." value=class_level error=err("class_level") />
            </section>
            <section class="card" aria-labelledby="sante">
                <h2 id="sante">"Santé"</h2>
                <TextField id="child_doctor" label="Médecin traitant" value=doctor_name error=err("doctor_name") />
                <TextField id="child_doctor_phone" label="Téléphone du médecin" input_type="tel" value=doctor_phone error=err("doctor_phone") />
                <TextArea id="child_allergies" label="Allergies" hint="Aliments, médicaments… Laissez vide s'il n'y en a pas." value=allergies error=err("allergies") />
                <YesNo id="child_pai" legend="Projet d'accueil individualisé (PAI)" required=true value=has_pai error=err("has_pai") />
                <YesNo id="child_vaccinations" legend="Vaccinations à jour" required=true value=vaccinations error=err("vaccinations_up_to_date") />
                <TextField id="child_dtp" label="Date du dernier rappel DTP" input_type="date" value=last_dtp error=err("last_dtp_date") />
                <SelectField id="child_diet" label="Régime alimentaire" required=true options=diets value=diet error=err("diet") />
            </section>
            <section class="card" aria-labelledby="autorisations">
                <h2 id="autorisations">"Autorisations"</h2>
                <YesNo id="child_photo" legend="Photos de l'enfant lors des activités" required=true value=photo />
                <YesNo id="child_care" legend="Soins d'urgence et hospitalisation si nécessaire" required=true value=care />
                <YesNo id="child_alone" legend="Partir seul à la fin des activités" required=true value=alone />
                <YesNo id="child_outings" legend="Sorties hors de la structure" required=true value=outings />
                <h3>"Personnes autorisées à venir chercher l'enfant"</h3>
                {if pickers.is_empty() {
                    view! { <p class="fine-print">"Ajoutez d'abord ces personnes dans " <a href="/mon-foyer">"Mon foyer"</a> "."</p> }.into_any()
                } else {
                    pickers.into_iter().map(|(id, name, on)| view! { <Checkbox id=format!("pickup-{id}") checked=on>{name}</Checkbox> }).collect_view().into_any()
                }}
                {move || err("pickup_contact_ids").get().map(|m| view! { <p class="field__error">{m}</p> })}
            </section>
            {move || failure.get().map(|m| view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> })}
            <div class="btn-row">
                <Button submit=true busy=busy>"Enregistrer l'enfant"</Button>
                <a href="/mes-enfants">"Annuler"</a>
            </div>
        </form>
    }
}
