//! « Mes factures »: the balance, the invoices (number, month, amount, due date, status), each
//! one's detail and PDF, paying online, and the payments received.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use portail_domain::api::{InvoiceKind, InvoiceSummary, PaymentResponse};
use portail_domain::format::{euros, month_label, numeric_date};
use portail_domain::rules::billing::invoice::InvoiceStatus;
use uuid::Uuid;

use crate::api::{self, use_family_session};
use crate::components::{Alert, AlertKind, ErrorAlert, Loaded, Title};
use crate::dom;

fn badge(status: InvoiceStatus) -> &'static str {
    match status {
        InvoiceStatus::Paid => "badge badge--ok",
        InvoiceStatus::Late => "badge badge--error",
        _ => "badge badge--info",
    }
}

/// A PDF of the family's (an invoice, a receipt): fetched with the session, saved as a file.
fn download(path: String, filename: String) -> impl Fn(leptos::ev::MouseEvent) + 'static {
    let session = use_family_session();
    move |_| {
        let (path, filename) = (path.clone(), filename.clone());
        leptos::task::spawn_local(async move {
            if let Ok(url) = api::document_blob_url(session, &path).await {
                dom::save_as(&url, &filename);
            }
        });
    }
}

/// « Payer en ligne »: the payment is created, then the parent goes to the provider's page.
#[component]
fn PayButton(id: Uuid, amount: i64) -> impl IntoView {
    let session = use_family_session();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<api::ApiError>);
    let pay = move |_| {
        error.set(None);
        crate::task::spawn_busy(busy, async move {
            match api::start_online_payment(session, id).await {
                Ok(started) => {
                    if let Some(window) = web_sys::window() {
                        window.location().set_href(&started.redirect_url).ok();
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <button type="button" class="btn btn--primary btn--small" on:click=pay disabled=move || busy.get()>
            {format!("Payer {} en ligne", euros(amount))}
        </button>
        {move || error.get().map(|error| view! { <ErrorAlert error=error /> })}
    }
}

#[component]
fn InvoiceItem(invoice: InvoiceSummary) -> impl IntoView {
    let credit = invoice.kind == InvoiceKind::CreditNote;
    let title = format!(
        "{} n°\u{a0}{} — {}",
        if credit { "Avoir" } else { "Facture" },
        invoice.number,
        month_label(&invoice.month)
    );
    let meta = if credit {
        format!(
            "{} · réduit la facture n°\u{a0}{}",
            euros(invoice.total_cents),
            invoice.corrects_number.clone().unwrap_or_default()
        )
    } else if invoice.remaining_cents > 0 {
        format!(
            "{} · reste {} à régler avant le {}",
            euros(invoice.total_cents),
            euros(invoice.remaining_cents),
            numeric_date(invoice.due_on)
        )
    } else {
        euros(invoice.total_cents)
    };
    let payable =
        !credit && invoice.remaining_cents > 0 && invoice.status != InvoiceStatus::DebitPending;
    let id = invoice.id;
    view! {
        <li class="item">
            <div class="item__main">
                <a class="item__title" href=format!("/mes-factures/{id}")>{title}</a>
                <span class="item__meta">{meta}</span>
                {(!credit).then(|| view! { <span class=badge(invoice.status)>{invoice.status.label_fr()}</span> })}
            </div>
            <div class="btn-row">
                <button type="button" class="btn btn--secondary btn--small" on:click=download(format!("/api/v1/invoices/{id}/pdf"), format!("facture-{}.pdf", invoice.number))>
                    "PDF" <span class="visually-hidden">{format!(" de la facture {}", invoice.number)}</span>
                </button>
                {payable.then(|| view! { <PayButton id=id amount=invoice.remaining_cents /> })}
            </div>
        </li>
    }
}

fn payment_line(p: &PaymentResponse) -> String {
    let numbers: Vec<&str> = p.allocations.iter().map(|a| a.number.as_str()).collect();
    let mut line = format!(
        "{} · {} · {}",
        numeric_date(p.received_on),
        p.method.label_fr(),
        euros(p.amount_cents)
    );
    if !numbers.is_empty() {
        line.push_str(&format!(" · facture {}", numbers.join(", ")));
    }
    line
}

#[component]
pub fn MyInvoices() -> impl IntoView {
    let session = use_family_session();
    let data = LocalResource::new(move || api::my_billing(session));
    view! {
        <Title text="Mes factures — Portail Famille" />
        <p><a href="/espace">"← Mon espace"</a></p>
        <h1>"Mes factures"</h1>
        <p><a href="/mes-attestations">"Attestations fiscale et de présence"</a>" · "<a href="/mon-prelevement">"Prélèvement automatique"</a></p>
        <Loaded resource=data render=move |(invoices, balance, payments)| {
                    let owed = balance.balance_cents;
                    let summary = if owed > 0 {
                        format!("Reste à régler : {}", euros(owed))
                    } else if owed < 0 {
                        format!("Vous avez un crédit de {amount}, déduit de vos prochaines factures.", amount = euros(-owed))
                    } else {
                        "Vous ne devez rien : merci !".to_owned()
                    };
                    let kind = if balance.overdue_cents > 0 { AlertKind::Warning } else { AlertKind::Info };
                    view! {
                        <Alert kind=kind>
                            <p><strong>{summary}</strong></p>
                            {(balance.overdue_cents > 0).then(|| view! { <p>{format!("Dont {} en retard de paiement.", euros(balance.overdue_cents))}</p> })}
                            {balance.bookings_blocked.then(|| view! { <p>"Les nouvelles réservations sont suspendues jusqu'au règlement."</p> })}
                        </Alert>
                        {if invoices.items.is_empty() {
                            view! { <p>"Aucune facture pour l'instant."</p> }.into_any()
                        } else {
                            view! { <ul class="list-plain">{invoices.items.into_iter().map(|i| view! { <InvoiceItem invoice=i /> }).collect_view()}</ul> }.into_any()
                        }}
                        <h2>"Mes règlements"</h2>
                        {if payments.items.is_empty() {
                            view! { <p>"Aucun règlement reçu pour l'instant."</p> }.into_any()
                        } else {
                            view! { <ul>{payments.items.iter().map(|p| {
                                let receipt = download(format!("/api/v1/payments/{}/receipt", p.id), "recu.pdf".to_owned());
                                view! { <li>{payment_line(p)} " " <button type="button" class="btn btn--secondary btn--small" on:click=receipt>"Reçu"</button></li> }
                            }).collect_view()}</ul> }.into_any()
                        }}
                        <p>"Vous pouvez aussi régler à la mairie : chèque à l'ordre du Trésor public, espèces, CESU ou virement, en rappelant le numéro de la facture."</p>
                    }.into_any()
                } />
    }
}

/// One invoice, line by line (by child, service and date, as the server sorts them).
#[component]
pub fn InvoicePage() -> impl IntoView {
    let session = use_family_session();
    let params = use_params_map();
    let data = LocalResource::new(move || {
        let id = params
            .read()
            .get("id")
            .and_then(|id| Uuid::parse_str(&id).ok())
            .unwrap_or_default();
        api::get_my_invoice(session, id)
    });
    view! {
        <Title text="Ma facture — Portail Famille" />
        <p><a href="/mes-factures">"← Mes factures"</a></p>
        <Loaded resource=data render=move |invoice| {
                    let s = invoice.summary;
                    let credit = s.kind == InvoiceKind::CreditNote;
                    view! {
                        <h1>{format!("{} n°\u{a0}{}", if credit { "Avoir" } else { "Facture" }, s.number)}</h1>
                        <p>{format!("{} · émise le {} · {}", month_label(&s.month), numeric_date(s.issued_on), invoice.payer_name)}</p>
                        {(!credit).then(|| view! {
                            <p>
                                <span class=badge(s.status)>{s.status.label_fr()}</span>
                                {format!(" Total {} · réglé {} · reste {} · à régler avant le {}", euros(s.total_cents), euros(s.settled_cents), euros(s.remaining_cents), numeric_date(s.due_on))}
                            </p>
                        })}
                        <div class="btn-row">
                            <button type="button" class="btn btn--secondary btn--small" on:click=download(format!("/api/v1/invoices/{}/pdf", s.id), format!("facture-{}.pdf", s.number))>"Télécharger le PDF"</button>
                            {(!credit && s.remaining_cents > 0 && s.status != InvoiceStatus::DebitPending).then(|| view! { <PayButton id=s.id amount=s.remaining_cents /> })}
                        </div>
                        <ul class="invoice-lines">
                            {invoice.lines.into_iter().map(|l| view! {
                                <li>
                                    <span>{format!("{} · {} · {} · {}", numeric_date(l.date), l.child_name, l.service_name, l.unit_name)}</span>
                                    <strong>{euros(l.amount_cents)}</strong>
                                    <span class="item__meta">{l.rule}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                        <p><strong>{format!("Total : {}", euros(s.total_cents))}</strong></p>
                    }.into_any()
                } />
    }
}
