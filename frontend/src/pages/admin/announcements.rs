//! « Réglages » → the announcements of the family dashboard: a short text on a tile, shown
//! from its first to its last day (administrators). SPEC §4 and §8.

use leptos::prelude::*;
use portail_domain::api::{AnnouncementRequest, AnnouncementResponse, TileCode, wire};
use portail_domain::format::numeric_date;
use portail_domain::parse::{FieldErrors, InvalidValue};
use uuid::Uuid;

use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Button, ConfirmDialog, Loaded, SelectField, TextField};
use crate::dom;

/// The list, and the form that adds one or edits the one chosen.
#[component]
pub fn AnnouncementsSettings() -> impl IntoView {
    let session = use_staff_session();
    let version = RwSignal::new(0_u32);
    let editing = RwSignal::new(None::<AnnouncementResponse>);
    let list = LocalResource::new(move || {
        version.track();
        api::list_all_announcements(session)
    });
    view! {
        <h2 class="section" id="annonces">"Annonces du tableau de bord"</h2>
        <p class="fine-print">"Un court texte sur une tuile du tableau de bord des familles, affiché du premier au dernier jour inclus."</p>
        <Loaded resource=list render=move |value| match value {
                list if list.items.is_empty() => view! { <p>"Aucune annonce."</p> }.into_any(),
                list => view! {
                    <ul class="list-plain card">
                        {list.items.into_iter().map(|a| view! { <AnnouncementItem announcement=a editing=editing version=version /> }).collect_view()}
                    </ul>
                }.into_any(),
            } />
        {move || {
            let current = editing.get();
            view! { <AnnouncementForm current=current editing=editing version=version /> }
        }}
    }
}

#[component]
fn AnnouncementItem(
    announcement: AnnouncementResponse,
    editing: RwSignal<Option<AnnouncementResponse>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let session = use_staff_session();
    let asking = RwSignal::new(false);
    let id = announcement.id;
    let a = announcement.announcement.clone();
    let remove = move |()| {
        leptos::task::spawn_local(async move {
            let _ = api::delete_announcement(session, id).await;
            version.update(|v| *v += 1);
        });
    };
    let chosen = announcement.clone();
    view! {
        <li>
            <strong>{a.tile.label_fr()}</strong>
            " — du " {numeric_date(a.starts_on)} " au " {numeric_date(a.ends_on)}
            <p>{a.text.clone()}</p>
            <div class="btn-row">
                <button type="button" class="btn btn--secondary" on:click=move |_| { editing.set(Some(chosen.clone())); dom::focus_id("annonce-form"); }>"Modifier"</button>
                <button type="button" class="btn btn--secondary" on:click=move |_| asking.set(true)>"Retirer"</button>
            </div>
            <ConfirmDialog id=format!("retirer-annonce-{id}") open=asking title="Retirer cette annonce ?" confirm_label="Retirer l'annonce" on_confirm=Callback::new(remove)>
                <p>{a.text}</p>
            </ConfirmDialog>
        </li>
    }
}

#[component]
fn AnnouncementForm(
    current: Option<AnnouncementResponse>,
    editing: RwSignal<Option<AnnouncementResponse>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let session = use_staff_session();
    let id: Option<Uuid> = current.as_ref().map(|c| c.id);
    let start = current.as_ref().map(|c| c.announcement.clone());
    let tile = RwSignal::new(
        start
            .as_ref()
            .map_or_else(String::new, |a| a.tile.as_str().to_owned()),
    );
    let text = RwSignal::new(start.as_ref().map_or_else(String::new, |a| a.text.clone()));
    let starts = RwSignal::new(
        start
            .as_ref()
            .map_or_else(String::new, |a| a.starts_on.to_string()),
    );
    let ends = RwSignal::new(
        start
            .as_ref()
            .map_or_else(String::new, |a| a.ends_on.to_string()),
    );
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let err =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let tiles: Vec<(String, String)> = TileCode::ALL
        .iter()
        .map(|t| (t.as_str().to_owned(), t.label_fr().to_owned()))
        .collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        let day = |raw: String| {
            wire::parse_date(raw.trim())
                .ok_or_else(|| InvalidValue::invalid_format("Choisissez une date."))
        };
        let chosen_tile = e.check(
            "tile",
            TileCode::parse(&tile.get_untracked()).ok_or_else(InvalidValue::required),
        );
        let starts_on = e.check("starts_on", day(starts.get_untracked()));
        let ends_on = e.check("ends_on", day(ends.get_untracked()));
        let request = match (chosen_tile, starts_on, ends_on) {
            (Some(tile), Some(starts_on), Some(ends_on)) if e.is_empty() => AnnouncementRequest {
                tile,
                text: text.get_untracked(),
                starts_on,
                ends_on,
            }
            .validate(),
            _ => Err(e),
        };
        let request = match request {
            Ok(request) => request,
            Err(invalid) => {
                errors.set(invalid);
                dom::focus_first_invalid();
                return;
            }
        };
        crate::task::spawn_busy(busy, async move {
            match api::save_announcement(session, id, &request).await {
                Ok(_) => {
                    editing.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => failure.set(Some(e.message())),
            }
        });
    };
    let heading = if id.is_some() {
        "Modifier l'annonce"
    } else {
        "Ajouter une annonce"
    };
    view! {
        <form id="annonce-form" tabindex="-1" class="card narrow stack" on:submit=submit novalidate aria-label=heading>
            <h3>{heading}</h3>
            <SelectField id="annonce-tuile" label="Tuile" options=tiles value=tile required=true error=err("tile") />
            <TextField id="annonce-texte" label="Texte" hint="300 caractères au plus." required=true value=text error=err("text") />
            <TextField id="annonce-debut" label="Premier jour" input_type="date" required=true value=starts error=err("starts_on") />
            <TextField id="annonce-fin" label="Dernier jour" input_type="date" required=true value=ends error=err("ends_on") />
            {move || failure.get().map(|m| view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> })}
            <div class="btn-row">
                <Button submit=true busy=busy>"Enregistrer l'annonce"</Button>
                {id.is_some().then(|| view! { <button type="button" class="btn btn--secondary" on:click=move |_| editing.set(None)>"Annuler"</button> })}
            </div>
        </form>
    }
}
