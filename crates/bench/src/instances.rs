//! With `--instances 2` or more, after the rush: what must hold when several `portail serve`
//! share one database. Each check prints ✓ or ✗; any ✗ fails the run.
//!
//! - one recap sent with one key to every instance at once is applied once;
//! - a logout on one instance ends the token on the others within the session cache's bound;
//! - an API key revoked on one instance is refused by every other on its very next call;
//! - families registering on every instance get exactly one e-mail each (the outbox is sent
//!   by every instance's worker, each row claimed once).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use portail_domain::api::{
    BookingBatchRequest, BookingBatchResponse, BookingLine, LineAction, LineOutcome,
};
use serde_json::{Value, json};

use crate::server::{BenchServer, Setup};

/// The session cache's bound (`portail_service::accounts::session_cache::TTL`) and a margin.
const REVOCATION_BOUND: Duration = Duration::from_secs(6);

fn mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

pub async fn run(
    server: &BenchServer,
    setup: &Setup,
    maildir: Option<&Path>,
) -> anyhow::Result<bool> {
    let mut held = once_across_instances(server, setup).await?;
    held &= logout_reaches_every_instance(server, setup).await?;
    held &= key_revocation_reaches_every_instance(server, setup).await?;
    held &= emails_leave_once(server, maildir).await?;
    Ok(held)
}

async fn once_across_instances(server: &BenchServer, setup: &Setup) -> anyhow::Result<bool> {
    // A family with a place after the rush cancels it, the same recap sent everywhere at once.
    let mut chosen = None;
    for family in &setup.families {
        let mine: Value = server
            .client
            .get(server.url("/api/v1/bookings"))
            .bearer_auth(&family.token)
            .send()
            .await?
            .json()
            .await?;
        let date = mine["items"]
            .as_array()
            .and_then(|items| items.iter().find(|b| b["status"] == "booked"))
            .and_then(|b| b["date"].as_str()?.parse::<chrono::NaiveDate>().ok());
        if let Some(date) = date {
            chosen = Some((family, date));
            break;
        }
    }
    let (family, date) = chosen.context("no family holds a place after the rush")?;
    let before_sheet = crate::server::sheet(server, setup, date).await?;
    let before = before_sheet.taken;
    let body = BookingBatchRequest {
        lines: vec![BookingLine {
            child_id: family.child_id,
            unit_id: setup.unit_id,
            date,
            action: LineAction::Cancel,
        }],
    };
    let key = format!("instances-{}", uuid::Uuid::new_v4());
    let sends = (0..8 * server.base_urls.len()).map(|i| {
        server
            .client
            .post(server.url_on(i, "/api/v1/bookings/batch"))
            .bearer_auth(&family.token)
            .header("Idempotency-Key", &key)
            .json(&body)
            .send()
    });
    let mut answers = Vec::new();
    let mut in_progress = 0;
    let mut unexpected = 0;
    for response in futures_util::future::join_all(sends).await {
        let response = response?;
        match response.status().as_u16() {
            200 => answers.push(response.json::<BookingBatchResponse>().await?),
            409 => in_progress += 1,
            _ => unexpected += 1,
        }
    }
    let after_sheet = crate::server::sheet(server, setup, date).await?;
    let after = after_sheet.taken;
    // One place given back — or, when children wait for the day, given to the first of them
    // in the same transaction: the same count, the cancelling child replaced by one other.
    let children =
        |s: &portail_domain::api::AttendanceResponse| -> std::collections::BTreeSet<uuid::Uuid> {
            s.entries.iter().map(|e| e.child_id).collect()
        };
    let (was, now) = (children(&before_sheet), children(&after_sheet));
    let once = after + 1 == before
        || (after == before
            && !now.contains(&family.child_id)
            && now.difference(&was).count() == 1
            && was.difference(&now).count() == 1);
    let same = !answers.is_empty() && answers.iter().all(|a| *a == answers[0]);
    let cancelled = answers.first().is_some_and(|a| {
        a.results
            .first()
            .is_some_and(|r| r.outcome == LineOutcome::Cancelled)
    });
    let ok = same && cancelled && unexpected == 0 && once;
    println!(
        "une annulation, même clé, envoyée {} fois sur {} instances : {} réponses identiques, {} «\u{a0}en cours\u{a0}», {} autres ; places {before} → {after} {}",
        8 * server.base_urls.len(),
        server.base_urls.len(),
        answers.len(),
        in_progress,
        unexpected,
        mark(ok)
    );
    Ok(ok)
}

/// An integrator's key, created on the first instance, works on every one; revoked on the
/// first, it is refused by every other at once (keys are never cached).
async fn key_revocation_reaches_every_instance(
    server: &BenchServer,
    setup: &Setup,
) -> anyhow::Result<bool> {
    let created: Value = server
        .client
        .post(server.url_on(0, "/api/v1/staff/api-keys"))
        .bearer_auth(&setup.admin_token)
        .json(&json!({"name": "Deux instances", "scopes": ["invoices:read"]}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let secret = created["secret"].as_str().context("the key's secret")?;
    let id = created["key"]["id"].as_str().context("the key's id")?;
    let status_on = |i: usize| {
        server
            .client
            .get(server.url_on(i, "/api/v1/staff/invoices"))
            .bearer_auth(secret)
            .send()
    };
    let mut before = Vec::new();
    for i in 0..server.base_urls.len() {
        before.push(status_on(i).await?.status().as_u16());
    }
    server
        .client
        .delete(server.url_on(0, &format!("/api/v1/staff/api-keys/{id}")))
        .bearer_auth(&setup.admin_token)
        .send()
        .await?
        .error_for_status()?;
    let mut after = Vec::new();
    for i in (0..server.base_urls.len()).rev() {
        after.push(status_on(i).await?.status().as_u16());
    }
    let ok = before.iter().all(|s| *s == 200) && after.iter().all(|s| *s == 401);
    println!(
        "une clé d'API sur {} instances : {before:?} avant, {after:?} juste après sa révocation sur la première {}",
        server.base_urls.len(),
        mark(ok)
    );
    Ok(ok)
}

async fn logout_reaches_every_instance(
    server: &BenchServer,
    setup: &Setup,
) -> anyhow::Result<bool> {
    let family = setup.families.last().context("no family")?;
    let token = server
        .login("/api/v1/auth/login", &family.email, crate::server::PASSWORD)
        .await?;
    // Every instance has just seen the token: its session is in each one's cache.
    for i in 0..server.base_urls.len() {
        let seen = server
            .client
            .get(server.url_on(i, "/api/v1/account"))
            .bearer_auth(&token)
            .send()
            .await?;
        anyhow::ensure!(
            seen.status().is_success(),
            "a fresh token answered {}",
            seen.status()
        );
    }
    let logout = server
        .client
        .post(server.url_on(0, "/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await?;
    let ended = Instant::now();
    anyhow::ensure!(
        logout.status().is_success(),
        "logout answered {}",
        logout.status()
    );
    let mut ok = true;
    for i in 1..server.base_urls.len() {
        let refused = loop {
            let status = server
                .client
                .get(server.url_on(i, "/api/v1/account"))
                .bearer_auth(&token)
                .send()
                .await?
                .status()
                .as_u16();
            if status == 401 {
                break true;
            }
            if ended.elapsed() > REVOCATION_BOUND {
                break false;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        println!(
            "déconnexion sur l'instance 1, jeton refusé par l'instance {} après {:.1} s {}",
            i + 1,
            ended.elapsed().as_secs_f64(),
            mark(refused)
        );
        ok &= refused;
    }
    Ok(ok)
}

/// How many e-mails to `to` were received: in the SMTP server's maildir, or as `.eml` files
/// in the shared outbox folder when there is no SMTP server.
pub fn received(server: &BenchServer, maildir: Option<&Path>, to: &str) -> usize {
    let dir = match maildir {
        Some(dir) => dir.join("new"),
        None => server.data_dir.join("outbox"),
    };
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .filter(|text| text.lines().any(|l| l.starts_with("To:") && l.contains(to)))
                .count()
        })
        .unwrap_or(0)
}

async fn emails_leave_once(server: &BenchServer, maildir: Option<&Path>) -> anyhow::Result<bool> {
    let emails: Vec<String> = (0..20)
        .map(|_| format!("instances.{}@exemple.fr", uuid::Uuid::new_v4().simple()))
        .collect();
    let registrations = emails.iter().enumerate().map(|(i, email)| {
        server
            .client
            .post(server.url_on(i, "/api/v1/auth/register"))
            .json(&json!({
                "email": email, "password": crate::server::PASSWORD,
                "password_confirmation": crate::server::PASSWORD,
                "address_line1": "12 rue des Écoles", "postal_code": "03000", "city": "Avermes",
                "mobile_phone": "06 12 34 56 78", "civility": "madame", "last_name": "Durand",
                "first_name": "Marie", "birth_date": "1988-04-02", "accept_terms": true
            }))
            .send()
    });
    for response in futures_util::future::join_all(registrations).await {
        let status = response?.status();
        anyhow::ensure!(status.as_u16() == 202, "a registration answered {status}");
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline && emails.iter().any(|e| received(server, maildir, e) == 0) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Every worker polls each second: leave time for a second sending to show.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let counts: Vec<usize> = emails
        .iter()
        .map(|e| received(server, maildir, e))
        .collect();
    let ok = counts.iter().all(|&n| n == 1);
    println!(
        "{} inscriptions réparties sur {} instances : {} e-mails reçus, {} attendus {}",
        emails.len(),
        server.base_urls.len(),
        counts.iter().sum::<usize>(),
        emails.len(),
        mark(ok)
    );
    Ok(ok)
}
