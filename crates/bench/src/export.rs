//! `export-csv`: every family books 20 lines of a month (outside the measure), then an API key
//! with `bookings:read` downloads the month's bookings of the holiday centre as CSV — streamed
//! by the server a chunk of 1,000 rows at a time. Measured: rows a second, and the server
//! process's resident memory sampled every 20 ms during the download against what it held just
//! before (the memory an export costs must not grow with its size).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use portail_domain::api::CreatedApiKeyResponse;

use crate::server::{BenchServer, Setup};

/// The server's resident memory (kB), from `/proc`.
fn rss_kb(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .context("the server's /proc status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("VmRSS")
}

pub async fn run(server: &BenchServer, setup: &Setup, clients: usize) -> anyhow::Result<bool> {
    crate::billing::book_month(server, setup, clients, "export-csv").await?;
    let expected = setup.families.len() * 20;
    let key: CreatedApiKeyResponse = server
        .client
        .post(server.url("/api/v1/staff/api-keys"))
        .bearer_auth(&setup.admin_token)
        .json(&serde_json::json!({"name": "Banc d'essai", "scopes": ["bookings:read"]}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let pid = server.pid(0).context("the server's process")?;
    let mut best_rate = 0_f64;
    let mut worst_growth = 0_u64;
    for round in 1..=3 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let before = rss_kb(pid)?;
        let peak = Arc::new(AtomicU64::new(before));
        let done = Arc::new(AtomicBool::new(false));
        let sampler = {
            let (peak, done) = (peak.clone(), done.clone());
            tokio::spawn(async move {
                while !done.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kb(pid).unwrap_or(0), Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
        };
        let started = Instant::now();
        let response = server
            .client
            .get(server.url("/api/v1/staff/bookings.csv"))
            .query(&[("service", "alja"), ("month", setup.month.as_str())])
            .bearer_auth(&key.secret)
            .timeout(Duration::from_secs(600))
            .send()
            .await?
            .error_for_status()?;
        ensure!(
            response.content_length().is_none(),
            "the export is streamed"
        );
        let mut response = response;
        let (mut bytes, mut lines) = (0_u64, 0_u64);
        while let Some(piece) = response.chunk().await? {
            bytes += piece.len() as u64;
            lines += piece.iter().filter(|b| **b == b'\n').count() as u64;
        }
        let took = started.elapsed().as_secs_f64();
        done.store(true, Ordering::Relaxed);
        sampler.await.ok();
        peak.fetch_max(rss_kb(pid)?, Ordering::Relaxed);
        let growth = peak.load(Ordering::Relaxed).saturating_sub(before);
        let rows = lines.saturating_sub(1);
        let rate = rows as f64 / took;
        println!(
            "export CSV, essai {round} : {rows} lignes, {:.1} Mo en {took:.2} s ({rate:.0} lignes/s) ; mémoire du serveur {:.1} Mo avant, au plus {:.1} Mo de plus pendant l'export",
            bytes as f64 / 1e6,
            before as f64 / 1024.0,
            growth as f64 / 1024.0,
        );
        ensure!(
            rows as usize >= expected,
            "{rows} rows for {expected} bookings"
        );
        best_rate = best_rate.max(rate);
        worst_growth = worst_growth.max(growth);
    }
    println!(
        "export CSV : meilleur des 3 essais {best_rate:.0} lignes/s ; mémoire en plus pendant un export : {:.1} Mo au plus",
        worst_growth as f64 / 1024.0
    );
    Ok(true)
}
