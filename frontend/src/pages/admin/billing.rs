//! « Facturation » (staff): the monthly run (preview, then issue), the month's invoices with
//! their PDF, payments and cancellation by a credit note, and what is outstanding by age.

use crate::components::Title;
use chrono::Datelike as _;
use leptos::prelude::*;
use portail_domain::ServiceCode;
use portail_domain::api::{
    AllocationBody, InvoiceKind, InvoiceRunRequest, InvoiceRunResponse, InvoiceSummary,
    PaymentMethod, PaymentRequest,
};
use portail_domain::format::{count, de, euros, month_label, numeric_date};
use portail_domain::parse::parse_euros;
use portail_domain::rules::billing::invoice::InvoiceStatus;

use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Checkbox, ErrorAlert, Loaded, SelectField, TextField};
use crate::dom;

/// The month before today's, `AAAA-MM`: the one usually billed.
fn last_month() -> String {
    let today = dom::today();
    let first = today.with_day(1).unwrap_or(today);
    let previous = first.pred_opt().unwrap_or(first);
    format!("{:04}-{:02}", previous.year(), previous.month())
}

#[component]
pub fn StaffBilling() -> impl IntoView {
    let month = RwSignal::new(last_month());
    let version = RwSignal::new(0_u32);
    view! {
        <Title text="Facturation — Espace du personnel" />
        <h1>"Facturation"</h1>
        <p><a href="/admin/tarifs">"Les tarifs"</a></p>
        <InvoiceRun month=month version=version />
        <Invoices month=month version=version />
        <Outstanding version=version />
        <super::certificates::FiscalCertificates />
        <super::direct_debit::DirectDebits />
    }
}

#[component]
fn InvoiceRun(month: RwSignal<String>, version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let services = [
        (ServiceCode::Alja, RwSignal::new(true)),
        (ServiceCode::Restauration, RwSignal::new(true)),
        (ServiceCode::Creche, RwSignal::new(false)),
    ];
    let busy = RwSignal::new(false);
    let answer = RwSignal::new(None::<Result<InvoiceRunResponse, api::ApiError>>);
    // A month not over yet (today, or later): issuing it needs a confirmation naming its days.
    let confirm = RwSignal::new(false);
    let unfinished = move || {
        let month = month.get();
        portail_domain::rules::planning::calendar::month_bounds(&month).and_then(|(first, last)| {
            portail_domain::rules::billing::run::days_not_over(first, last, dom::today()).map(
                |(from, to)| {
                    portail_domain::rules::billing::run::unfinished_month_warning(&month, from, to)
                },
            )
        })
    };
    let request = move || InvoiceRunRequest {
        confirm_unfinished_month: confirm.get_untracked(),
        month: month.get_untracked(),
        services: services
            .iter()
            .filter(|(_, on)| on.get_untracked())
            .map(|(code, _)| *code)
            .collect(),
    };
    let run = move |issue: bool| {
        let request = request();
        crate::task::spawn_busy(busy, async move {
            let result = api::invoice_run(session, &request, issue).await;
            if issue && result.is_ok() {
                version.update(|v| *v += 1);
            }
            answer.set(Some(result));
        });
    };
    view! {
        <section class="card section" aria-labelledby="passage">
            <h2 id="passage">"Émettre les factures d'un mois"</h2>
            <TextField id="run-month" label="Mois facturé" input_type="month" value=month required=true />
            <fieldset class="stack">
                <legend>"Services facturés"</legend>
                {services.into_iter().map(|(code, on)| view! {
                    <Checkbox id=format!("run-{}", code.as_str()) checked=on>{code.label_fr()}</Checkbox>
                }).collect_view()}
            </fieldset>
            {move || unfinished().map(|warning| view! {
                <Alert kind=AlertKind::Warning title="Ce mois n'est pas terminé">
                    <p>{warning}</p>
                    <Checkbox id="run-confirm-unfinished" checked=confirm>
                        "Je confirme l'émission d'un mois qui n'est pas terminé"
                    </Checkbox>
                </Alert>
            })}
            <p class="muted">"L'aperçu n'émet rien. Émettre une seconde fois n'émet que ce qui a changé depuis : une facture complémentaire ou un avoir."</p>
            <div class="btn-row">
                <button type="button" class="btn btn--secondary" on:click=move |_| run(false) disabled=move || busy.get()>"Aperçu"</button>
                <button type="button" class="btn btn--primary" on:click=move |_| run(true)
                    disabled=move || busy.get() || (unfinished().is_some() && !confirm.get())>"Émettre les factures"</button>
            </div>
            <div role="status">
                {move || answer.get().map(|result| match result {
                    Ok(run) => view! { <RunSummary run=run /> }.into_any(),
                    Err(error) => view! { <ErrorAlert error=error /> }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
fn RunSummary(run: InvoiceRunResponse) -> impl IntoView {
    let what = format!(
        "{}, {} : {} au total.",
        count(run.invoices_count, "facture", "factures"),
        count(run.credit_notes_count, "avoir", "avoirs"),
        euros(run.total_cents)
    );
    let title = if run.issued {
        format!("Émis pour {}", month_label(&run.month))
    } else {
        format!("Aperçu {} (rien n'est émis)", de(&month_label(&run.month)))
    };
    let nothing = run.invoices.is_empty();
    let kind = if run.problems.is_empty() {
        AlertKind::Success
    } else {
        AlertKind::Warning
    };
    view! {
        <Alert kind=kind title=title>
            <p>{if nothing { "Rien de nouveau à facturer pour ce mois.".to_owned() } else { what }}</p>
            {(!run.problems.is_empty()).then(|| view! {
                <p>"À corriger avant d'émettre :"</p>
                <ul>{run.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            })}
        </Alert>
        {(!nothing).then(|| view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Aperçu, famille par famille"><table class="table">
                <thead><tr>
                    <th scope="col">"Famille"</th>
                    <th scope="col">"Document"</th>
                    <th scope="col">"Lignes"</th>
                    <th scope="col">"Montant"</th>
                </tr></thead>
                <tbody>
                    {run.invoices.into_iter().map(|i| view! {
                        <tr>
                            <th scope="row">{i.family_name}</th>
                            <td>{format!("{}{}", if i.kind == InvoiceKind::CreditNote { "Avoir" } else { "Facture" }, i.number.map(|n| format!(" n°\u{a0}{n}")).unwrap_or_default())}</td>
                            <td>{i.lines.len()}</td>
                            <td>{euros(i.total_cents)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        })}
    }
}

#[component]
fn Invoices(month: RwSignal<String>, version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    // The last payment recorded here: its message and receipt stay while the list is read
    // again (the row that recorded it is redrawn, « Payée »).
    let recorded = RwSignal::new(None::<(String, uuid::Uuid)>);
    let download_receipt = move |_| {
        let Some((_, id)) = recorded.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(url) = session
                .blob_url(&format!("/api/v1/staff/payments/{id}/receipt"))
                .await
            {
                dom::save_as(&url, "recu.pdf");
            }
        });
    };
    let list = LocalResource::new(move || {
        version.track();
        let month = month.get();
        async move { api::list_invoices(session, &month).await }
    });
    view! {
        <section class="section" aria-labelledby="factures">
            <h2 id="factures">{move || format!("Factures {}", de(&month_label(&month.get())))}</h2>
            <div role="status">
                {move || recorded.get().map(|(message, _)| view! {
                    <Alert kind=AlertKind::Success>
                        <p>{message}</p>
                        <button type="button" class="btn btn--secondary btn--small" on:click=download_receipt>"Reçu (PDF)"</button>
                    </Alert>
                })}
            </div>
            <Loaded resource=list render=move |value| match value {
                    list if list.items.is_empty() => view! { <p class="muted">"Aucune facture émise pour ce mois."</p> }.into_any(),
                    list => view! {
                        <ul class="list-plain">
                            {list.items.into_iter().map(|i| view! { <InvoiceRow invoice=i version=version recorded=recorded /> }).collect_view()}
                        </ul>
                    }.into_any(),
                } />
        </section>
    }
}

#[component]
fn InvoiceRow(
    invoice: InvoiceSummary,
    version: RwSignal<u32>,
    recorded: RwSignal<Option<(String, uuid::Uuid)>>,
) -> impl IntoView {
    let session = use_staff_session();
    let id = invoice.id;
    let number = invoice.number.clone();
    let credit = invoice.kind == InvoiceKind::CreditNote;
    let open = invoice.remaining_cents > 0 && !credit;
    let cancellable = !credit && invoice.status != InvoiceStatus::Cancelled;
    let paying = RwSignal::new(false);
    let cancelling = RwSignal::new(false);
    let pdf = {
        let number = number.clone();
        move |_| {
            let number = number.clone();
            leptos::task::spawn_local(async move {
                if let Ok(url) = session
                    .blob_url(&format!("/api/v1/staff/invoices/{id}/pdf"))
                    .await
                {
                    dom::save_as(&url, &format!("facture-{number}.pdf"));
                }
            });
        }
    };
    let meta = if credit {
        format!(
            "Avoir · {} · réduit la facture n°\u{a0}{}",
            euros(invoice.total_cents),
            invoice.corrects_number.clone().unwrap_or_default()
        )
    } else {
        format!(
            "{} · reste dû {} · échéance le {}",
            euros(invoice.total_cents),
            euros(invoice.remaining_cents),
            numeric_date(invoice.due_on)
        )
    };
    view! {
        <li class="item">
            <div class="item__main">
                <span class="item__title">{format!("N°\u{a0}{} — {}", number, invoice.family_name)}</span>
                <span class="item__meta">{meta}</span>
                {(!credit).then(|| view! { <span class="badge badge--info">{invoice.status.label_fr()}</span> })}
            </div>
            <div class="btn-row">
                <button type="button" class="btn btn--secondary btn--small" on:click=pdf>"PDF" <span class="visually-hidden">{format!(" de la facture {number}")}</span></button>
                {open.then(|| view! { <button type="button" class="btn btn--secondary btn--small" aria-expanded=move || paying.get().to_string() on:click=move |_| paying.update(|p| *p = !*p)>"Enregistrer un paiement"</button> })}
                {cancellable.then(|| view! { <button type="button" class="btn btn--danger btn--small" aria-expanded=move || cancelling.get().to_string() on:click=move |_| cancelling.update(|c| *c = !*c)>"Annuler par un avoir"</button> })}
            </div>
            {move || paying.get().then(|| view! { <PaymentForm invoice=invoice.clone() version=version recorded=recorded /> })}
            {move || cancelling.get().then(|| view! { <CancelForm id=id version=version /> })}
        </li>
    }
}

#[component]
fn PaymentForm(
    invoice: InvoiceSummary,
    version: RwSignal<u32>,
    recorded: RwSignal<Option<(String, uuid::Uuid)>>,
) -> impl IntoView {
    let session = use_staff_session();
    let prefix = format!("paiement-{}", invoice.id);
    let method = RwSignal::new(PaymentMethod::Cheque.as_str().to_owned());
    let amount = RwSignal::new(
        euros(invoice.remaining_cents)
            .replace('\u{a0}', " ")
            .trim_end_matches(" €")
            .to_owned(),
    );
    let received = RwSignal::new(dom::today().to_string());
    let reference = RwSignal::new(String::new());
    let bank = RwSignal::new(String::new());
    let amount_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<api::ApiError>);
    let number = invoice.number.clone();
    let methods: Vec<(String, String)> = [
        PaymentMethod::Cheque,
        PaymentMethod::Cash,
        PaymentMethod::Cesu,
        PaymentMethod::Transfer,
        PaymentMethod::DirectDebit,
    ]
    .iter()
    .map(|m| (m.as_str().to_owned(), m.label_fr().to_owned()))
    .collect();
    let (family_id, invoice_id) = (invoice.family_id, invoice.id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let cents = match parse_euros(&amount.get_untracked()) {
            Ok(cents) if cents > 0 => cents,
            _ => {
                amount_error.set(Some(
                    "Saisissez un montant en euros, par exemple 12,50.".to_owned(),
                ));
                dom::focus_first_invalid();
                return;
            }
        };
        amount_error.set(None);
        let Ok(received_on) = received.get_untracked().parse() else {
            return;
        };
        let request = PaymentRequest {
            family_id,
            method: PaymentMethod::parse(&method.get_untracked()).unwrap_or(PaymentMethod::Cheque),
            amount_cents: cents,
            received_on,
            reference: reference.get_untracked(),
            bank: bank.get_untracked(),
            allocations: vec![AllocationBody {
                invoice_id,
                number: String::new(),
                amount_cents: cents,
            }],
        };
        let number = number.clone();
        failure.set(None);
        crate::task::spawn_busy(busy, async move {
            match api::record_payment(session, &request).await {
                Ok(p) => {
                    recorded.set(Some((
                        format!(
                            "Paiement de {amount} enregistré pour la facture n°\u{a0}{number}.",
                            amount = euros(p.amount_cents)
                        ),
                        p.id,
                    )));
                    version.update(|v| *v += 1);
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card stack" on:submit=submit novalidate=true>
            <div class="grid-2">
                <SelectField id=format!("{prefix}-moyen") label="Moyen de paiement" options=methods value=method />
                <TextField id=format!("{prefix}-montant") label="Montant (€)" value=amount required=true inputmode="decimal" error=amount_error />
                <TextField id=format!("{prefix}-date") label="Reçu le" input_type="date" value=received required=true />
                <TextField id=format!("{prefix}-reference") label="Numéro (chèque, virement…)" value=reference />
                <TextField id=format!("{prefix}-banque") label="Banque" value=bank />
            </div>
            <button type="submit" class="btn btn--primary" disabled=move || busy.get()>"Enregistrer le paiement"</button>
            {move || failure.get().map(|error| view! { <ErrorAlert error=error /> })}
        </form>
    }
}

#[component]
fn CancelForm(id: uuid::Uuid, version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<api::ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let reason = reason.get_untracked();
        crate::task::spawn_busy(busy, async move {
            match api::cancel_invoice(session, id, reason).await {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card stack" on:submit=submit novalidate=true>
            <TextField id=format!("annulation-{id}") label="Motif de l'annulation" value=reason required=true />
            <button type="submit" class="btn btn--danger" disabled=move || busy.get()>"Émettre l'avoir"</button>
            {move || error.get().map(|error| view! { <ErrorAlert error=error /> })}
        </form>
    }
}

#[component]
fn Outstanding(version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let list = LocalResource::new(move || {
        version.track();
        api::list_outstanding(session)
    });
    let export = move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(url) = session.blob_url("/api/v1/staff/outstanding.csv").await {
                dom::save_as(&url, &format!("restes-dus-{}.csv", dom::today()));
            }
        });
    };
    view! {
        <section class="section" aria-labelledby="restes">
            <h2 id="restes">"Restes dus"</h2>
            <Loaded resource=list render=move |list| view! {
                        <p>{format!(
                            "Jusqu'à 30 jours : {} · de 31 à 60 jours : {} · plus de 60 jours : {}",
                            euros(list.up_to_30_cents), euros(list.days_31_to_60_cents), euros(list.over_60_cents)
                        )}</p>
                        <button type="button" class="btn btn--secondary" on:click=export>"Exporter en CSV"</button>
                        {if list.items.is_empty() {
                            view! { <p class="muted">"Rien ne reste dû."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap" tabindex="0" role="region" aria-label="Restes dus"><table class="table">
                                    <thead><tr>
                                        <th scope="col">"Facture"</th>
                                        <th scope="col">"Famille"</th>
                                        <th scope="col">"Échéance"</th>
                                        <th scope="col">"Reste dû"</th>
                                        <th scope="col">"Retard"</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.items.into_iter().map(|r| view! {
                                            <tr>
                                                <th scope="row">{r.number}</th>
                                                <td>{r.family_name}</td>
                                                <td>{numeric_date(r.due_on)}</td>
                                                <td>{euros(r.remaining_cents)}</td>
                                                <td>{if r.days_late > 0 { count(r.days_late.unsigned_abs(), "jour", "jours") } else { "—".to_owned() }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table></div>
                            }.into_any()
                        }}
                    }.into_any() />
        </section>
    }
}
