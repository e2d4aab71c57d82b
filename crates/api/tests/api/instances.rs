//! Two instances of the server on one database (what two `portail serve` behind a load
//! balancer are): the guarantees live in the database, not in one process's memory. Run on
//! SQLite and on PostgreSQL; `scripts/test` also runs two real processes (`portail-bench
//! instances`).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{Datelike as _, Weekday};
use portail_domain::api::{BookingBatchResponse, LineOutcome};
use portail_domain::rules::planning::RefusalCode;
use rand::seq::SliceRandom as _;
use serde_json::{Value, json};

use crate::accounts::{TestFamily, registration, unique_email};
use crate::client::Answer as _;
use crate::helpers::{problem, spawn_app};
use crate::planning_helpers::{line, open_weekday};

#[tokio::test]
async fn a_recap_sent_again_to_another_instance_gets_the_first_answer() {
    let a = spawn_app().await;
    a.seed_demo();
    let b = a.twin().await;
    let me = a.bookers("jumeau", 1).await.remove(0);
    let unit = a.unit("alja", "Matin").await;
    let mon = open_weekday(a.state.ctx.clock.today(), 1, Weekday::Mon);
    let lines = json!([line(&me.child_id, &unit, mon, "book")]);

    let first: Value = a
        .book(&me.token, "cle-partagee", lines.clone())
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(first["accepted"], 1);
    let again = b.book(&me.token, "cle-partagee", lines).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.expect("json"), first);
    let other = json!([line(
        &me.child_id,
        &unit,
        mon + chrono::Duration::days(1),
        "book"
    )]);
    let reused = b.book(&me.token, "cle-partagee", other).await;
    assert_eq!(
        reused.problem(422).await.code.as_str(),
        "idempotency_key_reused"
    );
    assert_eq!(b.my_bookings(&me.token).await.total, 1);
}

#[tokio::test]
async fn one_recap_sent_to_both_instances_at_once_is_applied_once() {
    let a = spawn_app().await;
    a.seed_demo();
    let b = a.twin().await;
    let me = a.bookers("double", 1).await.remove(0);
    let unit = a.unit("alja", "Après-midi").await;
    let mon = open_weekday(a.state.ctx.clock.today(), 2, Weekday::Mon);
    let lines = json!([
        line(&me.child_id, &unit, mon, "book"),
        line(&me.child_id, &unit, mon + chrono::Duration::days(1), "book"),
    ]);
    let tries = (0..16).map(|i| {
        let app = if i % 2 == 0 { &a } else { &b };
        app.book(&me.token, "meme-cle-partout", lines.clone())
    });
    let mut bodies = Vec::new();
    for response in futures::future::join_all(tries).await {
        match response.status().as_u16() {
            200 => bodies.push(response.json::<Value>().await.expect("json")),
            409 => assert_eq!(
                problem(response).await.code.as_str(),
                "idempotency_in_progress"
            ),
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(!bodies.is_empty());
    assert!(
        bodies.iter().all(|b| *b == bodies[0]),
        "every 200 is the first answer"
    );
    assert_eq!(bodies[0]["accepted"], 2);
    assert_eq!(a.my_bookings(&me.token).await.total, 2, "applied once");
}

#[tokio::test]
async fn a_logout_on_one_instance_ends_the_token_on_the_other_within_the_cache_bound() {
    let a = spawn_app().await;
    let b = a.twin().await;
    let family = TestFamily::confirmed(&a).await;
    assert_eq!(
        b.get_as("/api/v1/account", &family.token).await.status(),
        200
    );
    assert_eq!(
        a.post_as("/api/v1/auth/logout", &family.token, &json!({}))
            .await
            .status(),
        204
    );
    let logged_out = Instant::now();
    assert_eq!(
        a.get_as("/api/v1/account", &family.token).await.status(),
        401
    );
    let bound = portail_service::accounts::session_cache::TTL + Duration::from_secs(1);
    loop {
        if b.get_as("/api/v1/account", &family.token).await.status() == 401 {
            break;
        }
        assert!(
            logged_out.elapsed() < bound,
            "the other instance still accepts the token {:?} after the logout",
            logged_out.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn every_email_leaves_once_when_two_instances_send_the_outbox() {
    let a = spawn_app().await;
    let b = a.twin().await;
    let emails: Vec<String> = (0..16).map(|_| unique_email()).collect();
    let registrations = emails.iter().enumerate().map(|(i, email)| {
        let app = if i % 2 == 0 { &a } else { &b };
        let form = registration(email);
        async move { app.register(&form).await }
    });
    for response in futures::future::join_all(registrations).await {
        assert_eq!(response.status(), 202);
    }
    for email in &emails {
        a.smtp.wait_for(email).await;
    }
    // Every row is marked sent: no worker can claim one again (the claim needs `sent_at`
    // empty), so what arrived is final.
    a.outbox_drained().await;
    let mut received: HashMap<String, usize> = HashMap::new();
    for message in a.smtp.messages() {
        *received.entry(message.to).or_default() += 1;
    }
    for email in &emails {
        let count = received
            .iter()
            .filter(|(to, _)| to.contains(email.as_str()))
            .map(|(_, n)| n)
            .sum::<usize>();
        assert_eq!(count, 1, "{email} received {count} e-mails");
    }
}

#[tokio::test]
async fn capacity_holds_when_recaps_over_overlapping_days_in_any_order_reach_both_instances() {
    let a = spawn_app().await;
    a.seed_demo();
    let b = a.twin().await;
    let families = a.bookers("desordre", 24).await;
    let admin = a.admin().await;
    let unit = a.unit("alja", "Journée avec repas").await;
    let today = a.state.ctx.clock.today();
    let days: Vec<_> = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
    .into_iter()
    .map(|w| open_weekday(today, 3, w))
    .collect();
    for day in &days {
        let set = a
            .put_as(
                &format!("/api/v1/staff/units/{unit}/capacity"),
                &admin.token,
                &json!({"date": day, "capacity": 6}),
            )
            .await;
        assert_eq!(set.status(), 200);
    }
    let mut rng = rand::rng();
    let recaps: Vec<_> = families
        .iter()
        .enumerate()
        .map(|(i, family)| {
            let mut mine = days.clone();
            mine.shuffle(&mut rng);
            let lines: Vec<Value> = mine
                .iter()
                .map(|d| line(&family.child_id, &unit, *d, "book"))
                .collect();
            let app = if i % 2 == 0 { &a } else { &b };
            app.book(&family.token, format!("desordre-{i}"), Value::Array(lines))
        })
        .collect();
    let mut accepted: HashMap<chrono::NaiveDate, usize> = HashMap::new();
    for response in futures::future::join_all(recaps).await {
        assert_eq!(response.status(), 200, "no 5xx, no error");
        let body: BookingBatchResponse = response.json().await.expect("the shared DTO");
        for result in body.results {
            match result.outcome {
                LineOutcome::Booked => *accepted.entry(result.line.date).or_default() += 1,
                _ => assert_eq!(result.code, Some(RefusalCode::Full), "{result:?}"),
            }
        }
    }
    for day in &days {
        let sheet = b.sheet(&admin.token, &unit, *day).await;
        let booked = sheet.entries.len();
        assert_eq!(booked, 6, "{day} ({:?}) is exactly full", day.weekday());
        assert_eq!(sheet.taken, 6);
        assert_eq!(
            accepted.get(day).copied().unwrap_or(0),
            6,
            "every accepted line is there"
        );
    }
}

#[tokio::test]
async fn the_yearly_reverification_run_by_both_instances_at_once_emails_each_family_once() {
    let a = spawn_app().await;
    a.seed_demo();
    let b = a.twin().await;
    let families = a.bookers("annuel", 6).await;
    let due =
        chrono::NaiveDate::from_ymd_opt(a.state.ctx.clock.today().year() + 1, 9, 1).expect("date");
    let (on_a, on_b) = tokio::join!(
        portail_service::family::dossier::run_reverification(&a.state.ctx, due),
        portail_service::family::dossier::run_reverification(&b.state.ctx, due),
    );
    let (on_a, on_b) = (on_a.expect("ran"), on_b.expect("ran"));
    assert_eq!(
        on_a + on_b,
        on_a.max(on_b),
        "one instance did the job, the other nothing"
    );
    assert!(on_a.max(on_b) >= families.len());
    for family in &families {
        a.smtp.wait_for(&family.email).await;
    }
    a.outbox_drained().await;
    for family in &families {
        let count = a
            .smtp
            .messages()
            .iter()
            .filter(|m| m.to.contains(&family.email))
            .count();
        assert_eq!(count, 1, "{} received {count} e-mails", family.email);
    }
}
