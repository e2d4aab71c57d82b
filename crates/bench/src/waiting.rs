//! `waiting-rush`: a full day with a waiting list (issue 13). `capacity` families hold the
//! day, `waiters` families join its waiting list (all at once), then the holders cancel while
//! every other family tries to book the day directly, all at once. What must hold, on one or
//! several instances: no 5xx; every freed place went to a waiting child, in the order of the
//! list (ranks 1 to `capacity`), none to a family that did not wait; the day is exactly full;
//! the children still waiting keep ranks from 1.

use std::sync::Arc;
use std::time::{Duration, Instant};

use portail_domain::api::{
    BookingBatchRequest, BookingBatchResponse, BookingLine, LineAction, LineOutcome,
    PlanningResponse, WaitingListRequest, WaitingListResponse,
};
use tokio::sync::Barrier;

use crate::server::{self, BenchServer, Family, Setup};
use crate::stats::Summary;

async fn recap(
    server: &BenchServer,
    on: usize,
    family: &Family,
    setup: &Setup,
    action: LineAction,
) -> (Duration, u16, Option<BookingBatchResponse>) {
    let started = Instant::now();
    let response = server
        .client
        .post(server.url_on(on, "/api/v1/bookings/batch"))
        .bearer_auth(&family.token)
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .json(&BookingBatchRequest {
            lines: vec![BookingLine {
                child_id: family.child_id,
                unit_id: setup.unit_id,
                date: setup.dates[0],
                action,
            }],
        })
        .send()
        .await;
    match response {
        Ok(r) => {
            let status = r.status().as_u16();
            (started.elapsed(), status, r.json().await.ok())
        }
        Err(_) => (started.elapsed(), 0, None),
    }
}

fn first_outcome(body: Option<&BookingBatchResponse>) -> Option<LineOutcome> {
    body.and_then(|b| b.results.first()).map(|r| r.outcome)
}

pub async fn run(
    server: &BenchServer,
    setup: &Setup,
    capacity: u32,
    waiters: usize,
) -> anyhow::Result<bool> {
    let date = setup.dates[0];
    let places = capacity as usize;
    anyhow::ensure!(
        setup.families.len() > places + waiters,
        "il faut plus de {} familles",
        places + waiters
    );
    server::set_capacity(server, setup, capacity).await?;
    let holders = &setup.families[..places];
    let waiting = &setup.families[places..places + waiters];
    let rushing = &setup.families[places + waiters..];
    println!(
        "waiting-rush : {date}, {capacity} places tenues, {waiters} enfants en liste d'attente, puis {} annulations pendant que {} familles réservent directement",
        holders.len(),
        rushing.len()
    );
    let mut held = true;
    for (i, family) in holders.iter().enumerate() {
        let (_, status, body) = recap(server, i, family, setup, LineAction::Book).await;
        held &= status == 200 && first_outcome(body.as_ref()) == Some(LineOutcome::Booked);
    }

    // Everyone joins at once; the ranks they are given must be 1..=waiters, each once.
    let joins = waiting.iter().enumerate().map(|(i, f)| async move {
        let response = server
            .client
            .post(server.url_on(i, "/api/v1/planning/waiting-list"))
            .bearer_auth(&f.token)
            .json(&WaitingListRequest {
                child_id: f.child_id,
                unit_id: setup.unit_id,
                date,
            })
            .send()
            .await?;
        anyhow::ensure!(response.status() == 201, "join: {}", response.status());
        anyhow::Ok(response.json::<WaitingListResponse>().await?.rank)
    });
    let mut ranks: Vec<(u32, usize)> = Vec::with_capacity(waiters);
    for (i, rank) in futures_util::future::join_all(joins)
        .await
        .into_iter()
        .enumerate()
    {
        ranks.push((rank?, i));
    }
    ranks.sort_unstable();
    let ranks_fine = ranks.iter().map(|(r, _)| *r as usize).eq(1..=waiters);
    println!(
        "{waiters} inscriptions en liste d'attente simultanées : rangs 1 à {waiters}, chacun une fois {}",
        if ranks_fine { "✓" } else { "✗" }
    );
    held &= ranks_fine;

    // The race: cancellations and direct bookings at once, spread over the instances.
    let barrier = Arc::new(Barrier::new(holders.len() + rushing.len()));
    let cancels = holders.iter().enumerate().map(|(i, f)| {
        let barrier = barrier.clone();
        async move {
            barrier.wait().await;
            recap(server, i, f, setup, LineAction::Cancel).await
        }
    });
    let direct = rushing.iter().enumerate().map(|(i, f)| {
        let barrier = barrier.clone();
        async move {
            barrier.wait().await;
            recap(server, i.saturating_add(1), f, setup, LineAction::Book).await
        }
    });
    let started = Instant::now();
    let (cancelled, booked) = futures_util::future::join(
        futures_util::future::join_all(cancels),
        futures_util::future::join_all(direct),
    )
    .await;
    let wall = started.elapsed();
    let errors = cancelled
        .iter()
        .chain(&booked)
        .filter(|(_, status, _)| *status != 200)
        .count();
    let all_cancelled = cancelled
        .iter()
        .all(|(_, _, b)| first_outcome(b.as_ref()) == Some(LineOutcome::Cancelled));
    let jumped = booked
        .iter()
        .filter(|(_, _, b)| first_outcome(b.as_ref()) == Some(LineOutcome::Booked))
        .count();
    println!(
        "{} annulations et {} réservations directes en {:.2} s ({:.0} requêtes/s) ; erreurs : {errors}",
        cancelled.len(),
        booked.len(),
        wall.as_secs_f64(),
        (cancelled.len() + booked.len()) as f64 / wall.as_secs_f64()
    );
    println!(
        "annulations (dont la promotion dans la même transaction) : {}",
        Summary::of(cancelled.iter().map(|(d, _, _)| *d).collect()).line()
    );
    println!(
        "places prises par une famille qui n'attendait pas : {jumped} {}",
        if jumped == 0 { "✓" } else { "✗" }
    );
    held &= errors == 0 && all_cancelled && jumped == 0;

    // Who got the places: exactly ranks 1..=capacity.
    let mut served_in_order = true;
    for (rank, i) in &ranks {
        let family = &waiting[*i];
        let grid: PlanningResponse = server
            .client
            .get(server.url("/api/v1/planning"))
            .bearer_auth(&family.token)
            .query(&[
                ("child_id", family.child_id.to_string()),
                ("service", "alja".to_owned()),
                ("month", date.format("%Y-%m").to_string()),
            ])
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let cell = grid
            .days
            .iter()
            .find(|d| d.date == date)
            .and_then(|d| d.cells.iter().find(|c| c.unit_id == setup.unit_id));
        let state = cell.map(|c| c.state.as_str()).unwrap_or("?");
        let fine = if (*rank as usize) <= places {
            state == "booked"
        } else {
            state == "waiting"
                && cell.and_then(|c| c.waiting_rank) == Some(rank.saturating_sub(capacity))
        };
        served_in_order &= fine;
    }
    println!(
        "rangs 1 à {capacity} servis, les suivants gardent leur ordre à partir de 1 {}",
        if served_in_order { "✓" } else { "✗" }
    );
    let sheet = server::sheet(server, setup, date).await?;
    let exact = sheet.taken == capacity && sheet.entries.len() == places;
    println!(
        "{date} : {} places prises / capacité {} ; {} enfants sur la feuille {}",
        sheet.taken,
        sheet.capacity,
        sheet.entries.len(),
        if exact { "✓" } else { "✗" }
    );
    Ok(held && served_in_order && exact)
}
