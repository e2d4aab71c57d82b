//! `planning-read`: the month grid, read by C clients for a while.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use portail_domain::rules::planning::calendar;
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::server::{BenchServer, Setup};
use crate::stats::Summary;

/// What the tool checks of a grid: every byte is parsed, the days and their cells counted,
/// nothing else is kept (decoding the whole DTO made the client eat the server's cores).
#[derive(Deserialize)]
struct GridShape {
    days: Vec<DayShape>,
}

#[derive(Deserialize)]
struct DayShape {
    cells: Vec<IgnoredAny>,
}

impl GridShape {
    fn is_whole(&self, days_in_month: usize) -> bool {
        self.days.len() == days_in_month && self.days.iter().all(|d| !d.cells.is_empty())
    }
}

pub async fn run(
    server: &BenchServer,
    setup: &Setup,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<bool> {
    let targets: Arc<Vec<(String, String)>> = Arc::new(
        setup
            .families
            .iter()
            .map(|f| {
                let url = format!(
                    "{}?child_id={}&service=alja&month={}",
                    server.url("/api/v1/planning"),
                    f.child_id,
                    setup.month
                );
                (f.token.clone(), url)
            })
            .collect(),
    );
    let (first, last) = calendar::month_bounds(&setup.month).context("a month AAAA-MM")?;
    let days_in_month = usize::try_from((last - first).num_days() + 1)?;
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::with_capacity(clients);
    for worker in 0..clients {
        let (targets, measuring, stop) = (targets.clone(), measuring.clone(), stop.clone());
        let client = server.client.clone();
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let (mut errors, mut wrong) = (0_usize, 0_usize);
            let mut i = worker;
            while !stop.load(Ordering::Relaxed) {
                let (token, url) = &targets[i % targets.len()];
                i += clients;
                let started = Instant::now();
                let response = client.get(url).bearer_auth(token).send().await;
                let good = match response {
                    Ok(r) if r.status().is_success() => match r.bytes().await {
                        Ok(body) => {
                            match serde_json::from_slice::<GridShape>(&body) {
                                Ok(grid) if grid.is_whole(days_in_month) => {}
                                _ => wrong += 1,
                            }
                            true
                        }
                        Err(_) => false,
                    },
                    _ => false,
                };
                if measuring.load(Ordering::Relaxed) {
                    if good {
                        latencies.push(started.elapsed());
                    } else {
                        errors += 1;
                    }
                }
            }
            (latencies, errors, wrong)
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    measuring.store(true, Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    measuring.store(false, Ordering::Relaxed);
    let wall = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let (mut latencies, mut errors, mut wrong) = (Vec::new(), 0, 0);
    for worker in workers {
        let (l, e, w) = worker.await?;
        latencies.extend(l);
        errors += e;
        wrong += w;
    }
    println!(
        "planning-read : {} grilles lues en {:.1} s : {:.0} grilles/s",
        latencies.len(),
        wall.as_secs_f64(),
        latencies.len() as f64 / wall.as_secs_f64()
    );
    println!("{}", Summary::of(latencies).line());
    println!("erreurs : {errors} ; grilles incomplètes : {wrong}");
    Ok(errors == 0 && wrong == 0)
}
