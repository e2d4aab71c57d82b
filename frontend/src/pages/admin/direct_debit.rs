//! « Prélèvements SEPA » on « Facturation » (the treasury, issue 24, point 4): issue the
//! month's `pain.008.001.02` file, download it as issued, record the bank's returns and
//! settle a file; the mandates with their whole IBANs. A paper mandate is recorded from the
//! family's file (`PaperMandate`).

use chrono::Duration;
use leptos::prelude::*;
use portail_domain::api::{
    DebitBatchList, DebitBatchResponse, DebitResponse, DebitReturnRequest, DebitRunRequest,
    DebitStatus, MandateList, MandateResponse, PaperMandateRequest, ReturnReason,
};
use portail_domain::format::{count, date_fr, euros, numeric_date};
use uuid::Uuid;

use crate::api::{self, use_staff_session};
use crate::components::{Alert, AlertKind, Button, ErrorAlert, Loaded, SelectField, TextField};
use crate::dom;

#[component]
pub fn DirectDebits() -> impl IntoView {
    let session = use_staff_session();
    let version = RwSignal::new(0_u32);
    let batches = LocalResource::new(move || {
        version.track();
        async move {
            session
                .get::<DebitBatchList>("/api/v1/staff/direct-debit/batches")
                .await
        }
    });
    let mandates = LocalResource::new(move || {
        version.track();
        async move {
            session
                .get::<MandateList>("/api/v1/staff/direct-debit/mandates")
                .await
        }
    });
    view! {
        <section class="section stack" aria-labelledby="prelevements">
            <h2 id="prelevements">"Prélèvements SEPA"</h2>
            <IssueFile version=version />
            <Loaded resource=batches render=move |list| view! {
                <ul class="list-plain stack" aria-label="Fichiers de prélèvement">
                    {list.items.into_iter().map(|b| view! { <Batch batch=b version=version /> }).collect_view()}
                </ul>
            }.into_any() />
            <h3>"Mandats"</h3>
            <Loaded resource=mandates render=move |list| mandate_list(list.items).into_any() />
        </section>
    }
}

fn mandate_list(items: Vec<MandateResponse>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted">"Aucun mandat."</p> }.into_any();
    }
    view! {
        <ul class="list-plain">
            {items.into_iter().map(|m| view! {
                <li>{format!("{} · {} · {} · signé le {} ({}) · {}", m.reference, m.holder, m.iban.unwrap_or(m.iban_masked), numeric_date(m.signed_on), if m.signed_online { "en ligne" } else { "papier" }, m.status.label_fr())}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn IssueFile(version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let date = RwSignal::new(
        portail_domain::rules::billing::sepa::next_collection_day(dom::today() + Duration::days(5))
            .to_string(),
    );
    let failure = RwSignal::new(None::<api::ApiError>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let send = move || {
        failure.set(None);
        done.set(None);
        let Some(collection_date) = portail_domain::api::wire::parse_date(&date.get_untracked())
        else {
            return;
        };
        crate::task::spawn_busy(busy, async move {
            match session
                .post::<_, DebitBatchResponse>(
                    "/api/v1/staff/direct-debit/batches",
                    &DebitRunRequest { collection_date },
                )
                .await
            {
                Ok(b) => {
                    done.set(Some(format!(
                        "Fichier {} émis : {}, {}.",
                        b.message_id,
                        count(b.count, "prélèvement", "prélèvements"),
                        euros(b.total_cents)
                    )));
                    version.update(|v| *v = v.wrapping_add(1));
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card stack" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <p>"Le fichier reprend les factures ouvertes des familles qui ont un mandat actif ; elles passent «\u{a0}prélèvement en cours\u{a0}»."</p>
            <TextField id="jour-prelevement" label="Jour du prélèvement" input_type="date" value=date
                hint="Un jour ouvré des banques, entre 2 et 60 jours à venir." />
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
            {move || done.get().map(|m| view! { <Alert kind=AlertKind::Success><p>{m}</p></Alert> })}
            <div class="btn-row"><Button submit=true busy=busy>"Émettre le fichier de prélèvement"</Button></div>
        </form>
    }
}

#[component]
fn Batch(batch: DebitBatchResponse, version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let failure = RwSignal::new(None::<api::ApiError>);
    let busy = RwSignal::new(false);
    let id = batch.id;
    let filename = format!("{}.xml", batch.message_id);
    let download = move |_| {
        failure.set(None);
        let filename = filename.clone();
        leptos::task::spawn_local(async move {
            match session
                .blob_url(&format!("/api/v1/staff/direct-debit/batches/{id}/xml"))
                .await
            {
                Ok(url) => dom::save_as(&url, &filename),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let settle = move |_| {
        failure.set(None);
        crate::task::spawn_busy(busy, async move {
            match session
                .post::<_, DebitBatchResponse>(
                    &format!("/api/v1/staff/direct-debit/batches/{id}/settle"),
                    &(),
                )
                .await
            {
                Ok(_) => version.update(|v| *v = v.wrapping_add(1)),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let pending = batch
        .debits
        .iter()
        .any(|d| d.status == DebitStatus::Pending);
    view! {
        <li class="card stack">
            <p><strong>{batch.message_id.clone()}</strong>{format!(" · prélevé le {} · {} · {}", date_fr(batch.collection_date), count(batch.count, "prélèvement", "prélèvements"), euros(batch.total_cents))}</p>
            <div class="btn-row">
                <button type="button" class="btn btn--secondary btn--small" on:click=download>"Télécharger le fichier (XML)"</button>
                {pending.then(|| view! { <Button busy=busy on_click=Callback::new(settle)>"Constater le prélèvement"</Button> })}
            </div>
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
            <ul class="list-plain stack">
                {batch.debits.into_iter().map(|d| view! { <Debit debit=d version=version /> }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn Debit(debit: DebitResponse, version: RwSignal<u32>) -> impl IntoView {
    let session = use_staff_session();
    let reasons: Vec<(String, String)> = ReturnReason::ALL
        .iter()
        .map(|r| {
            (
                r.as_str().to_owned(),
                format!("{} — {}", r.as_str(), r.label_fr()),
            )
        })
        .collect();
    let reason = RwSignal::new(ReturnReason::Am04.as_str().to_owned());
    let failure = RwSignal::new(None::<api::ApiError>);
    let busy = RwSignal::new(false);
    let id = debit.id;
    let label = format!(
        "Facture {} · {} · {} · {}",
        debit.invoice_number,
        euros(debit.amount_cents),
        debit.sequence.as_str(),
        debit.status.label_fr()
    );
    let returned = debit
        .return_reason
        .map(|r| format!(" ({} — {})", r.as_str(), r.label_fr()));
    let give_back = move |_| {
        let Some(reason) = ReturnReason::parse(&reason.get_untracked()) else {
            return;
        };
        failure.set(None);
        crate::task::spawn_busy(busy, async move {
            match session
                .post::<_, DebitResponse>(
                    &format!("/api/v1/staff/direct-debit/debits/{id}/return"),
                    &DebitReturnRequest {
                        reason,
                        returned_on: dom::today(),
                    },
                )
                .await
            {
                Ok(_) => version.update(|v| *v = v.wrapping_add(1)),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let pending = debit.status == DebitStatus::Pending;
    let select_id = format!("rejet-{id}");
    view! {
        <li>
            <p>{label}{returned}</p>
            {pending.then(|| view! {
                <div class="btn-row">
                    <SelectField id=select_id.clone() label=format!("Motif du rejet, facture {}", debit.invoice_number) options=reasons.clone() value=reason />
                    <Button busy=busy on_click=Callback::new(give_back)>{format!("Enregistrer le rejet de la facture {}", debit.invoice_number)}</Button>
                </div>
            })}
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
        </li>
    }
}

/// A mandate signed on paper, recorded from the family's file.
#[component]
pub fn PaperMandate(family_id: Uuid) -> impl IntoView {
    let session = use_staff_session();
    let (holder, iban, signed_on) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(dom::today().to_string()),
    );
    let errors = RwSignal::new(portail_domain::parse::FieldErrors::default());
    let failure = RwSignal::new(None::<api::ApiError>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let send = move || {
        failure.set(None);
        done.set(None);
        let Some(day) = portail_domain::api::wire::parse_date(&signed_on.get_untracked()) else {
            return;
        };
        let request = PaperMandateRequest {
            family_id,
            holder: holder.get_untracked(),
            iban: iban.get_untracked(),
            signed_on: day,
        };
        crate::task::spawn_busy(busy, async move {
            match session
                .post::<_, MandateResponse>("/api/v1/staff/direct-debit/mandates", &request)
                .await
            {
                Ok(m) => done.set(Some(format!("Mandat {} enregistré.", m.reference))),
                Err(e) if !e.field_errors().is_empty() => {
                    errors.set(portail_domain::parse::FieldErrors::from(e.field_errors()));
                    dom::focus_first_invalid();
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.message_for(field)));
    view! {
        <form class="stack" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <h3>"Mandat de prélèvement signé sur papier"</h3>
            <TextField id="mandat-titulaire" label="Titulaire du compte" value=holder error=error("holder") />
            <TextField id="mandat-iban" label="IBAN" value=iban error=error("iban") autocomplete="off" />
            <TextField id="mandat-date" label="Signé le" input_type="date" value=signed_on error=error("signed_on") />
            {move || failure.get().map(|e| view! { <ErrorAlert error=e /> })}
            {move || done.get().map(|m| view! { <Alert kind=AlertKind::Success><p>{m}</p></Alert> })}
            <div class="btn-row"><Button submit=true busy=busy>"Enregistrer le mandat"</Button></div>
        </form>
    }
}
