//! `invoice-run`: every family books 20 lines of one month (4 benchmark units × the setup's 5
//! days, through the real recap API, outside the measure); the administrator then issues the
//! month (measured: one `POST /staff/invoice-runs`), issues it again (nothing new: measured),
//! and the invoices' PDFs are fetched by C concurrent clients for D seconds (PDFs/s). Checks
//! that every family got exactly one invoice of 20 lines, numbered without a gap.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use futures_util::StreamExt as _;
use portail_domain::ServiceCode;
use portail_domain::api::{
    BookingBatchRequest, BookingBatchResponse, BookingLine, BracketBody, CapacityRequest,
    InvoiceListResponse, InvoiceRunRequest, InvoiceRunResponse, LineAction, TariffRequest,
    UnitRequest, UnitResponse,
};
use portail_domain::rules::billing::invoice::parse_invoice_number;
use uuid::Uuid;

use crate::server::{BenchServer, Setup};

const UNITS: usize = 4;

/// The month's bookings: every family books 20 lines (4 units × the setup's 5 days), outside
/// any measure. Returns the units.
pub async fn book_month(
    server: &BenchServer,
    setup: &Setup,
    clients: usize,
    label: &str,
) -> anyhow::Result<Vec<Uuid>> {
    let families = setup.families.len();
    let capacity = u32::try_from(families).unwrap_or(u32::MAX);
    let mut units = vec![setup.unit_id];
    for i in 1..UNITS {
        let unit: UnitResponse = server
            .client
            .post(server.url("/api/v1/staff/units"))
            .bearer_auth(&setup.admin_token)
            .json(&UnitRequest {
                service: ServiceCode::Alja,
                name: format!("Banc d'essai {i}"),
                default_capacity: capacity,
                price_cents: Some(1000),
                position: 99,
                starts_at: None,
                ends_at: None,
            })
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        units.push(unit.id);
    }
    for unit_id in &units {
        for date in &setup.dates {
            server
                .client
                .put(server.url(&format!("/api/v1/staff/units/{unit_id}/capacity")))
                .bearer_auth(&setup.admin_token)
                .json(&CapacityRequest {
                    date: *date,
                    capacity,
                })
                .send()
                .await?
                .error_for_status()?;
        }
        server
            .client
            .post(server.url("/api/v1/staff/tariffs"))
            .bearer_auth(&setup.admin_token)
            .json(&TariffRequest {
                unit_id: *unit_id,
                valid_from: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).context("a date")?,
                valid_to: None,
                brackets: vec![
                    BracketBody {
                        up_to: Some(800),
                        price_cents: 650,
                    },
                    BracketBody {
                        up_to: None,
                        price_cents: 1250,
                    },
                ],
                non_resident_cents: Some(1600),
                sibling: None,
                unbooked_cents: None,
            })
            .send()
            .await?
            .error_for_status()?;
    }

    // The month's bookings, 20 lines a family, outside the measure.
    let started = Instant::now();
    let mut answers =
        futures_util::stream::iter(setup.families.iter().enumerate().map(|(i, f)| {
            let lines = units
                .iter()
                .flat_map(|unit_id| {
                    setup.dates.iter().map(move |date| BookingLine {
                        child_id: f.child_id,
                        unit_id: *unit_id,
                        date: *date,
                        action: LineAction::Book,
                    })
                })
                .collect();
            async move {
                let answer: BookingBatchResponse = server
                    .client
                    .post(server.url("/api/v1/bookings/batch"))
                    .bearer_auth(&f.token)
                    .header("Idempotency-Key", format!("facturation-{i}"))
                    .json(&BookingBatchRequest { lines })
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                anyhow::Ok(answer.accepted)
            }
        }))
        .buffer_unordered(clients.max(1));
    let mut booked = 0_usize;
    while let Some(accepted) = answers.next().await {
        booked += accepted? as usize;
    }
    drop(answers);
    let lines_per_family = UNITS * setup.dates.len();
    println!(
        "{label} : {booked} lignes réservées pour {families} familles en {:.1} s (hors mesure)",
        started.elapsed().as_secs_f64()
    );
    ensure!(
        booked == families * lines_per_family,
        "every line is booked ({booked})"
    );
    Ok(units)
}

pub async fn run(
    server: &BenchServer,
    setup: &Setup,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<bool> {
    let units = book_month(server, setup, clients, "invoice-run").await?;
    let families = setup.families.len();
    let lines_per_family = units.len() * setup.dates.len();

    let request = InvoiceRunRequest {
        month: setup.month.clone(),
        services: vec![ServiceCode::Alja],
        // The bench measures the run on booked days, whatever the clock says of the month.
        confirm_unfinished_month: true,
    };
    let issue = || async {
        let started = Instant::now();
        let answer: InvoiceRunResponse = server
            .client
            .post(server.url("/api/v1/staff/invoice-runs"))
            .bearer_auth(&setup.admin_token)
            .json(&request)
            .timeout(Duration::from_secs(600))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        anyhow::Ok((started.elapsed(), answer))
    };
    let (took, first) = issue().await?;
    let lines: usize = first.invoices.iter().map(|i| i.lines.len()).sum();
    println!(
        "passage de facturation : {} factures, {} lignes, {:.2} s ({:.0} lignes/s)",
        first.invoices_count,
        lines,
        took.as_secs_f64(),
        lines as f64 / took.as_secs_f64()
    );
    let (again_took, again) = issue().await?;
    println!(
        "second passage (rien de nouveau) : {} facture, {:.2} s",
        again.invoices_count,
        again_took.as_secs_f64()
    );

    // The invoices, their numbers, then their PDFs.
    let list: InvoiceListResponse = server
        .client
        .get(server.url("/api/v1/staff/invoices"))
        .bearer_auth(&setup.admin_token)
        .query(&[("month", setup.month.as_str())])
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let mut numbers: Vec<u32> = list
        .items
        .iter()
        .filter_map(|i| parse_invoice_number(&i.number).map(|(_, n)| n))
        .collect();
    numbers.sort_unstable();
    let gap_free = numbers.windows(2).all(|w| w[1] == w[0] + 1);
    let ids: Arc<Vec<Uuid>> = Arc::new(list.items.iter().map(|i| i.id).collect());
    let done = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..clients.clamp(1, 16))
        .map(|w| {
            let (ids, done, failed) = (ids.clone(), done.clone(), failed.clone());
            let client = server.client.clone();
            let base = server.url("");
            let token = setup.admin_token.clone();
            tokio::spawn(async move {
                let mut i = w;
                while Instant::now() < deadline && !ids.is_empty() {
                    let id = ids[i % ids.len()];
                    i += 16;
                    let ok = client
                        .get(format!("{base}/api/v1/staff/invoices/{id}/pdf"))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .ok()
                        .filter(|r| r.status().is_success());
                    let read = match ok {
                        Some(response) => response.bytes().await.is_ok(),
                        None => false,
                    };
                    if read {
                        done.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await?;
    }
    let pdfs = done.load(Ordering::Relaxed);
    println!(
        "PDF de factures ({lines_per_family} lignes) : {pdfs} en {:.1} s, {:.0} PDF/s, {} échecs",
        started.elapsed().as_secs_f64(),
        pdfs as f64 / started.elapsed().as_secs_f64(),
        failed.load(Ordering::Relaxed)
    );

    let held = first.invoices_count == families as u64
        && first
            .invoices
            .iter()
            .all(|i| i.lines.len() == lines_per_family)
        && again.invoices_count == 0
        && again.credit_notes_count == 0
        && gap_free
        && numbers.len() == families
        && failed.load(Ordering::Relaxed) == 0;
    println!(
        "invariants : une facture de {lines_per_family} lignes par famille, rien deux fois, numéros sans trou : {}",
        if held { "tenus" } else { "NON TENUS" }
    );
    Ok(held)
}
