//! `staff-search`: the staff's families list and search, on whatever the database holds (with
//! `--town 48000` beside the 2,000 families who log in: a large town's 50,000 files). One
//! agent at a time, as at the town hall's desk: each request is timed alone, many times.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Deserialize;

use crate::server::{BenchServer, Setup};
use crate::stats::Summary;

#[derive(Deserialize)]
struct ListShape {
    items: Vec<serde::de::IgnoredAny>,
    total: u64,
}

/// What an agent types, and what the answer must hold (`None`: whatever the data).
fn cases(families: usize) -> Vec<(&'static str, String, Option<u64>)> {
    let last_page = families.div_ceil(50).max(1);
    vec![
        ("toutes, page 1", String::new(), None),
        ("toutes, dernière page", format!("page={last_page}"), None),
        ("file d'attente", "status=submitted".to_owned(), None),
        // Every bench family: « banc » is in each e-mail.
        ("« banc » (toutes)", "q=banc".to_owned(), None),
        (
            "« banc » dernière page",
            format!("q=banc&page={last_page}"),
            None,
        ),
        ("une adresse", "q=banc.7%40".to_owned(), Some(1)),
        ("un nom", "q=banc-bcd".to_owned(), None),
        ("personne", "q=dupont".to_owned(), Some(0)),
    ]
}

pub async fn run(server: &BenchServer, setup: &Setup, rounds: usize) -> anyhow::Result<bool> {
    let mut held = true;
    let families = usize::try_from(fetch(server, setup, "per_page=1").await?.total)?;
    println!("staff-search : {families} dossiers dans la base, {rounds} requêtes par cas");
    for (label, query, expected) in cases(families) {
        let mut latencies = Vec::with_capacity(rounds);
        let mut total = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            let list = fetch(server, setup, &query).await?;
            latencies.push(started.elapsed());
            total = list.total;
            if list.items.len() > 50 {
                held = false;
            }
        }
        if expected.is_some_and(|e| e != total) {
            println!("  {label} : {total} résultats, {expected:?} attendus");
            held = false;
        }
        let summary = Summary::of(latencies);
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "  {label:<24} {total:>6} résultats — p50 {:.1} ms — p99 {:.1} ms — max {:.1} ms",
            ms(summary.p50),
            ms(summary.p99),
            ms(summary.max)
        );
    }
    Ok(held)
}

async fn fetch(server: &BenchServer, setup: &Setup, query: &str) -> anyhow::Result<ListShape> {
    let response = server
        .client
        .get(format!("{}?{query}", server.url("/api/v1/staff/families")))
        .bearer_auth(&setup.admin_token)
        .send()
        .await?;
    let status = response.status();
    anyhow::ensure!(status.is_success(), "{query} : HTTP {status}");
    response.json().await.context("the families list")
}
