//! `planning-read`: the month grid, read by C clients for a while.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use portail_domain::api::PlanningResponse;

use crate::server::{BenchServer, Setup};
use crate::stats::Summary;

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
                    Ok(r) if r.status().is_success() => match r.json::<PlanningResponse>().await {
                        Ok(grid) => {
                            if grid.days.is_empty() {
                                wrong += 1;
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
    println!("erreurs : {errors} ; grilles vides : {wrong}");
    Ok(errors == 0 && wrong == 0)
}
