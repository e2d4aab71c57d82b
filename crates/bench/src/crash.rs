//! `crash-drill`: `kill -9` a `portail serve` in the middle of a booking storm (the only one on
//! SQLite, the first of two on PostgreSQL), start it again, and resend every recap that got
//! no answer with its `Idempotency-Key`. Then: every line an answer acknowledged is on the
//! attendance sheets and nothing else is, no day over capacity, no 5xx, and the families who
//! registered just before the kill each get exactly one e-mail (the outbox resumes after the
//! restart, each row sent once).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use portail_domain::api::{
    BookingBatchRequest, BookingBatchResponse, BookingLine, LineAction, LineOutcome,
};
use serde_json::json;
use uuid::Uuid;

use crate::server::{self, BenchServer, Setup};

fn mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

struct Recap {
    token: String,
    key: String,
    body: BookingBatchRequest,
}

pub async fn run(
    server: &mut BenchServer,
    setup: &Setup,
    clients: usize,
    capacity: u32,
    maildir: Option<&Path>,
) -> anyhow::Result<bool> {
    server::set_capacity(server, setup, capacity).await?;
    let recaps: Arc<Vec<Recap>> = Arc::new(
        setup
            .families
            .iter()
            .map(|f| Recap {
                token: f.token.clone(),
                key: format!("crash-{}", Uuid::new_v4()),
                body: BookingBatchRequest {
                    lines: setup
                        .dates
                        .iter()
                        .map(|date| BookingLine {
                            child_id: f.child_id,
                            unit_id: setup.unit_id,
                            date: *date,
                            action: LineAction::Book,
                        })
                        .collect(),
                },
            })
            .collect(),
    );
    // Families registering just before the kill: their e-mails are in the outbox.
    let emails: Vec<String> = (0..10)
        .map(|_| format!("crash.{}@exemple.fr", Uuid::new_v4().simple()))
        .collect();
    for (i, email) in emails.iter().enumerate() {
        let status = server
            .client
            .post(server.url_on(i, "/api/v1/auth/register"))
            .json(&json!({
                "email": email, "password": server::PASSWORD,
                "password_confirmation": server::PASSWORD,
                "address_line1": "12 rue des Écoles", "postal_code": "03000", "city": "Avermes",
                "mobile_phone": "06 12 34 56 78", "civility": "madame", "last_name": "Durand",
                "first_name": "Marie", "birth_date": "1988-04-02", "accept_terms": true
            }))
            .send()
            .await?
            .status();
        anyhow::ensure!(status.as_u16() == 202, "a registration answered {status}");
    }

    // The storm, spread over the instances.
    let next = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::with_capacity(clients);
    for worker in 0..clients {
        let (recaps, next, answered) = (recaps.clone(), next.clone(), answered.clone());
        let client = server.client.clone();
        let url = server.url_on(worker, "/api/v1/bookings/batch");
        workers.push(tokio::spawn(async move {
            let mut outcomes: Vec<(usize, u16, Option<BookingBatchResponse>)> = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(recap) = recaps.get(i) else {
                    return outcomes;
                };
                let response = client
                    .post(&url)
                    .bearer_auth(&recap.token)
                    .header("Idempotency-Key", &recap.key)
                    .json(&recap.body)
                    .send()
                    .await;
                let outcome = match response {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        (i, status, response.json().await.ok())
                    }
                    // Cut by the kill: no answer, resent later with its key.
                    Err(_) => (i, 0, None),
                };
                answered.fetch_add(1, Ordering::Relaxed);
                outcomes.push(outcome);
            }
        }));
    }
    let total = recaps.len();
    let deadline = Instant::now() + Duration::from_secs(60);
    while answered.load(Ordering::Relaxed) < total / 4 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let at = answered.load(Ordering::Relaxed);
    server.kill(0)?;
    println!(
        "crash-drill : kill -9 de l'instance 1 sur {} après {at} réponses sur {total}",
        server.base_urls.len()
    );
    let mut outcomes = Vec::with_capacity(total);
    for worker in workers {
        outcomes.extend(worker.await?);
    }
    server.restart(0).await?;
    println!("instance 1 redémarrée");

    // Every recap without an answer is sent again with its key, until answered.
    let mut answers: HashMap<usize, BookingBatchResponse> = HashMap::new();
    let mut server_errors = 0;
    let mut unanswered = Vec::new();
    for (i, status, body) in outcomes {
        match (status, body) {
            (200, Some(body)) => {
                answers.insert(i, body);
            }
            (0, _) => unanswered.push(i),
            (status, _) if status >= 500 => {
                server_errors += 1;
                unanswered.push(i);
            }
            (status, _) => anyhow::bail!("a recap answered {status}"),
        }
    }
    let resent = unanswered.len();
    for i in unanswered {
        let recap = &recaps[i];
        let mut tries = 0;
        loop {
            tries += 1;
            let response = server
                .client
                .post(server.url_on(i, "/api/v1/bookings/batch"))
                .bearer_auth(&recap.token)
                .header("Idempotency-Key", &recap.key)
                .json(&recap.body)
                .send()
                .await?;
            let status = response.status().as_u16();
            if status == 200 {
                answers.insert(i, response.json().await?);
                break;
            }
            // A key still « in progress » (its writer died with the process): try again.
            anyhow::ensure!(
                tries < 30 && matches!(status, 409 | 503),
                "a resent recap answered {status}"
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    println!("{resent} récapitulatifs sans réponse renvoyés avec leur clé : tous répondus");
    let mut held = server_errors == 0;
    println!(
        "réponses 5xx : {server_errors} {}",
        mark(server_errors == 0)
    );

    let mut acknowledged: HashMap<NaiveDate, BTreeSet<Uuid>> = HashMap::new();
    for result in answers.values().flat_map(|b| &b.results) {
        if result.outcome == LineOutcome::Booked {
            acknowledged
                .entry(result.line.date)
                .or_default()
                .insert(result.line.child_id);
        }
    }
    for date in &setup.dates {
        let sheet = server::sheet(server, setup, *date).await?;
        let listed: BTreeSet<Uuid> = sheet.entries.iter().map(|e| e.child_id).collect();
        let expected = acknowledged.remove(date).unwrap_or_default();
        let fine = sheet.taken <= sheet.capacity
            && listed == expected
            && sheet.taken as usize == expected.len();
        println!(
            "{date} : {} places prises / capacité {} ; {} acceptées annoncées, les mêmes enfants sur la feuille {}",
            sheet.taken,
            sheet.capacity,
            expected.len(),
            mark(fine)
        );
        held &= fine;
    }

    // The outbox resumed: one e-mail each, none twice.
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline
        && emails
            .iter()
            .any(|e| crate::instances::received(server, maildir, e) == 0)
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let counts: Vec<usize> = emails
        .iter()
        .map(|e| crate::instances::received(server, maildir, e))
        .collect();
    let once = counts.iter().all(|&n| n == 1);
    println!(
        "{} inscriptions juste avant le kill : {} e-mails reçus, {} attendus {}",
        emails.len(),
        counts.iter().sum::<usize>(),
        emails.len(),
        mark(once)
    );
    held &= once;
    Ok(held)
}
