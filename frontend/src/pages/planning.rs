//! « Mon planning »: a child, a service, a month; tick and untick the days, read the recap
//! (« état récapitulatif »), « Valider » once; the answer comes line by line.

use crate::components::Title;
use chrono::{Datelike as _, Months, NaiveDate};
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::{
    BookableService, BookingBatchResponse, BookingResponse, BookingStatus, CellState,
    ChildResponse, DossierResponse, LineAction, LineOutcome, PlanningCell, PlanningResponse,
};
use portail_domain::format::{agree, count, date_fr, day_fr, euros, month_fr, weekday_fr};
use portail_domain::rules::dossier::can_book;
use portail_domain::rules::planning::recap::{Recap, RecapLine};
use portail_domain::rules::planning::{BookingMode, offered_for_age};
use uuid::Uuid;

use crate::api::{self, ApiError, use_family_session};
use crate::components::{Alert, AlertKind, Loaded, SelectField};
use crate::dom;

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

/// The month shown, with « ‹ précédent » and « suivant › ».
#[component]
fn MonthNav(month: RwSignal<NaiveDate>) -> impl IntoView {
    let month_label = move || {
        let m = month.get();
        format!("{} {}", capitalized(month_fr(m.month())), m.year())
    };
    let previous = move |_| {
        month.update(|m| *m = m.checked_sub_months(Months::new(1)).unwrap_or(*m));
    };
    let next = move |_| {
        month.update(|m| *m = m.checked_add_months(Months::new(1)).unwrap_or(*m));
    };
    view! {
        <div class="month-nav">
            <button type="button" class="btn btn--secondary btn--small" on:click=previous>"‹ " <span class="visually-hidden">"Mois "</span>"précédent"</button>
            <h2 class="month-nav__title" aria-live="polite">{month_label}</h2>
            <button type="button" class="btn btn--secondary btn--small" on:click=next><span class="visually-hidden">"Mois "</span>"suivant ›"</button>
        </div>
    }
}

/// « État récapitulatif »: the changes ticked, what they cost, « Valider » and « Tout effacer »;
/// on a phone, a bar keeps it one tap away.
#[component]
fn RecapPanel(
    recap: RwSignal<Recap>,
    busy: RwSignal<bool>,
    names: Names,
    on_submit: Callback<()>,
    on_clear: Callback<()>,
) -> impl IntoView {
    let names_for_recap = names;
    view! {
        <section class="card recap" id="recapitulatif" aria-labelledby="recap-title">
            <h2 id="recap-title">"État récapitulatif"</h2>
            {move || {
                let names = names_for_recap.clone();
                recap.with(|r| if r.is_empty() {
                    view! { <p class="muted">"Cochez les jours à réserver, décochez ceux à annuler : vos changements s'affichent ici. Rien n'est enregistré avant «\u{a0}Valider\u{a0}»."</p> }.into_any()
                } else {
                    let estimate = r.estimate();
                    view! {
                        <ul class="recap__lines">
                            {r.lines().map(|line| {
                                let (service_name, unit_name) = names.unit(line.line.unit_id);
                                let verb = line.verb();
                                let price = line.price_cents.map(|p| match line.line.action {
                                    LineAction::Book => format!(" · {}", euros(p)),
                                    LineAction::Cancel => format!(" · −{}", euros(p)),
                                });
                                view! {
                                    <li class=format!("recap__line recap__line--{}", line.line.action.as_str())>
                                        <strong>{verb}</strong>
                                        {format!(" — {} — {} — {} — {}", date_fr(line.line.date), service_name, unit_name, names.child(line.line.child_id))}
                                        {price}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {estimate.map(|e| view! {
                            <p class="recap__total">
                                "Montant estimé : " <strong>{euros(e.balance_cents())}</strong>
                                {(e.refunded_cents > 0).then(|| format!(" (dont {} d'annulations déduites)", euros(e.refunded_cents)))}
                                <span class="muted">" — le montant facturé suit les tarifs de la commune."</span>
                            </p>
                        })}
                    }.into_any()
                })
            }}
            <div class="btn-row">
                <button type="button" class="btn btn--primary" on:click=move |_| on_submit.run(())
                    disabled=move || busy.get() || recap.with(Recap::is_empty)
                    aria-busy=move || busy.get().then_some("true")>
                    "✓ Valider"
                </button>
                <button type="button" class="btn btn--secondary" on:click=move |_| on_clear.run(()) disabled=move || recap.with(Recap::is_empty)>"Tout effacer"</button>
            </div>
        </section>
        // On a phone the recap is below a long month: a bar keeps it one tap away.
        <Show when=move || !recap.with(Recap::is_empty)>
            <div class="recap-bar">
                <a href="#recapitulatif">{move || {
                    let n = recap.with(Recap::len);
                    if n == 1 { "1 changement à valider".to_owned() } else { format!("{n} changements à valider") }
                }}</a>
            </div>
        </Show>
    }
}

/// The refused lines of recent recaps, readable after a reload, as the e-mail says.
#[component]
fn RecentAnswers(version: RwSignal<u32>, names: Names) -> impl IntoView {
    let session = use_family_session();
    let answers = LocalResource::new(move || {
        version.track();
        async move { api::list_recent_answers(session).await }
    });
    let names_for_answers = names;
    view! {
        <Transition fallback=|| ()>
            {move || answers.get().and_then(Result::ok).filter(|list| !list.items.is_empty()).map(|list| {
                let names = names_for_answers.clone();
                view! {
                    <section class="section card" aria-labelledby="dernieres-demandes">
                        <h2 id="dernieres-demandes">"Mes dernières demandes"</h2>
                        <p class="muted">"Les lignes que vos derniers envois n'ont pas pu enregistrer, et pourquoi."</p>
                        {list.items.into_iter().map(|answer| {
                            let names = names.clone();
                            view! {
                                <h3 class="h4">{format!("Envoi du {}", dom::local_datetime(answer.sent_at))}</h3>
                                <ul>
                                    {answer.refused.into_iter().map(|r| {
                                        let (_, unit_name) = names.unit(r.line.unit_id);
                                        view! { <li>{format!("{} — {} — {} : {}", capitalized(&date_fr(r.line.date)), unit_name, names.child(r.line.child_id), r.reason.unwrap_or_default())}</li> }
                                    }).collect_view()}
                                </ul>
                            }
                        }).collect_view()}
                    </section>
                }
            })}
        </Transition>
    }
}

/// « Mes réservations à venir ».
#[component]
fn UpcomingSection(version: RwSignal<u32>, names: Names) -> impl IntoView {
    let session = use_family_session();
    let upcoming = LocalResource::new(move || {
        version.track();
        async move { api::list_my_bookings(session).await }
    });
    let names_for_upcoming = names;
    view! {
        <section class="section" aria-labelledby="a-venir">
            <h2 id="a-venir">"Mes réservations à venir"</h2>
            <Loaded resource=upcoming render=move |list| view! { <Upcoming items=list.items names=names_for_upcoming.clone() /> }.into_any() />
        </section>
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[component]
fn Legend() -> impl IntoView {
    view! {
        <details class="legend">
            <summary>"Que veulent dire les cases ?"</summary>
            <ul class="list-plain">
                <li><span class="slot-dot slot-dot--booked"></span>" Réservé — décochez pour annuler (jusqu'au délai)"</li>
                <li><span class="slot-dot slot-dot--requested"></span>" Demandé — la crèche répondra"</li>
                <li><span class="slot-dot slot-dot--free"></span>" Libre — cochez pour réserver"</li>
                <li><span class="slot-dot slot-dot--full"></span>" Complet, fermé, hors période, délai dépassé — la raison est écrite"</li>
                <li>"Complet avec «\u{a0}Liste d'attente\u{a0}» : la première place libérée revient au premier enfant inscrit, qui reçoit un e-mail"</li>
            </ul>
        </details>
    }
}

/// The month as an agenda: a row per day, a column per unit. One table on every screen: on a
/// phone a day is one line, and a screen reader announces each box with its day and unit.
#[component]
fn Grid(
    planning: PlanningResponse,
    recap: RwSignal<Recap>,
    key: RwSignal<Option<String>>,
    names: Names,
) -> impl IntoView {
    let request_mode = planning.mode == BookingMode::Request;
    let child_name = names.child(planning.child_id);
    let child_id = planning.child_id;
    let units = planning.units.clone();
    let columns = units.len();
    let caption = planning.days.first().map_or_else(
        || format!("Planning de {child_name}"),
        |d| {
            format!(
                "Planning de {child_name}, {} {}",
                month_fr(d.date.month()),
                d.date.year()
            )
        },
    );
    // Whether a day's first reason is the same as the day before's.
    let mut previous = None::<Option<String>>;
    let repeated: Vec<bool> = planning
        .days
        .iter()
        .map(|d| {
            let reason = d.cells.first().and_then(|c| c.reason.clone());
            let same = previous.as_ref() == Some(&reason) && reason.is_some();
            previous = Some(reason);
            same
        })
        .collect();
    view! {
        <div class="table-wrap">
            <table class="agenda">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="agenda__day">"Jour"</th>
                        {units.iter().map(|u| view! {
                            <th scope="col">
                                {u.name.clone()}
                                {u.price_cents.map(|p| view! { <span class="agenda__price">{euros(p)}</span> })}
                            </th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {planning.days.into_iter().zip(repeated).map(|(day, repeated)| {
                        let date = day.date;
                        let long = day_fr(date);
                        let short = format!("{}. {}", &weekday_fr(date)[..3], date.day());
                        let weekend = date.weekday().num_days_from_monday() >= 5;
                        let header = view! {
                            <th scope="row" class="agenda__day">
                                <span aria-hidden="true">{short}</span>
                                <span class="visually-hidden">{long.clone()}</span>
                            </th>
                        };
                        // A day where no unit can change and all say the same: one cell.
                        let first = day.cells.first().cloned();
                        let uniform = first.as_ref().is_some_and(|f| day.cells.iter().all(|c| {
                            !c.can_book && !c.can_cancel && !c.can_wait && c.state == f.state && c.reason == f.reason
                                && !matches!(c.state, CellState::Booked | CellState::Requested | CellState::Declined | CellState::Waiting)
                        }));
                        if let (true, Some(f)) = (uniform, first) {
                            let quiet = matches!(f.state, CellState::Closed | CellState::OutOfPeriod);
                            // A reason is written once for a run of days that share it.
                            let reason = (!quiet && !repeated && f.state != CellState::CutoffPassed && f.state != CellState::Full).then_some(f.reason).flatten();
                            return view! {
                                <tr class="agenda__row agenda__row--quiet" class:agenda__row--weekend=weekend>
                                    {header}
                                    <td colspan=columns class=format!("slot slot--{}", f.state.as_str())>
                                        <span class="slot__state">{f.state.label_fr()}</span>
                                        {reason.map(|r| view! { <span class="slot__reason">{r}</span> })}
                                    </td>
                                </tr>
                            }.into_any();
                        }
                        let cells = day.cells.into_iter().map(|cell| {
                            let unit = units.iter().find(|u| u.id == cell.unit_id).cloned();
                            let (unit_name, price, overlaps) = unit.map_or((String::new(), None, Vec::new()), |u| (u.name, u.price_cents, u.overlaps));
                            view! { <Cell cell=cell date=date day_name=long.clone() child_id=child_id unit_name=unit_name price=price overlaps=overlaps child_name=child_name.clone() request_mode=request_mode recap=recap key=key /> }
                        }).collect_view();
                        view! {
                            <tr class="agenda__row" class:agenda__row--weekend=weekend>
                                {header}
                                {cells}
                            </tr>
                        }.into_any()
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The grid's waiting-list actions: read the grid again, or say why not.
#[derive(Clone, Copy)]
struct Waiting {
    version: RwSignal<u32>,
    error: RwSignal<Option<String>>,
}

/// Joins (`join`) or leaves a day's waiting list, then reads the grid again.
fn wait(child_id: Uuid, unit_id: Uuid, date: NaiveDate, join: bool) {
    let session = use_family_session();
    let Waiting { version, error } = expect_context::<Waiting>();
    let request = portail_domain::api::WaitingListRequest {
        child_id,
        unit_id,
        date,
    };
    leptos::task::spawn_local(async move {
        let done = api::waiting_list(session, &request, join).await;
        error.set(done.err().map(|e| e.message()));
        version.update(|v| *v += 1);
    });
}

#[component]
#[expect(clippy::too_many_arguments, reason = "a component's props")]
fn Cell(
    cell: PlanningCell,
    date: NaiveDate,
    day_name: String,
    child_id: Uuid,
    unit_name: String,
    price: Option<i64>,
    // The units a child cannot hold the same day as this one.
    overlaps: Vec<Uuid>,
    child_name: String,
    request_mode: bool,
    recap: RwSignal<Recap>,
    key: RwSignal<Option<String>>,
) -> impl IntoView {
    let active = matches!(cell.state, CellState::Booked | CellState::Requested);
    let state_text = match (cell.state, cell.places_left) {
        (CellState::Free, Some(1)) => "1 place".to_owned(),
        (CellState::Free, Some(n)) => format!("{n} places"),
        (CellState::OutOfPeriod, _) => "—".to_owned(),
        (state, _) => state.label_fr().to_owned(),
    };
    let interactive = (active && cell.can_cancel) || (!active && cell.can_book);
    let unit_id = cell.unit_id;
    let state_class = format!("slot slot--{}", cell.state.as_str());
    // Said before the state, so that each box is named by its unit and day.
    let spoken = format!("{unit_name}, {day_name} : ");
    let waiting = cell.state == CellState::Waiting;
    if !interactive {
        let reason = match cell.state {
            CellState::NotBookable | CellState::Declined | CellState::Waiting => {
                cell.reason.clone()
            }
            _ => None,
        };
        // A full day of a service with a waiting list: join it; on it: leave it.
        let action = (cell.can_wait || waiting).then(|| {
            let (text, join) = if waiting {
                ("Quitter la liste", false)
            } else {
                ("Liste d'attente", true)
            };
            view! {
                <button type="button" class="slot__wait" aria-label=format!("{text} : {spoken}")
                    on:click=move |_| wait(child_id, unit_id, date, join)>{text}</button>
            }
        });
        return view! {
            <td class=state_class>
                <span class="visually-hidden">{spoken.clone()}</span>
                <span class="slot__state">{state_text}</span>
                {reason.map(|r| view! { <span class="slot__reason">{r}</span> })}
                {action}
            </td>
        }
        .into_any();
    }
    // A declined wish's reason, or the place kept for a waiting child until when.
    let declined_reason = matches!(cell.state, CellState::Declined | CellState::Waiting)
        .then(|| cell.reason.clone())
        .flatten();
    let id = format!("case-{unit_id}-{date}");
    let ticked = move || recap.with(|r| r.ticked(child_id, unit_id, date, active));
    // Greyed while an overlapping unit of the same day is ticked in the recap.
    let overlaps = StoredValue::new(overlaps);
    let blocked =
        move || !active && overlaps.with_value(|o| recap.with(|r| r.adds_any(child_id, o, date)));
    let changed = move || ticked() != active;
    let label = format!("{unit_name} — {child_name}");
    let on_change = move |ev: leptos::ev::Event| {
        let wanted = event_target_checked(&ev);
        let change = RecapLine::tick(
            child_id,
            unit_id,
            date,
            wanted,
            label.clone(),
            price,
            request_mode,
        );
        recap.update(|r| r.set(change, active));
        key.set(None);
    };
    let pending = move || {
        changed().then(|| match (ticked(), request_mode) {
            (true, true) => "souhait à valider",
            (true, false) => "à valider",
            (false, _) => "annulation à valider",
        })
    };
    view! {
        <td class=state_class class:slot--changed=changed>
            <label class="slot__label">
                <input type="checkbox" id=id class="slot__box" prop:checked=ticked on:change=on_change
                    prop:disabled=move || blocked() && !ticked() />
                <span class="visually-hidden">{spoken}</span>
                <span class="slot__state">{state_text}</span>
                {move || (blocked() && !ticked()).then(|| view! { <span class="slot__reason">"Même horaire"<span class="visually-hidden">" qu'une case cochée"</span></span> })}
                {move || pending().map(|p| view! { <span class="slot__pending">{p}</span> })}
                {declined_reason.map(|r| view! { <span class="slot__reason">{if waiting { r } else { format!("Motif : {r}") }}</span> })}
            </label>
        </td>
    }
    .into_any()
}

#[component]
fn Answer(result: Result<BookingBatchResponse, String>, names: Names) -> impl IntoView {
    match result {
        Err(message) => view! {
            <Alert kind=AlertKind::Error title="Le récapitulatif n'a pas été envoyé">
                <p>{message}</p>
                <p>"Vos changements sont toujours là : «\u{a0}Valider\u{a0}» les renvoie, sans risque de doublon."</p>
            </Alert>
        }
        .into_any(),
        Ok(response) => {
            let refused: Vec<_> = response
                .results
                .iter()
                .filter(|r| r.outcome == LineOutcome::Refused)
                .cloned()
                .collect();
            let done = response.accepted;
            // Crèche wishes are sent to the structure, which answers: not « enregistrés ».
            let wishes = response
                .results
                .iter()
                .filter(|r| r.outcome == LineOutcome::Requested)
                .count() as u64;
            let changes = u64::from(done).saturating_sub(wishes);
            let mut parts = Vec::new();
            if changes > 0 {
                parts.push(format!(
                    "{} {}",
                    count(changes, "changement", "changements"),
                    agree(changes, "enregistré", "enregistrés")
                ));
            }
            if wishes > 0 {
                parts.push(format!(
                    "{} à la structure, qui vous répondra par e-mail",
                    count(wishes, "souhait envoyé", "souhaits envoyés")
                ));
            }
            let summary = if parts.is_empty() {
                "Aucun changement n'a été enregistré.".to_owned()
            } else {
                format!("{}. Un e-mail de confirmation vous est envoyé.", capitalized(&parts.join(" ; ")))
            };
            view! {
                {(done > 0).then(|| view! { <Alert kind=AlertKind::Success><p>{summary.clone()}</p></Alert> })}
                {(!refused.is_empty()).then(|| view! {
                    <Alert kind=AlertKind::Warning title=if refused.len() == 1 { "1 ligne refusée".to_owned() } else { format!("{} lignes refusées", refused.len()) }>
                        <ul>
                            {refused.into_iter().map(|r| {
                                let (_, unit_name) = names.unit(r.line.unit_id);
                                view! { <li>{format!("{} — {} — {} : {}", date_fr(r.line.date), unit_name, names.child(r.line.child_id), r.reason.unwrap_or_default())}</li> }
                            }).collect_view()}
                        </ul>
                    </Alert>
                })}
            }
            .into_any()
        }
    }
}

#[component]
fn Upcoming(items: Vec<BookingResponse>, names: Names) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted">"Aucune réservation à venir."</p> }.into_any();
    }
    view! {
        <ul class="list-plain">
            {items.into_iter().map(|b| {
                let badge = match b.status {
                    BookingStatus::Booked => "badge badge--ok",
                    BookingStatus::Requested => "badge badge--info",
                    BookingStatus::Declined | BookingStatus::Cancelled => "badge badge--error",
                };
                view! {
                    <li class="item">
                        <div class="item__main">
                            <span class="item__title">{format!("{} — {}", capitalized(&date_fr(b.date)), b.child_first_name)}</span>
                            <span class="item__meta">{format!("{} · {}", names.services.iter().find(|s| s.code == b.service).map(|s| s.name.as_str()).unwrap_or_default(), b.unit_name)}</span>
                            <span class=badge>{b.status.label_fr()}</span>
                            {b.decline_reason.map(|r| view! { <span class="item__meta">{format!("Motif : {r}")}</span> })}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
