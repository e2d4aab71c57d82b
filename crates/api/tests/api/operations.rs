//! Running the portal: `/metrics` (parsed by Prometheus's own Python parser), the health
//! probes, and stopping on SIGTERM (requests in flight finish, new ones get a 503, the process
//! exits within its bound).

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::client::Answer as _;
use crate::helpers::{TestApp, free_port, spawn_app, spawn_app_with};
use crate::planning_helpers::{BENCH_PASSWORD, line, open_weekday};

const METRICS_TOKEN: &str = "un-jeton-de-supervision-assez-long";

/// One scrape, as `prometheus_client.parser` reads it: (name, sorted labels) → value.
type Samples = BTreeMap<(String, String), f64>;

async fn scrape(app: &TestApp) -> Samples {
    let response = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    parse(&response.text().await.expect("text"))
}

/// The scrape through `prometheus_client.parser.text_string_to_metric_families`: it fails on
/// anything the text format does not allow.
fn parse(text: &str) -> Samples {
    let python = std::env::var("PORTAIL_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = r#"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        out.append([s.name, ",".join(f"{k}={v}" for k, v in sorted(s.labels.items())), s.value])
print(json.dumps(out))
"#;
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs (scripts/bootstrap installs prometheus_client)");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), text.as_bytes())
        .expect("written");
    let output = child.wait_with_output().expect("python ends");
    assert!(
        output.status.success(),
        "the Prometheus parser refused the scrape: {}\n{text}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Vec<(String, String, f64)> = serde_json::from_slice(&output.stdout).expect("json");
    rows.into_iter()
        .map(|(name, labels, value)| ((name, labels), value))
        .collect()
}

fn value(samples: &Samples, name: &str, labels: &str) -> f64 {
    samples
        .get(&(name.to_owned(), labels.to_owned()))
        .copied()
        .unwrap_or(0.0)
}

#[tokio::test]
async fn a_login_a_booking_and_a_refusal_move_the_right_series() {
    let app = spawn_app_with(|settings| {
        settings.metrics_token = Some(METRICS_TOKEN.to_owned().into());
    })
    .await;
    app.seed_demo();
    let family = app.bookers("mesure", 1).await.remove(0);
    let unit = app.unit("alja", "Matin").await;

    // Only for the bearer of the token.
    assert_eq!(app.get("/metrics").await.status(), 401);
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("un-autre-jeton-de-supervision-long")
        .send()
        .await
        .expect("sent");
    assert_eq!(wrong.status(), 401);

    let before = scrape(&app).await;
    let failed = app
        .login(&family.email, "pas le bon mot de passe", false)
        .await;
    assert_eq!(failed.status(), 401);
    let ok = app.login(&family.email, BENCH_PASSWORD, false).await;
    assert_eq!(ok.status(), 200);
    let today = app.state.ctx.clock.today();
    let open = open_weekday(today, 3, chrono::Weekday::Tue);
    let answer = app
        .recap(
            &family.token,
            "mesure-1",
            json!([
                line(&family.child_id, &unit, open, "book"),
                // Past: refused with its code.
                line(
                    &family.child_id,
                    &unit,
                    today - chrono::Duration::days(7),
                    "book"
                ),
            ]),
        )
        .await;
    assert_eq!((answer.accepted, answer.refused), (1, 1));
    let refused_code = answer
        .results
        .iter()
        .find_map(|r| r.code)
        .expect("a refusal code")
        .as_str();
    let after = scrape(&app).await;

    let moved =
        |name: &str, labels: &str| value(&after, name, labels) - value(&before, name, labels);
    assert_eq!(
        moved(
            "portail_login_failures_total",
            "account=family,reason=invalid_credentials"
        ),
        1.0
    );
    assert_eq!(
        moved(
            "portail_booking_lines_refused_total",
            &format!("code={refused_code}")
        ),
        1.0
    );
    assert_eq!(
        moved("portail_booking_lines_accepted_total", "outcome=booked"),
        1.0
    );
    assert_eq!(
        moved(
            "portail_http_requests_total",
            "method=POST,route=/api/v1/bookings/batch,status=200"
        ),
        1.0
    );
    assert_eq!(
        moved(
            "portail_http_requests_total",
            "method=POST,route=/api/v1/auth/login,status=401"
        ),
        1.0
    );
    // Latency per route template: a histogram with its buckets, never one series per id.
    assert!(
        value(
            &after,
            "portail_http_request_duration_seconds_count",
            "method=POST,route=/api/v1/bookings/batch"
        ) >= 1.0
    );
    assert!(
        after
            .keys()
            .all(|(_, labels)| !labels.contains(&family.child_id)),
        "no id in a label"
    );
    // The queues and the pool, read at scrape time; two logins went through the hash queue.
    assert!(after.contains_key(&("portail_outbox_pending".to_owned(), String::new())));
    assert!(after.contains_key(&(
        "portail_outbox_oldest_pending_age_seconds".to_owned(),
        String::new()
    )));
    assert!(after.contains_key(&(
        "portail_webhook_deliveries".to_owned(),
        "state=failed".to_owned()
    )));
    assert!(moved("portail_password_hash_admitted_total", "") >= 2.0);
    assert!(value(&after, "portail_database_connections_max", "") >= 1.0);
    assert_eq!(value(&after, "portail_database_up", ""), 1.0);
}

#[tokio::test]
async fn without_a_token_there_is_no_metrics_endpoint_and_the_probes_answer() {
    let app = spawn_app().await;
    assert_eq!(app.get("/metrics").await.status(), 404);
    let live = app.get("/health/live").await;
    assert_eq!(live.status(), 200);
    let ready = app.get("/health/ready").await;
    let body: Value = ready.read(200).await;
    assert_eq!(body["ready"], true);
    assert_eq!(body["migrations"], "current");
    // Draining (what SIGTERM starts): not ready, and new requests get a 503.
    app.state.lifecycle.start_draining();
    let ready = app.get("/health/ready").await;
    let body: Value = ready.read(503).await;
    assert_eq!(body["stopping"], true);
    let refused = app.get("/api/v1/services").await;
    assert_eq!(refused.status(), 503);
    assert!(refused.headers().contains_key("retry-after"));
    let problem: Value = refused.json().await.expect("problem");
    assert_eq!(problem["code"], "service_unavailable");
    assert_eq!(app.get("/health/live").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sigterm_requests_in_flight_finish_new_ones_get_503_and_the_process_exits() {
    let app = spawn_app().await;
    app.seed_demo();
    let family = app.bookers("sigterm", 1).await.remove(0);
    let port = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_portail"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("PORTAIL_TEST_CLOCK", app.state.ctx.clock.now().to_rfc3339())
        .env("PORTAIL_DATABASE_URL", &app.database_url)
        .env("PORTAIL_DATA_DIR", app.data_dir.path())
        .env("PORTAIL_STATIC_DIR", &app.static_dir)
        .env("PORTAIL_JWT_SECRET", crate::helpers::TEST_JWT_SECRET)
        .env("PORTAIL_BIND", format!("127.0.0.1:{port}"))
        .env("PORTAIL_AUTH_RATE_LIMIT_PER_MINUTE", "10000")
        // One hash at a time: the logins queue, and are still in flight at SIGTERM.
        .env("PORTAIL_PASSWORD_HASHES_IN_FLIGHT", "1")
        .env("PORTAIL_PASSWORD_HASH_WAIT_MS", "30000")
        .env("PORTAIL_SHUTDOWN_TIMEOUT_SECS", "20")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("portail serve starts");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(r) = client.get(format!("{base}/health/ready")).send().await
            && r.status() == 200
        {
            break;
        }
        assert!(Instant::now() < deadline, "the server never became ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let logins: Vec<_> = (0..24)
        .map(|_| {
            let (client, base, email) = (client.clone(), base.clone(), family.email.clone());
            tokio::spawn(async move {
                client
                    .post(format!("{base}/api/v1/auth/login"))
                    .json(&json!({ "email": email, "password": BENCH_PASSWORD }))
                    .send()
                    .await
                    .map(|r| (r.status().as_u16(), Instant::now()))
            })
        })
        .collect();
    // Let them all arrive, then SIGTERM.
    tokio::time::sleep(Duration::from_millis(150)).await;
    let signalled = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    // Once draining, a new request is answered 503 while the logins still run.
    let mut saw_503 = None;
    while Instant::now() < signalled + Duration::from_secs(10) {
        match client.get(format!("{base}/api/v1/services")).send().await {
            Ok(r) if r.status() == 503 => {
                assert!(r.headers().contains_key("retry-after"));
                saw_503 = Some(Instant::now());
                break;
            }
            Ok(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            Err(_) => break,
        }
    }
    let refused_at = saw_503.expect("a request after SIGTERM is refused with a 503");
    let mut statuses = Vec::new();
    let mut last_answer = signalled;
    for login in logins {
        let (status, at) = login.await.expect("task").expect("answered, not cut");
        statuses.push(status);
        last_answer = last_answer.max(at);
    }
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert!(
        last_answer > refused_at,
        "logins were still in flight when the new request was refused"
    );
    // And the process ends, cleanly, within its bound.
    let exit_deadline = signalled + Duration::from_secs(25);
    let status = loop {
        if let Some(status) = server.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > exit_deadline {
            server.kill().ok();
            panic!("the server did not stop within its shutdown bound");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(status.success(), "{status:?}");
}
