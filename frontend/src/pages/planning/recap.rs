//! The recap panel (« Mon récapitulatif ») and the answer to a sent recap.

use leptos::prelude::*;
use portail_domain::api::{BookingBatchResponse, LineAction, LineOutcome};
use portail_domain::format::{agree, count, date_fr, euros};
use portail_domain::rules::planning::recap::Recap;

use super::*;
use crate::components::{Alert, AlertKind};

/// « État récapitulatif »: the changes ticked, what they cost, « Valider » and « Tout effacer »;
/// on a phone, a bar keeps it one tap away.
#[component]
pub(super) fn RecapPanel(
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

#[component]
pub(super) fn Answer(result: Result<BookingBatchResponse, String>, names: Names) -> impl IntoView {
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
                    <Alert kind=AlertKind::Warning title=format!("{} {}", portail_domain::format::count(refused.len() as u64, "ligne", "lignes"), portail_domain::format::agree(refused.len() as u64, "refusée", "refusées"))>
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
