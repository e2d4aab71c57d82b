//! `monday-rush`: every family submits its 5-line recap at once.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use portail_domain::api::{
    BookingBatchRequest, BookingBatchResponse, BookingLine, LineAction, LineOutcome,
};
use rand::seq::SliceRandom as _;
use tokio::sync::Barrier;

use crate::server::{self, BenchServer, Setup};
use crate::stats::Summary;

struct Outcome {
    latency: Duration,
    status: u16,
    body: Option<BookingBatchResponse>,
}

/// `shuffle`: each recap lists its days in a random order (writers then meet the same slots
/// in different orders: the deadlock case on PostgreSQL).
pub async fn run(
    server: &BenchServer,
    setup: &Setup,
    clients: usize,
    capacity: u32,
    shuffle: bool,
) -> anyhow::Result<bool> {
    server::set_capacity(server, setup, capacity).await?;
    let demand = setup.families.len() * setup.dates.len();
    let places = setup.dates.len() * capacity as usize;
    println!(
        "monday-rush : {} récapitulatifs de {} lignes, {} demandes pour {} places",
        setup.families.len(),
        setup.dates.len(),
        demand,
        places
    );
    let requests: Arc<Vec<(String, BookingBatchRequest)>> = Arc::new(
        setup
            .families
            .iter()
            .map(|f| {
                let mut dates = setup.dates.clone();
                if shuffle {
                    dates.shuffle(&mut rand::rng());
                }
                let lines = dates
                    .iter()
                    .map(|date| BookingLine {
                        child_id: f.child_id,
                        unit_id: setup.unit_id,
                        date: *date,
                        action: LineAction::Book,
                    })
                    .collect();
                (f.token.clone(), BookingBatchRequest { lines })
            })
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(clients + 1));
    let mut workers = Vec::with_capacity(clients);
    for worker in 0..clients {
        let (requests, next, barrier) = (requests.clone(), next.clone(), barrier.clone());
        let client = server.client.clone();
        // Spread over the instances (one process unless `--instances`).
        let url = server.url_on(worker, "/api/v1/bookings/batch");
        let health = server.url_on(worker, "/api/v1/health");
        workers.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            // Open this client's connection before the start: the rush measures bookings,
            // not TCP handshakes.
            let _ = client.get(&health).send().await;
            barrier.wait().await;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((token, body)) = requests.get(i) else {
                    return outcomes;
                };
                let started = Instant::now();
                let response = client
                    .post(&url)
                    .bearer_auth(token)
                    .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
                    .json(body)
                    .send()
                    .await;
                let outcome = match response {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let body = response.json::<BookingBatchResponse>().await.ok();
                        Outcome {
                            latency: started.elapsed(),
                            status,
                            body,
                        }
                    }
                    Err(_) => Outcome {
                        latency: started.elapsed(),
                        status: 0,
                        body: None,
                    },
                };
                outcomes.push(outcome);
            }
        }));
    }
    barrier.wait().await;
    let started = Instant::now();
    let mut outcomes = Vec::with_capacity(requests.len());
    for worker in workers {
        outcomes.extend(worker.await?);
    }
    let wall = started.elapsed();

    let ok = outcomes
        .iter()
        .filter(|o| o.status == 200 && o.body.is_some())
        .count();
    let server_errors = outcomes.iter().filter(|o| o.status >= 500).count();
    let other_errors = outcomes.len() - ok - server_errors;
    println!(
        "{ok} récapitulatifs validés en {:.2} s : {:.0} récapitulatifs/s ({:.0} lignes/s)",
        wall.as_secs_f64(),
        ok as f64 / wall.as_secs_f64(),
        (ok * setup.dates.len()) as f64 / wall.as_secs_f64()
    );
    println!(
        "{}",
        Summary::of(outcomes.iter().map(|o| o.latency).collect()).line()
    );
    println!("erreurs : {server_errors} 5xx, {other_errors} autres");

    // Invariants.
    let mut held = server_errors == 0 && other_errors == 0;
    let mut booked: HashMap<NaiveDate, u32> = HashMap::new();
    let mut unexplained = 0;
    let mut refusals: HashMap<String, usize> = HashMap::new();
    for result in outcomes
        .iter()
        .filter_map(|o| o.body.as_ref())
        .flat_map(|b| &b.results)
    {
        match result.outcome {
            LineOutcome::Booked => *booked.entry(result.line.date).or_default() += 1,
            LineOutcome::Refused => match (&result.code, &result.reason) {
                (Some(code), Some(reason)) if !reason.is_empty() => {
                    *refusals.entry(code.as_str().to_owned()).or_default() += 1;
                }
                _ => unexplained += 1,
            },
            _ => unexplained += 1,
        }
    }
    println!("refus par code : {refusals:?}; lignes sans raison : {unexplained}");
    held &= unexplained == 0;
    for date in &setup.dates {
        let sheet = server::sheet(server, setup, *date).await?;
        let acknowledged = booked.get(date).copied().unwrap_or(0);
        let listed = u32::try_from(sheet.entries.len()).unwrap_or(u32::MAX);
        // Demand exceeds the places: every place is taken, none twice, each one acknowledged.
        let expected = capacity.min(u32::try_from(setup.families.len()).unwrap_or(u32::MAX));
        let fine = sheet.taken <= sheet.capacity
            && sheet.taken == acknowledged
            && listed == acknowledged
            && sheet.taken == expected;
        println!(
            "{date} : {} places prises / capacité {} ; {} acceptées annoncées ; {} enfants sur la feuille de présence {}",
            sheet.taken,
            sheet.capacity,
            acknowledged,
            listed,
            if fine { "✓" } else { "✗" }
        );
        held &= fine;
    }
    Ok(held)
}
