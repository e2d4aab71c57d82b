//! « Tarifs » (staff): each unit's dated tariffs — prices by quotient familial bracket, the
//! non-resident price, the sibling reduction, the meal taken without booking. A new price
//! from a council decision is a new tariff from its date: old months keep their prices.

use crate::components::Title;
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::{BracketBody, SiblingBody, SiblingKind, TariffRequest, TariffResponse};
use portail_domain::format::{euros, numeric_date};
use portail_domain::parse::{FieldErrors, InvalidValue, parse_euros};
use uuid::Uuid;

use super::planning::service_options;
use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Loaded, Outcome, SelectField, Submit, TextField};
use crate::dom;

/// Four brackets at most on this form (the API takes up to 20).
const ROWS: usize = 4;

fn plain_euros(cents: i64) -> String {
    euros(cents)
        .replace('\u{a0}', "")
        .trim_end_matches('€')
        .to_owned()
}

#[component]
pub fn StaffTariffs() -> impl IntoView {
    let session = use_staff_session();
    let version = RwSignal::new(0_u32);
    let editing = RwSignal::new(None::<TariffResponse>);
    let list = LocalResource::new(move || {
        version.track();
        api::list_tariffs(session)
    });
    view! {
        <Title text="Tarifs — Espace du personnel" />
        <p><a href="/admin/facturation">"← Facturation"</a></p>
        <h1>"Tarifs"</h1>
        <Loaded resource=list render=move |value| match value {
                list if list.items.is_empty() => view! { <p class="muted">"Aucun tarif pour vos services."</p> }.into_any(),
                list => view! {
                    <div class="table-wrap"><table class="table table--stack">
                        <thead><tr>
                            <th scope="col">"Prestation"</th>
                            <th scope="col">"Validité"</th>
                            <th scope="col">"Tranches de quotient familial"</th>
                            <th scope="col">"Autres prix"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|t| {
                                let brackets: Vec<String> = t.tariff.brackets.iter().map(|b| match b.up_to {
                                    Some(up_to) => format!("jusqu'à {up_to} : {}", euros(b.price_cents)),
                                    None => format!("au-delà : {}", euros(b.price_cents)),
                                }).collect();
                                let mut others = Vec::new();
                                if let Some(p) = t.tariff.non_resident_cents { others.push(format!("hors commune {}", euros(p))); }
                                if let Some(p) = t.tariff.unbooked_cents { others.push(format!("sans réservation {}", euros(p))); }
                                match t.tariff.sibling {
                                    Some(SiblingBody { kind: SiblingKind::PercentOff, value }) => others.push(format!("fratrie −{value} %")),
                                    Some(SiblingBody { kind: SiblingKind::Fixed, value }) => others.push(format!("fratrie {}", euros(value))),
                                    None => {}
                                }
                                let validity = match t.tariff.valid_to {
                                    Some(end) => format!("du {} au {}", numeric_date(t.tariff.valid_from), numeric_date(end)),
                                    None => format!("depuis le {}", numeric_date(t.tariff.valid_from)),
                                };
                                let name = format!("{} — {}", t.service.label_fr(), t.unit_name);
                                let edit = t.clone();
                                view! {
                                    <tr>
                                        <th scope="row">{name.clone()}</th>
                                        <td data-label="Validité">{validity}</td>
                                        <td data-label="Tranches">{brackets.join(" · ")}</td>
                                        <td data-label="Autres prix">{others.join(" · ")}</td>
                                        <td><button type="button" class="btn btn--secondary btn--small" on:click=move |_| { editing.set(Some(edit.clone())); dom::focus_id("tarif-titre"); }>"Modifier" <span class="visually-hidden">{format!(" le tarif {name}")}</span></button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any(),
            } />
        {move || view! { <TariffForm editing=editing.get() version=version /> }}
    }
}

#[component]
fn TariffForm(editing: Option<TariffResponse>, version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let id = editing.as_ref().map(|t| t.id);
    let start = editing.as_ref().map(|t| t.tariff.clone());
    let service = RwSignal::new(
        editing
            .as_ref()
            .map_or(ServiceCode::Restauration, |t| t.service)
            .as_str()
            .to_owned(),
    );
    let unit = RwSignal::new(
        start
            .as_ref()
            .map(|t| t.unit_id.to_string())
            .unwrap_or_default(),
    );
    let from = RwSignal::new(
        start
            .as_ref()
            .map(|t| t.valid_from.to_string())
            .unwrap_or_default(),
    );
    let to = RwSignal::new(
        start
            .as_ref()
            .and_then(|t| t.valid_to)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let brackets: Vec<(RwSignal<String>, RwSignal<String>)> = (0..ROWS)
        .map(|i| {
            let b = start.as_ref().and_then(|t| t.brackets.get(i));
            (
                RwSignal::new(
                    b.and_then(|b| b.up_to)
                        .map(|q| q.to_string())
                        .unwrap_or_default(),
                ),
                RwSignal::new(b.map(|b| plain_euros(b.price_cents)).unwrap_or_default()),
            )
        })
        .collect();
    let brackets = StoredValue::new(brackets);
    let money = |value: Option<i64>| RwSignal::new(value.map(plain_euros).unwrap_or_default());
    let non_resident = money(start.as_ref().and_then(|t| t.non_resident_cents));
    let unbooked = money(start.as_ref().and_then(|t| t.unbooked_cents));
    let sibling = RwSignal::new(match start.as_ref().and_then(|t| t.sibling) {
        Some(SiblingBody {
            kind: SiblingKind::PercentOff,
            value,
        }) => value.to_string(),
        _ => String::new(),
    });
    let errors = RwSignal::new(FieldErrors::default());
    let err = move |field: &'static str| Signal::derive(move || errors.get().message_for(field));
    let sending = Submit::bumping(version);
    let units = LocalResource::new(move || {
        let code = ServiceCode::parse(&service.get()).unwrap_or(ServiceCode::Restauration);
        async move { api::list_units(session, code).await }
    });
    let unit_options = move || {
        units
            .get()
            .and_then(Result::ok)
            .map(|l| {
                l.items
                    .into_iter()
                    .map(|u| (u.id.to_string(), u.unit.name))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::default();
        let amount = |e: &mut FieldErrors, field: &str, text: String| -> Option<i64> {
            if text.trim().is_empty() {
                return None;
            }
            e.check(field, parse_euros(&text))
        };
        let mut rows = Vec::new();
        for (i, (up_to, price)) in brackets.get_value().into_iter().enumerate() {
            let (up_to, price) = (up_to.get_untracked(), price.get_untracked());
            if price.trim().is_empty() {
                continue;
            }
            let bound = if up_to.trim().is_empty() {
                None
            } else {
                e.check(
                    &format!("bracket-{i}-qf"),
                    up_to.trim().parse::<u32>().map_err(|_| {
                        InvalidValue::new("invalid_format", "Un quotient familial en chiffres.")
                    }),
                )
            };
            if let Some(price) = amount(&mut e, &format!("bracket-{i}-price"), price) {
                rows.push(BracketBody {
                    up_to: bound,
                    price_cents: price,
                });
            }
        }
        let unit_id = Uuid::parse_str(&unit.get_untracked()).ok();
        if unit_id.is_none() {
            e.push(
                "unit",
                InvalidValue::new("required", "Choisissez la prestation."),
            );
        }
        let valid_from = from.get_untracked().parse().ok();
        if valid_from.is_none() {
            e.push(
                "valid_from",
                InvalidValue::new("required", "Indiquez le premier jour du tarif."),
            );
        }
        let non_resident_cents = amount(&mut e, "non_resident_cents", non_resident.get_untracked());
        let unbooked_cents = amount(&mut e, "unbooked_cents", unbooked.get_untracked());
        let sibling = match sibling.get_untracked().trim() {
            "" => None,
            text => e
                .check(
                    "sibling",
                    text.parse::<i64>().map_err(|_| {
                        InvalidValue::new("invalid_format", "Un pourcentage, de 0 à 100.")
                    }),
                )
                .map(|value| SiblingBody {
                    kind: SiblingKind::PercentOff,
                    value,
                }),
        };
        let (Some(unit_id), Some(valid_from)) = (unit_id, valid_from) else {
            errors.set(e);
            dom::focus_first_invalid();
            return;
        };
        let request = TariffRequest {
            unit_id,
            valid_from,
            valid_to: to.get_untracked().parse().ok(),
            brackets: rows,
            non_resident_cents,
            sibling,
            unbooked_cents,
        };
        // The domain's own checks (brackets in order, prices, dates), as the server runs them.
        if let Err(more) = request.validate() {
            e.extend(more);
        }
        let ok = e.is_empty();
        errors.set(e);
        if !ok {
            dom::focus_first_invalid();
            return;
        }
        sending.run(
            async move { api::save_tariff(session, id, &request).await },
            |saved| {
                format!(
                    "Le tarif de «\u{a0}{}\u{a0}» est enregistré.",
                    saved.unit_name
                )
            },
        );
    };
    view! {
        <form class="card section stack" on:submit=submit novalidate=true aria-labelledby="tarif-titre">
            <h2 id="tarif-titre" tabindex="-1">{if id.is_some() { "Modifier le tarif" } else { "Nouveau tarif" }}</h2>
            <div class="grid-2">
                <SelectField id="tarif-service" label="Service" options=service_options() value=service />
                {move || view! { <SelectField id="tarif-unit" label="Prestation" options=unit_options() value=unit error=err("unit") /> }}
                <TextField id="tarif-from" label="Valable à partir du" input_type="date" value=from required=true error=err("valid_from") />
                <TextField id="tarif-to" label="Jusqu'au (facultatif)" input_type="date" value=to error=err("valid_to") />
            </div>
            <fieldset class="stack">
                <legend>"Prix par tranche de quotient familial (la dernière tranche sans plafond)"</legend>
                {move || err("brackets").get().map(|m| view! { <p class="field__error">{m}</p> })}
                {brackets.get_value().into_iter().enumerate().map(|(i, (up_to, price))| view! {
                    <div class="grid-2">
                        <TextField id=format!("bracket-{i}-qf") label=format!("Tranche {} : quotient jusqu'à", i + 1) value=up_to inputmode="numeric" error=err_owned(errors, format!("bracket-{i}-qf")) />
                        <TextField id=format!("bracket-{i}-price") label=format!("Tranche {} : prix (€)", i + 1) value=price inputmode="decimal" error=err_owned(errors, format!("bracket-{i}-price")) />
                    </div>
                }).collect_view()}
            </fieldset>
            <div class="grid-2">
                <TextField id="tarif-hors-commune" label="Prix hors commune (€, facultatif)" value=non_resident inputmode="decimal" error=err("non_resident_cents") />
                <TextField id="tarif-sans-reservation" label="Prix sans réservation (€, facultatif)" value=unbooked inputmode="decimal" error=err("unbooked_cents") />
                <TextField id="tarif-fratrie" label="Réduction fratrie (%, à partir du 2e enfant)" value=sibling inputmode="numeric" error=err("sibling") />
            </div>
            {move || err("price_cents").get().map(|m| view! { <Alert kind=AlertKind::Error><p>{m}</p></Alert> })}
            <button type="submit" class="btn btn--primary" disabled=move || sending.busy.get()>"Enregistrer le tarif"</button>
            <Outcome said=sending.said />
        </form>
    }
}

fn err_owned(errors: RwSignal<FieldErrors>, field: String) -> Signal<Option<String>> {
    Signal::derive(move || errors.get().message_for(&field))
}
