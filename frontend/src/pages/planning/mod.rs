//! « Mon planning »: a child, a service, a month; tick and untick the days, read the recap
//! (« état récapitulatif »), « Valider » once; the answer comes line by line.

use crate::components::Title;
use chrono::{Datelike as _, NaiveDate};
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::{BookableService, BookingBatchResponse, ChildResponse, DossierResponse};
use portail_domain::rules::dossier::can_book;
use portail_domain::rules::planning::offered_for_age;
use portail_domain::rules::planning::recap::Recap;
use uuid::Uuid;

use crate::api::{self, ApiError, use_family_session};
use crate::components::{Alert, AlertKind, Loaded, SelectField};
use crate::dom;

mod answers;
mod grid;
mod recap;

use answers::*;
use grid::*;
use recap::*;

#[component]
pub fn MyPlanning() -> impl IntoView {
    view! {
        <Title text="Mon planning — Portail Famille" />
        <PlanningContent />
    }
}

#[component]
fn PlanningContent() -> impl IntoView {
    let session = use_family_session();
    let setup = LocalResource::new(move || async move {
        let children = api::list_children(session).await?;
        let services = api::list_services().await?;
        let dossier = api::get_dossier(session).await?;
        Ok::<_, ApiError>((children.items, services.items, dossier))
    });
    view! {
        <p><a href="/espace">"← Mon espace"</a></p>
        <h1>"Mon planning"</h1>
        <p><a class="btn btn--secondary" href="/ma-semaine-type">"Réserver chaque semaine"</a></p>
        <p class="fine-print"><a href="/mon-calendrier">"Mes réservations dans l'agenda de mon téléphone"</a></p>
        <Loaded resource=setup render=move |(children, services, dossier)| view! { <Planner children=children services=services dossier=dossier /> }.into_any() />
    }
}

/// What the recap and the answer need to name a line.
#[derive(Clone)]
struct Names {
    children: Vec<ChildResponse>,
    services: Vec<BookableService>,
}

impl Names {
    fn child(&self, id: Uuid) -> String {
        self.children
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.details.first_name.clone())
            .unwrap_or_default()
    }

    fn unit(&self, id: Uuid) -> (String, String) {
        self.services
            .iter()
            .find_map(|s| {
                s.units
                    .iter()
                    .find(|u| u.id == id)
                    .map(|u| (s.name.clone(), u.name.clone()))
            })
            .unwrap_or_default()
    }
}

/// What the grid shows: a child, one of the services its age fits, a month.
#[derive(Clone, Copy)]
struct Choice {
    child: RwSignal<String>,
    service: RwSignal<String>,
    month: RwSignal<NaiveDate>,
    offered: Memo<Vec<(String, String)>>,
}

impl Choice {
    /// The first child, its first service, and that service's month (`first_month`); the
    /// service follows the child, the month follows the service.
    fn new(children: &[ChildResponse], services: &[BookableService]) -> Self {
        let child = RwSignal::new(children[0].id.to_string());
        let today = dom::today();
        // Only the services the chosen child's age fits (each date is checked again).
        let offered = {
            let (children, services) = (children.to_vec(), services.to_vec());
            Memo::new(move |_| {
                let birth = children
                    .iter()
                    .find(|c| c.id.to_string() == child.get())
                    .and_then(|c| c.details.birth_date);
                services
                    .iter()
                    .filter(|s| offered_for_age(birth, today, s.min_age_months, s.max_age_months))
                    .map(|s| (s.code.as_str().to_owned(), s.name.clone()))
                    .collect::<Vec<_>>()
            })
        };
        let service = RwSignal::new(
            offered
                .get_untracked()
                .first()
                .map(|s| s.0.clone())
                .unwrap_or_default(),
        );
        // Another child may not have the service chosen: take the first one offered.
        Effect::new(move |_| {
            let choices = offered.get();
            if !choices
                .iter()
                .any(|(code, _)| *code == service.get_untracked())
            {
                service.set(choices.first().map(|s| s.0.clone()).unwrap_or_default());
            }
        });
        // Each service's grid opens where there is something to book (or soon will be): the
        // February holidays in December, not an empty December (server: `month_to_open`).
        let month_of = {
            let services = services.to_vec();
            move |code: &str| {
                services
                    .iter()
                    .find(|s| s.code.as_str() == code)
                    .and_then(|s| s.first_month.as_deref())
                    .and_then(|m| {
                        portail_domain::api::wire::parse_calendar_date(&format!("{m}-01"))
                    })
                    .unwrap_or(today.with_day(1).unwrap_or(today))
            }
        };
        let month = RwSignal::new(month_of(&service.get_untracked()));
        Effect::new(move |previous: Option<String>| {
            let code = service.get();
            if previous.is_some_and(|p| p != code) {
                month.set(month_of(&code));
            }
            code
        });
        Self {
            child,
            service,
            month,
            offered,
        }
    }
}

#[component]
fn Planner(
    children: Vec<ChildResponse>,
    services: Vec<BookableService>,
    dossier: DossierResponse,
) -> impl IntoView {
    if children.is_empty() {
        return view! {
            <Alert kind=AlertKind::Info title="Aucun enfant dans votre dossier">
                <p>"Ajoutez d'abord vos enfants dans " <a href="/mes-enfants">"Mes enfants"</a> " : leur planning apparaîtra ici."</p>
            </Alert>
        }
        .into_any();
    }
    let session = use_family_session();
    let names = Names {
        children: children.clone(),
        services: services.clone(),
    };
    let Choice {
        child,
        service,
        month,
        offered,
    } = Choice::new(&children, &services);
    let recap = RwSignal::new(Recap::default());
    // One key per recap: a retry of the same recap (lost answer, double click) is applied once.
    let key = RwSignal::new(None::<String>);
    let version = RwSignal::new(0_u32);
    let answer = RwSignal::new(None::<Result<BookingBatchResponse, String>>);
    // The answer to a recap belongs to that child and service: another choice clears it.
    Effect::new(move |previous: Option<(String, String)>| {
        let now = (child.get(), service.get());
        if previous.is_some_and(|p| p != now) {
            answer.set(None);
        }
        now
    });
    let busy = RwSignal::new(false);
    // A full day's waiting list is joined or left at once (not through the recap); the grid
    // is read again, and a refusal said above it.
    provide_context(Waiting {
        version,
        error: RwSignal::new(None),
    });

    let grid = LocalResource::new(move || {
        version.track();
        let (child, service, month) = (child.get(), service.get(), month.get());
        async move {
            let child = Uuid::parse_str(&child).ok();
            let service = ServiceCode::parse(&service);
            match (child, service) {
                (Some(child), Some(service)) => api::get_planning(
                    session,
                    child,
                    service,
                    &portail_domain::format::year_month(month),
                )
                .await
                .map(Some),
                _ => Ok(None),
            }
        }
    });

    let child_options: Vec<(String, String)> = children
        .iter()
        .map(|c| (c.id.to_string(), c.details.first_name.clone()))
        .collect();

    let submit = {
        move |()| {
            let request = recap.with_untracked(Recap::request);
            if request.lines.is_empty() {
                return;
            }
            let key_now = key.get_untracked().unwrap_or_else(dom::random_key);
            key.set(Some(key_now.clone()));
            answer.set(None);
            crate::task::spawn_busy(busy, async move {
                match api::submit_booking_batch(session, &request, &key_now).await {
                    Ok(response) => {
                        recap.update(|r| {
                            r.settle(&response.results);
                        });
                        key.set(None);
                        answer.set(Some(Ok(response)));
                        version.update(|v| *v += 1);
                    }
                    // The key is kept: « Valider » again sends the same recap with it.
                    Err(error) => answer.set(Some(Err(error.message()))),
                }
                dom::focus_id("planning-answer");
            });
        }
    };
    let clear = move |()| {
        recap.update(Recap::clear);
        key.set(None);
    };

    let validated = can_book(dossier.status);
    let names_for_answer = names.clone();
    let names_for_recap = names.clone();
    let names_for_upcoming = names.clone();
    let names_for_answers = names.clone();
    let names_for_grid = names;
    view! {
        {(!validated).then(|| view! {
            <Alert kind=AlertKind::Warning title="Votre dossier n'est pas encore validé">
                <p>{format!("Statut : {}. Vous pourrez réserver dès que la mairie l'aura validé. ", dossier.status_label)}<a href="/espace">"Voir mon dossier"</a></p>
            </Alert>
        })}
        <div class="planning-controls card">
            <SelectField id="planning-child" label="Enfant" options=child_options value=child />
            {move || view! { <SelectField id="planning-service" label="Service" options=offered.get() value=service /> }}
        </div>
        <div id="planning-answer" tabindex="-1" role="status">
            {move || answer.get().map(|result| view! { <Answer result=result names=names_for_answer.clone() /> })}
        </div>
        <MonthNav month=month />
        <Legend />
        <Loaded resource=grid loading="Chargement du planning…" render=move |value| match value {
                Some(planning) => view! {
                    // A rule of the service, said once with its dates (the crèche's Mondays).
                    {planning.notice.clone().map(|notice| view! { <Alert title="Quand saisir vos souhaits"><p>{notice}</p></Alert> })}
                    {planning.blocked.clone().map(|why| view! { <Alert kind=AlertKind::Warning><p>{why} " " <a href="/mes-factures">"Voir mes factures"</a></p></Alert> })}
                    // A month is up to 90 boxes: a keyboard user can jump over them.
                    <a class="skip-inline" href="#recapitulatif">"Aller à l'état récapitulatif"</a>
                    <div role="alert">{move || expect_context::<Waiting>().error.get().map(|e| view! { <Alert kind=AlertKind::Error><p>{e}</p></Alert> })}</div>
                    <Grid planning=planning recap=recap key=key names=names_for_grid.clone() />
                }.into_any(),
                None => view! { <p>"Choisissez un enfant et un service."</p> }.into_any(),
            } />
        <RecapPanel recap=recap busy=busy names=names_for_recap on_submit=Callback::new(submit) on_clear=Callback::new(clear) />
        <RecentAnswers version=version names=names_for_answers />
        <UpcomingSection version=version names=names_for_upcoming />
    }
    .into_any()
}
