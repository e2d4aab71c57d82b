//! A family's invoices, balance and payments on its staff file (issue 24, point 6: the file had
//! none). The invoices are those of the agent's services; the balance and the payments are the
//! treasury's (administrators): for an agent they are simply not shown.

use leptos::prelude::*;
use portail_domain::api::{BalanceResponse, InvoiceListResponse, PaymentListResponse};
use portail_domain::format::{euros, month_label, numeric_date};
use uuid::Uuid;

use crate::api::{self, use_staff_session};
use crate::components::Loaded;

#[component]
pub(super) fn FamilyBilling(family_id: Uuid) -> impl IntoView {
    let session = use_staff_session();
    let invoices = LocalResource::new(move || async move {
        session
            .get::<InvoiceListResponse>(&format!("/api/v1/staff/invoices?family_id={family_id}"))
            .await
    });
    let treasury = LocalResource::new(move || async move {
        let balance = session
            .get::<BalanceResponse>(&format!("/api/v1/staff/families/{family_id}/balance"))
            .await?;
        let payments = session
            .get::<PaymentListResponse>(&format!("/api/v1/staff/families/{family_id}/payments"))
            .await?;
        Ok::<_, api::ApiError>((balance, payments))
    });
    view! {
        <section class="section card" aria-labelledby="factures-famille">
            <h2 id="factures-famille">"Factures et paiements"</h2>
            {move || treasury.get().and_then(Result::ok).map(|(balance, payments)| view! {
                <p><strong>{match balance.balance_cents {
                    owed if owed > 0 => format!("Reste à régler : {}", euros(owed)),
                    0 => "La famille ne doit rien.".to_owned(),
                    credit => format!("Crédit de la famille : {}", euros(-credit)),
                }}</strong>{(balance.overdue_cents > 0).then(|| format!(" · dont {} échus", euros(balance.overdue_cents)))}</p>
                <h3>"Paiements"</h3>
                {if payments.items.is_empty() {
                    view! { <p class="muted">"Aucun paiement reçu."</p> }.into_any()
                } else {
                    view! { <ul class="list-plain">{payments.items.into_iter().map(|p| view! {
                        <li>{format!("{} · {} · {}", numeric_date(p.received_on), p.method.label_fr(), euros(p.amount_cents))}</li>
                    }).collect_view()}</ul> }.into_any()
                }}
            })}
            // The treasury's (administrators): shown when the balance could be read.
            {move || treasury.get().and_then(Result::ok).map(|_| view! { <crate::pages::admin::direct_debit::PaperMandate family_id=family_id /> })}
            <h3>"Factures"</h3>
            <Loaded resource=invoices render=move |list| if list.items.is_empty() {
                view! { <p class="muted">"Aucune facture."</p> }.into_any()
            } else {
                view! { <ul class="list-plain">{list.items.into_iter().map(|i| view! {
                    <li>
                        <strong>{format!("N°\u{a0}{} — {}", i.number, month_label(&i.month))}</strong>
                        <span class="item__meta">{format!("{} · reste dû {} · {}", euros(i.total_cents), euros(i.remaining_cents), i.status.label_fr())}</span>
                    </li>
                }).collect_view()}</ul> }.into_any()
            } />
        </section>
    }
}
