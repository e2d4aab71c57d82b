//! `year-rush`: every family sends, all at once, a typical week for the whole of the
//! benchmark unit's service period (every weekday, about 150 to 300 lines of which the
//! period's open days are bookable), through `POST /api/v1/bookings/pattern`. Then, for each
//! day: places taken ≤ capacity, taken = lines announced as booked = children on the sheet.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use portail_domain::ServiceCode;
use portail_domain::api::{
    LineAction, PatternOutcome, WeekPatternDay, WeekPatternRequest, WeekPatternResponse,
    WeekdayCode,
};
use tokio::sync::Barrier;

use crate::server::{self, BenchServer, Setup};
use crate::stats::Summary;

struct Outcome {
    latency: Duration,
    status: u16,
    body: Option<WeekPatternResponse>,
}

pub async fn run(
    server: &BenchServer,
    setup: &Setup,
    clients: usize,
    days: i64,
) -> anyhow::Result<bool> {
    let from = setup
        .dates
        .first()
        .copied()
        .ok_or_else(|| anyhow::anyhow!("the benchmark has no bookable day"))?;
    let to = from + chrono::Duration::days(days);
    let weekdays = [
        WeekdayCode::Monday,
        WeekdayCode::Tuesday,
        WeekdayCode::Wednesday,
        WeekdayCode::Thursday,
        WeekdayCode::Friday,
    ];
    let requests: Arc<Vec<(String, WeekPatternRequest)>> = Arc::new(
        setup
            .families
            .iter()
            .map(|f| {
                (
                    f.token.clone(),
                    WeekPatternRequest {
                        child_id: f.child_id,
                        service: ServiceCode::Alja,
                        action: LineAction::Book,
                        from: Some(from),
                        to: Some(to),
                        days: weekdays
                            .iter()
                            .map(|weekday| WeekPatternDay {
                                weekday: *weekday,
                                unit_ids: vec![setup.unit_id],
                            })
                            .collect(),
                    },
                )
            })
            .collect(),
    );
    let lines_each = portail_domain::rules::planning::week_pattern::expand(&requests[0].1).len();
    println!(
        "year-rush : {} semaines types du {from} au {to}, {lines_each} lignes chacune ({} lignes)",
        setup.families.len(),
        lines_each * setup.families.len()
    );
    let (outcomes, wall) = send_all(server, clients, requests.clone()).await?;
    let ok = outcomes
        .iter()
        .filter(|o| o.status == 200 && o.body.is_some())
        .count();
    let server_errors = outcomes.iter().filter(|o| o.status >= 500).count();
    let other_errors = outcomes.len() - ok - server_errors;
    println!(
        "{ok} semaines types envoyées en {:.2} s : {:.0} semaines types/s ({:.0} lignes/s)",
        wall.as_secs_f64(),
        ok as f64 / wall.as_secs_f64(),
        (ok * lines_each) as f64 / wall.as_secs_f64()
    );
    println!(
        "{}",
        Summary::of(outcomes.iter().map(|o| o.latency).collect()).line()
    );
    println!("erreurs : {server_errors} 5xx, {other_errors} autres");

    let held = server_errors == 0 && other_errors == 0;
    Ok(check(server, setup, &outcomes).await? && held)
}

/// Sends every pattern through `clients` concurrent clients, all released at once.
async fn send_all(
    server: &BenchServer,
    clients: usize,
    requests: Arc<Vec<(String, WeekPatternRequest)>>,
) -> anyhow::Result<(Vec<Outcome>, Duration)> {
    let next = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(clients + 1));
    let mut workers = Vec::with_capacity(clients);
    for worker in 0..clients {
        let (requests, next, barrier) = (requests.clone(), next.clone(), barrier.clone());
        let client = server.client.clone();
        let url = server.url_on(worker, "/api/v1/bookings/pattern");
        let health = server.url_on(worker, "/api/v1/health");
        workers.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
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
                    .timeout(Duration::from_secs(120))
                    .send()
                    .await;
                outcomes.push(match response {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let body = response.json::<WeekPatternResponse>().await.ok();
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
                });
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
    Ok((outcomes, wall))
}

/// Every line explained; for each day booked: taken ≤ capacity, taken = lines announced as
/// booked = children on the attendance sheet.
async fn check(server: &BenchServer, setup: &Setup, outcomes: &[Outcome]) -> anyhow::Result<bool> {
    let mut held = true;
    let mut booked: HashMap<NaiveDate, u32> = HashMap::new();
    let mut unexplained = 0;
    for line in outcomes
        .iter()
        .filter_map(|o| o.body.as_ref())
        .flat_map(|b| &b.lines)
    {
        match line.outcome {
            PatternOutcome::Booked => *booked.entry(line.date).or_default() += 1,
            PatternOutcome::Refused | PatternOutcome::Unchanged
                if line.reason.as_deref().is_some_and(|r| !r.is_empty()) => {}
            _ => unexplained += 1,
        }
    }
    println!("lignes sans raison : {unexplained}");
    held &= unexplained == 0;
    let dates: BTreeSet<NaiveDate> = booked.keys().copied().collect();
    let (mut full, mut wrong) = (0, 0);
    for date in &dates {
        let sheet = server::sheet(server, setup, *date).await?;
        let acknowledged = booked.get(date).copied().unwrap_or(0);
        let listed = u32::try_from(sheet.entries.len()).unwrap_or(u32::MAX);
        let fine =
            sheet.taken <= sheet.capacity && sheet.taken == acknowledged && listed == acknowledged;
        if !fine {
            wrong += 1;
            println!(
                "{date} : {} places prises / capacité {} ; {acknowledged} acceptées annoncées ; {listed} sur la feuille ✗",
                sheet.taken, sheet.capacity
            );
        }
        full += usize::from(sheet.taken == sheet.capacity);
        held &= fine;
    }
    println!(
        "{} jours réservés, {full} complets ; capacité tenue et feuilles de présence exactes : {}",
        dates.len(),
        if wrong == 0 { "✓" } else { "✗" }
    );
    Ok(held)
}
