//! The month grid: month navigation, legend, one cell per day and unit (book, cancel, wait).

use chrono::{Datelike as _, Months, NaiveDate};
use leptos::prelude::*;
use portail_domain::api::{CellState, PlanningCell, PlanningResponse};
use portail_domain::format::{day_fr, de, euros, month_fr, weekday_fr};
use portail_domain::rules::planning::BookingMode;
use portail_domain::rules::planning::recap::{Recap, RecapLine};
use uuid::Uuid;

use super::*;
use crate::api::{self, use_family_session};

/// The month shown, with « ‹ précédent » and « suivant › ».
#[component]
pub(super) fn MonthNav(month: RwSignal<NaiveDate>) -> impl IntoView {
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

pub(super) fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[component]
pub(super) fn Legend() -> impl IntoView {
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
pub(super) fn Grid(
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
        || format!("Planning {}", de(&child_name)),
        |d| {
            format!(
                "Planning {}, {} {}",
                de(&child_name),
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
                        let short = format!("{}. {}", &weekday_fr(date)[..3], portail_domain::format::day_of_month_fr(date));
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
pub(super) struct Waiting {
    pub(super) version: RwSignal<u32>,
    pub(super) error: RwSignal<Option<String>>,
}

/// Joins (`join`) or leaves a day's waiting list, then reads the grid again.
pub(super) fn wait(child_id: Uuid, unit_id: Uuid, date: NaiveDate, join: bool) {
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
pub(super) fn Cell(
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
        (CellState::Free, Some(n)) => portail_domain::format::count(n, "place", "places"),
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
