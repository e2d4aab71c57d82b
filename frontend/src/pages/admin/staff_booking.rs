//! « Réserver pour la famille » (staff, on a family's file): book or cancel a day for one of
//! its children without the booking window or the cut-off; past the capacity only when asked
//! explicitly (the audit log records it).

use chrono::NaiveDate;
use leptos::prelude::*;
use portail_domain::api::{ChildResponse, LineAction, LineOutcome, StaffBookingRequest};
use portail_domain::format::date_fr;
use portail_domain::rules::planning::RefusalCode;
use uuid::Uuid;

use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Button, Checkbox, SelectField, TextField};

#[component]
pub fn StaffBooking(family_id: Uuid, children: Vec<ChildResponse>) -> impl IntoView {
    let session = use_staff_session();
    let services = LocalResource::new(api::list_services);
    let child = RwSignal::new(
        children
            .first()
            .map(|c| c.id.to_string())
            .unwrap_or_default(),
    );
    let unit = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let action = RwSignal::new(LineAction::Book.as_str().to_owned());
    let force = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let child_options: Vec<(String, String)> = children
        .iter()
        .map(|c| (c.id.to_string(), c.details.first_name.clone()))
        .collect();
    let unit_options = move || {
        services
            .get()
            .and_then(Result::ok)
            .map(|list| {
                list.items
                    .into_iter()
                    .flat_map(|s| {
                        s.units
                            .into_iter()
                            .map(move |u| (u.id.to_string(), format!("{} — {}", s.name, u.name)))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    Effect::new(move |_| {
        let options = unit_options();
        if unit.get_untracked().is_empty()
            && let Some((first, _)) = options.first()
        {
            unit.set(first.clone());
        }
    });
    let actions = vec![
        (LineAction::Book.as_str().to_owned(), "Réserver".to_owned()),
        (LineAction::Cancel.as_str().to_owned(), "Annuler".to_owned()),
    ];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        let (Ok(child_id), Ok(unit_id), Ok(day), Some(line_action)) = (
            Uuid::parse_str(&child.get_untracked()),
            Uuid::parse_str(&unit.get_untracked()),
            NaiveDate::parse_from_str(date.get_untracked().trim(), "%Y-%m-%d"),
            LineAction::parse(&action.get_untracked()),
        ) else {
            outcome.set(Some(Err(
                "Choisissez l'enfant, la prestation et le jour.".to_owned()
            )));
            return;
        };
        let request = StaffBookingRequest {
            child_id,
            unit_id,
            date: day,
            action: line_action,
            force: force.get_untracked(),
        };
        crate::task::spawn_busy(busy, async move {
            let result = api::create_staff_booking(session, family_id, &request).await;
            outcome.set(Some(match result {
                Ok(response) => match response.results.into_iter().next() {
                    Some(r) if r.outcome != LineOutcome::Refused => {
                        Ok(format!("{} : {}.", date_fr(day), r.outcome.label_fr()))
                    }
                    Some(r) => {
                        let mut message = format!("{} : {}", date_fr(day), r.reason.unwrap_or_default());
                        if r.code == Some(RefusalCode::Full) {
                            message.push_str(" Cochez «\u{a0}Dépasser la capacité\u{a0}» pour l'inscrire quand même (noté au journal).");
                        }
                        Err(message)
                    }
                    None => Err("Aucune réponse pour cette ligne.".to_owned()),
                },
                Err(error) => Err(error.message()),
            }));
        });
    };
    view! {
        <section class="section card" aria-labelledby="reserver-pour">
            <h2 id="reserver-pour">"Réserver pour la famille"</h2>
            <p class="muted">"Sans fenêtre de réservation ni délai ; la capacité est respectée sauf si vous la dépassez explicitement."</p>
            <div role="status">{move || outcome.get().map(|r| match r {
                Ok(m) => view! { <Alert kind=AlertKind::Success><p>{m}</p></Alert> }.into_any(),
                Err(m) => view! { <Alert kind=AlertKind::Warning><p>{m}</p></Alert> }.into_any(),
            })}</div>
            <form on:submit=submit novalidate>
                <div class="grid-2">
                    <SelectField id="staff-booking-child" label="Enfant" options=child_options value=child />
                    {move || view! { <SelectField id="staff-booking-unit" label="Prestation" options=unit_options() value=unit /> }}
                    <TextField id="staff-booking-date" label="Jour" input_type="date" value=date required=true />
                    <SelectField id="staff-booking-action" label="Action" options=actions value=action />
                </div>
                <Checkbox id="staff-booking-force" checked=force>"Dépasser la capacité (noté au journal d'audit)"</Checkbox>
                <Button submit=true busy=busy>"Enregistrer"</Button>
            </form>
        </section>
    }
}
