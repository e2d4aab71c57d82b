//! « Réserver chaque semaine »: a typical week (the units wanted each weekday) for one child
//! and one service, over the open period or chosen dates; a preview lists every date and what
//! it would become (and why a date is refused), then one click sends it all. Part of the
//! registration bundle (set up a few times a year): app::inscription.

use leptos::prelude::*;
use portail_domain::api::{
    BookableService, ChildResponse, LineAction, PatternOutcome, SavedWeekPattern, WeekPatternDay,
    WeekPatternRequest, WeekPatternResponse, WeekdayCode,
};
use portail_domain::format::date_fr;
use portail_domain::parse::FieldErrors;
use uuid::Uuid;

use crate::api::{self, use_family_session};
use crate::components::{
    Alert, AlertKind, Button, ButtonVariant, Checkbox, ErrorAlert, Loaded, RadioGroup, SelectField,
    TextField, Title,
};
use crate::dom;

const WEEKDAYS: [WeekdayCode; 5] = [
    WeekdayCode::Monday,
    WeekdayCode::Tuesday,
    WeekdayCode::Wednesday,
    WeekdayCode::Thursday,
    WeekdayCode::Friday,
];

#[component]
pub fn WeekPattern() -> impl IntoView {
    let session = use_family_session();
    let setup = LocalResource::new(move || async move {
        let children = api::list_children(session).await?.items;
        let services = api::list_services().await?.items;
        let kept = api::list_week_patterns(session).await?.items;
        Ok::<_, api::ApiError>((children, services, kept))
    });
    view! {
        <Title text="Réserver chaque semaine — Portail Famille" />
        <p><a href="/mon-planning">"← Mon planning"</a></p>
        <h1>"Réserver chaque semaine"</h1>
        <p>"Choisissez les jours de la semaine et les prestations voulues : elles sont réservées (ou annulées) chaque semaine de la période. Un aperçu liste chaque date avant l'envoi, et dit pourquoi une date ne peut pas l'être (fermeture, vacances, délai dépassé, complet)."</p>
        <Loaded resource=setup render=move |(children, services, kept)| view! { <PatternForm children=children services=services kept=kept /> }.into_any() />
    }
}

/// One box per weekday and unit of every service: (service, weekday, unit id, ticked).
type Ticks = StoredValue<Vec<(String, WeekdayCode, Uuid, RwSignal<bool>)>>;

/// What the form says, its fields read at once.
#[derive(Clone, Copy)]
struct Fields {
    child: RwSignal<String>,
    service: RwSignal<String>,
    action: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    ticks: Ticks,
}

impl Fields {
    /// The first child and service chosen, to book, no box ticked, no dates (the open periods).
    fn new(children: &[ChildResponse], services: &[BookableService]) -> Self {
        let ticks: Ticks = StoredValue::new(
            services
                .iter()
                .flat_map(|s| {
                    WEEKDAYS.iter().flat_map(move |day| {
                        s.units.iter().map(move |u| {
                            (s.code.as_str().to_owned(), *day, u.id, RwSignal::new(false))
                        })
                    })
                })
                .collect(),
        );
        Self {
            child: RwSignal::new(
                children
                    .first()
                    .map(|c| c.id.to_string())
                    .unwrap_or_default(),
            ),
            service: RwSignal::new(
                services
                    .first()
                    .map(|s| s.code.as_str().to_owned())
                    .unwrap_or_default(),
            ),
            action: RwSignal::new("book".to_owned()),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            ticks,
        }
    }

    /// The request, or the fields' errors (a malformed date; the pattern's shape once both
    /// dates are given: the server checks the rest).
    fn request(&self) -> Result<WeekPatternRequest, FieldErrors> {
        let mut e = FieldErrors::default();
        // A date left empty is the open period's; one typed wrong is said by its field.
        let date = |e: &mut FieldErrors, field: &str, raw: String| {
            let raw = raw.trim().to_owned();
            if raw.is_empty() {
                return None;
            }
            let parsed = portail_domain::api::wire::parse_date(&raw);
            if parsed.is_none() {
                e.push(
                    field,
                    portail_domain::parse::InvalidValue::new("invalid_value", "Indiquez une date."),
                );
            }
            parsed
        };
        let from = date(&mut e, "from", self.from.get_untracked());
        let to = date(&mut e, "to", self.to.get_untracked());
        let code = self.service.get_untracked();
        let days = self.ticks.with_value(|ticks| {
            WEEKDAYS
                .iter()
                .map(|day| WeekPatternDay {
                    weekday: *day,
                    unit_ids: ticks
                        .iter()
                        .filter(|(s, d, _, on)| *s == code && d == day && on.get_untracked())
                        .map(|(_, _, unit, _)| *unit)
                        .collect(),
                })
                .filter(|d| !d.unit_ids.is_empty())
                .collect::<Vec<_>>()
        });
        let request = WeekPatternRequest {
            child_id: Uuid::parse_str(&self.child.get_untracked()).unwrap_or_default(),
            service: portail_domain::ServiceCode::parse(&code)
                .unwrap_or(portail_domain::ServiceCode::Restauration),
            action: LineAction::parse(&self.action.get_untracked()).unwrap_or(LineAction::Book),
            from,
            to,
            days,
        };
        if request.from.is_some() && request.to.is_some() {
            if let Err(more) = portail_domain::rules::planning::week_pattern::check(&request) {
                e.extend(more);
            }
        } else if request.days.is_empty() {
            e.push(
                "days",
                portail_domain::parse::InvalidValue::new(
                    "required",
                    "Choisissez au moins un jour et une prestation.",
                ),
            );
        }
        e.into_result(request)
    }

    /// The child's kept week for this service, if any, ticked again (to apply it to the next
    /// period): the sentence that says so, or `None`.
    fn reuse(&self, kept: Vec<SavedWeekPattern>) -> RwSignal<Option<String>> {
        let reused = RwSignal::new(None::<String>);
        let (child, service, ticks) = (self.child, self.service, self.ticks);
        Effect::new(move |_| {
            let (child, code) = (child.get(), service.get());
            let found = kept
                .iter()
                .find(|k| k.child_id.to_string() == child && k.service.as_str() == code);
            reused.set(found.map(|k| {
                format!(
                    "Votre semaine type (envoyée le {}) est reprise : modifiez-la si besoin.",
                    dom::local_date(k.updated_at)
                )
            }));
            if let Some(found) = found {
                ticks.with_value(|t| {
                    for (s, day, unit, on) in t {
                        on.set(
                            *s == code
                                && found
                                    .days
                                    .iter()
                                    .any(|d| d.weekday == *day && d.unit_ids.contains(unit)),
                        );
                    }
                });
            }
        });
        reused
    }

    /// Any change of the pattern makes a preview stale.
    fn track(&self) {
        self.child.track();
        self.service.track();
        self.action.track();
        self.from.track();
        self.to.track();
        self.ticks
            .with_value(|t| t.iter().for_each(|(_, _, _, on)| on.track()));
    }
}

#[component]
fn PatternForm(
    children: Vec<ChildResponse>,
    services: Vec<BookableService>,
    /// « Ma semaine type »: the last week sent for each child and service, ticked again.
    kept: Vec<SavedWeekPattern>,
) -> impl IntoView {
    let session = use_family_session();
    let fields = Fields::new(&children, &services);
    let ticks = fields.ticks;
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<api::ApiError>);
    let preview = RwSignal::new(None::<WeekPatternResponse>);
    let sent = RwSignal::new(None::<WeekPatternResponse>);
    let busy = RwSignal::new(false);
    let key = StoredValue::new(dom::random_key());
    let names = StoredValue::new(services.clone());
    let ask = move |send: bool| {
        failure.set(None);
        let request = match fields.request() {
            Ok(request) => request,
            Err(e) => {
                errors.set(e);
                dom::focus_first_invalid();
                return;
            }
        };
        errors.set(FieldErrors::default());
        crate::task::spawn_busy(busy, async move {
            let answer = if send {
                api::submit_week_pattern(session, &request, &key.get_value()).await
            } else {
                api::preview_week_pattern(session, &request).await
            };
            match answer {
                Ok(answer) => {
                    if send {
                        key.set_value(dom::random_key());
                    }
                    preview.set((!send).then(|| answer.clone()));
                    sent.set(send.then_some(answer));
                    dom::focus_id("semaine-resultat");
                }
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let reused = fields.reuse(kept);
    Effect::new(move |_| {
        fields.track();
        preview.set(None);
    });
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    let child_options: Vec<(String, String)> = children
        .iter()
        .map(|c| (c.id.to_string(), c.details.first_name.clone()))
        .collect();
    let service_options: Vec<(String, String)> = services
        .iter()
        .map(|s| (s.code.as_str().to_owned(), s.name.clone()))
        .collect();
    view! {
        <form class="card stack" novalidate on:submit=move |ev| { ev.prevent_default(); ask(false); }>
            <SelectField id="child" label="Pour quel enfant ?" options=child_options value=fields.child />
            <SelectField id="service" label="Service" options=service_options value=fields.service />
            {move || reused.get().map(|m| view! { <p class="fine-print">{m}</p> })}
            <RadioGroup id="action" legend="Je veux" options=vec![("book", "réserver ces jours"), ("cancel", "annuler ces jours")] value=fields.action />
            <WeekdayBoxes service=fields.service ticks=ticks names=names errors=errors />
            <TextField id="from" label="Du (facultatif)" input_type="date" value=fields.from error=error("from")
                hint="Laissé vide : à partir d'aujourd'hui." />
            <TextField id="to" label="Au (facultatif)" input_type="date" value=fields.to error=error("to")
                hint="Laissé vide : jusqu'à la fin des périodes ouvertes aux réservations." />
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
            <div class="btn-row">
                <Button submit=true busy=busy variant=ButtonVariant::Secondary>"Voir l'aperçu"</Button>
            </div>
        </form>
        <div id="semaine-resultat" tabindex="-1" role="status">
            {move || preview.get().map(|p| view! { <Preview answer=p names=names busy=busy on_send=Callback::new(move |()| ask(true)) /> })}
            {move || sent.get().map(|a| view! { <Sent answer=a names=names /> })}
        </div>
    }
}

/// Each weekday's boxes, one per unit of the chosen service.
#[component]
fn WeekdayBoxes(
    service: RwSignal<String>,
    ticks: Ticks,
    names: StoredValue<Vec<BookableService>>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    view! {
        <fieldset class="field stack" class:field--invalid=move || errors.with(|e| e.message_for("days").is_some())>
            <legend class="field__label">"Chaque semaine, les jours et prestations"</legend>
            {move || {
                let code = service.get();
                WEEKDAYS.iter().map(|day| {
                    let boxes: Vec<_> = ticks.with_value(|t| t.iter()
                        .filter(|(s, d, _, _)| *s == code && d == day)
                        .map(|(_, _, unit, on)| (*unit, *on))
                        .collect());
                    let label = day.label_fr();
                    view! {
                        // The crèche form's day rows (no style of its own: the parents'
                        // first load carries the stylesheet).
                        <div class="schedule__day">
                            <strong>{capitalized(label)}</strong>
                            {boxes.into_iter().map(|(unit, on)| {
                                let name = names.with_value(|s| unit_name(s, unit));
                                view! { <Checkbox id=format!("jour-{}-{unit}", day.as_str()) checked=on>{name}<span class="visually-hidden">{format!(" ({label})")}</span></Checkbox> }
                            }).collect_view()}
                        </div>
                    }
                }).collect_view()
            }}
            {move || errors.with(|e| e.message_for("days")).map(|m| view! { <span class="field__error">{m}</span> })}
        </fieldset>
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn unit_name(services: &[BookableService], id: Uuid) -> String {
    services
        .iter()
        .flat_map(|s| s.units.iter())
        .find(|u| u.id == id)
        .map(|u| u.name.clone())
        .unwrap_or_default()
}

/// The dates refused (or already so), each with its reason: what the parent reads first.
#[component]
fn Exceptions(
    answer: WeekPatternResponse,
    names: StoredValue<Vec<BookableService>>,
) -> impl IntoView {
    let odd: Vec<_> = answer
        .lines
        .into_iter()
        .filter(|l| {
            matches!(
                l.outcome,
                PatternOutcome::Refused | PatternOutcome::Unchanged
            )
        })
        .collect();
    (!odd.is_empty()).then(|| {
        view! {
            <ul class="stack">
                {odd.into_iter().map(|l| {
                    let unit = names.with_value(|s| unit_name(s, l.unit_id));
                    view! { <li>{format!("{} — {unit} : {} — {}", date_fr(l.date), l.outcome.label_fr(), l.reason.unwrap_or_default())}</li> }
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn Preview(
    answer: WeekPatternResponse,
    names: StoredValue<Vec<BookableService>>,
    busy: RwSignal<bool>,
    on_send: Callback<()>,
) -> impl IntoView {
    let nothing = answer.changed == 0;
    let title = format!(
        "Aperçu du {} au {}",
        date_fr(answer.from),
        date_fr(answer.to)
    );
    view! {
        <section class="card stack" aria-labelledby="apercu">
            <h2 id="apercu">{title}</h2>
            <p><strong>{answer.summary.clone()}</strong>" (rien n'est encore enregistré)."</p>
            <Exceptions answer=answer names=names />
            {if nothing {
                view! { <p>"Rien à envoyer pour ces dates."</p> }.into_any()
            } else {
                view! { <Button busy=busy on_click=Callback::new(move |_| on_send.run(()))>"Envoyer"</Button> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Sent(answer: WeekPatternResponse, names: StoredValue<Vec<BookableService>>) -> impl IntoView {
    let kind = if answer.refused > 0 {
        AlertKind::Warning
    } else {
        AlertKind::Success
    };
    view! {
        <Alert kind=kind title="C'est envoyé">
            <p>{answer.summary.clone()}"."</p>
            <Exceptions answer=answer names=names />
            <p><a href="/mon-planning">"Voir Mon planning"</a></p>
        </Alert>
    }
}
