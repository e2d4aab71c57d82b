//! Integrators (issue 14): API keys and their scopes (walked over the whole OpenAPI document),
//! revocation across instances, the per-key rate limit, the audit of key calls; webhooks
//! signed and delivered to a real local receiver, retried while it is down, never to a
//! private address in production mode; the calendar feed parsed by a real iCalendar parser;
//! a CSV export of 100,000 rows streamed in bounded chunks; incremental listing.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDate, Timelike as _, Weekday};
use hmac::{Hmac, Mac as _};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::client::Answer as _;
use crate::helpers::{TestApp, problem, spawn_app, spawn_app_with};
use crate::planning_helpers::{line, open_weekday};

const SPEC: &str = include_str!("../../../../openapi/openapi.json");
const ALL_SCOPES: [&str; 6] = [
    "families:read",
    "bookings:read",
    "bookings:write",
    "attendance:read",
    "invoices:read",
    "payments:write",
];

/// A new key with these scopes, as an admin creates it: `(id, secret)`.
async fn key(app: &TestApp, admin: &str, name: &str, scopes: &[&str]) -> (String, String) {
    let response = app
        .post_as(
            "/api/v1/staff/api-keys",
            admin,
            &json!({"name": name, "scopes": scopes}),
        )
        .await;
    let created: Value = response.read(201).await;
    let secret = created["secret"].as_str().expect("secret").to_owned();
    assert!(secret.starts_with("pf_live_"), "{secret}");
    assert!(
        created["key"]["prefix"]
            .as_str()
            .is_some_and(|p| secret.starts_with(p) && p.len() == 20),
        "{created}"
    );
    (
        created["key"]["id"].as_str().expect("id").to_owned(),
        secret,
    )
}

fn concrete(path: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let mut path = path.to_owned();
    for name in [
        "family_id",
        "document_id",
        "staff_id",
        "requirement_id",
        "period_id",
        "unit_id",
        "announcement_id",
        "tariff_id",
        "invoice_id",
        "payment_id",
        "child_id",
        "preregistration_id",
        "key_id",
        "webhook_id",
        "delivery_id",
        "appointment_id",
        "conversation_id",
        "batch_id",
        "debit_id",
        "message_id",
    ] {
        path = path.replace(&format!("{{{name}}}"), &id);
    }
    path.replace("{date}", "2026-11-02")
        .replace("{year}", "2026")
        .replace("{service}", "alja")
        .replace("{token}", "x")
        .replace("{slug}", "mentions-legales")
}

async fn send(app: &TestApp, method: &str, path: &str, key: &str) -> reqwest::Response {
    let url = app.url(path);
    let request = match method {
        "get" => app.client.get(url),
        "post" => app.client.post(url).json(&json!({})),
        "put" => app.client.put(url).json(&json!({})),
        "delete" => app.client.delete(url),
        other => panic!("no test for the method {other}: extend this test"),
    };
    request.bearer_auth(key).send().await.expect("sent")
}

/// The scope each operation of the document asks of a key (`None`: closed to keys).
fn requirements() -> Vec<(String, String, String, Option<String>)> {
    let spec: Value = serde_json::from_str(SPEC).expect("json");
    let mut all = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            let security = operation["security"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if security.is_empty() {
                continue;
            }
            let scope = security.iter().find_map(|r| {
                r.get("cle_api")?
                    .as_array()?
                    .first()?
                    .as_str()
                    .map(str::to_owned)
            });
            all.push((
                path.clone(),
                method.clone(),
                operation["operationId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                scope,
            ));
        }
    }
    all
}

#[tokio::test]
async fn every_operation_asks_a_key_for_its_scope_and_every_call_is_audited() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let (_, everything) = key(&app, &admin.token, "Tout", &ALL_SCOPES).await;
    let mut without: BTreeMap<&str, String> = BTreeMap::new();
    for scope in ALL_SCOPES {
        let others: Vec<&str> = ALL_SCOPES.iter().copied().filter(|s| *s != scope).collect();
        without.insert(
            scope,
            key(&app, &admin.token, &format!("Sans {scope}"), &others)
                .await
                .1,
        );
    }
    let mut scoped = 0;
    let mut closed = 0;
    for (path, method, operation, scope) in requirements() {
        let concrete = concrete(&path);
        assert!(!concrete.contains('{'), "{path}: give this test a value");
        match scope {
            Some(scope) => {
                let lacking = send(&app, &method, &concrete, &without[scope.as_str()]).await;
                assert_eq!(lacking.status(), 403, "{operation} without {scope}");
                let refusal = problem(lacking).await;
                assert_eq!(refusal.code.as_str(), "missing_scope", "{operation}");
                assert!(
                    refusal.detail.as_str().contains(&scope),
                    "{operation}: {refusal:?}"
                );
                let allowed = send(&app, &method, &concrete, &everything).await;
                assert!(
                    ![401, 403].contains(&allowed.status().as_u16()),
                    "{operation} with {scope}: {}",
                    allowed.status()
                );
                scoped += 1;
            }
            None => {
                let refused = send(&app, &method, &concrete, &everything).await;
                assert_eq!(
                    refused.status(),
                    403,
                    "{method} {path} ({operation}) must be closed to keys"
                );
                closed += 1;
            }
        }
    }
    assert!(scoped >= 19, "{scoped} operations open to keys");
    assert!(closed >= 60, "{closed} operations closed to keys");

    // A malformed or unknown key is refused before anything, never taken for a session.
    for bad in [
        "pf_live_nope",
        "pf_live_aaaaaaaaaaaa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let response = app.get_as("/api/v1/staff/families", bad).await;
        assert_eq!(response.status(), 401);
    }

    // Every call made with a key is in the audit log: key, operation, status.
    let log: Value = app
        .get_as("/api/v1/staff/audit-events?per_page=200", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    let calls: Vec<&Value> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["action"] == "api_key_call")
        .collect();
    assert!(calls.len() >= 100, "{} calls audited", calls.len());
    assert!(
        calls.iter().any(|e| {
            let detail = e["detail"].as_str().unwrap_or_default();
            detail.starts_with("403;GET;/api/v1/staff/families;list_families;Sans families:read")
        }),
        "a refused call is audited with its operation and status"
    );
    assert!(
        calls.iter().any(|e| e["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("a appelé l'API avec la clé «\u{a0}Tout\u{a0}»"))),
        "the log says it in French"
    );
}

#[tokio::test]
async fn a_key_reads_what_its_scope_allows_and_never_medical_details() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let (_, families) = key(&app, &admin.token, "Statistiques", &["families:read"]).await;
    let list: Value = app
        .get_as("/api/v1/staff/families?per_page=5", &families)
        .await
        .json()
        .await
        .expect("json");
    let family_id = list["items"][0]["family_id"].as_str().expect("a family");
    let detail: Value = app
        .get_as(&format!("/api/v1/staff/families/{family_id}"), &families)
        .await
        .json()
        .await
        .expect("json");
    let as_admin: Value = app
        .get_as(&format!("/api/v1/staff/families/{family_id}"), &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(detail["household"], as_admin["household"]);
    for (child, seen_by_admin) in detail["children"]
        .as_array()
        .expect("children")
        .iter()
        .zip(as_admin["children"].as_array().expect("children"))
    {
        assert_eq!(child["first_name"], seen_by_admin["first_name"]);
        assert!(
            child["allergies"].as_str().unwrap_or_default().is_empty(),
            "no medical detail for a key: {child}"
        );
    }
    // `updated_since` in the future: nothing changed since.
    let later = (app.state.ctx.clock.now() + Duration::days(400)).to_rfc3339();
    let none: Value = app
        .client
        .get(app.url("/api/v1/staff/families"))
        .query(&[("updated_since", later.as_str())])
        .bearer_auth(&families)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(none["total"], 0, "{none}");
}

#[tokio::test]
async fn a_revoked_or_expired_key_is_refused_at_once_on_every_instance() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let other = app.twin().await;
    let (id, secret) = key(&app, &admin.token, "Compta", &["invoices:read"]).await;
    assert_eq!(
        other
            .get_as("/api/v1/staff/invoices", &secret)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get_as("/api/v1/staff/invoices", &secret).await.status(),
        200
    );

    let listed: Value = app
        .get_as("/api/v1/staff/api-keys", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    let item = &listed["items"][0];
    assert_eq!(item["name"], "Compta");
    assert!(
        item["last_used_at"].is_string(),
        "last use recorded: {item}"
    );
    assert!(item.get("secret").is_none() && !listed.to_string().contains(&secret[20..]));

    let revoked = app
        .delete_as(&format!("/api/v1/staff/api-keys/{id}"), &admin.token)
        .await;
    assert_eq!(revoked.status(), 200);
    // The other instance refuses it on the very next call: nothing is cached.
    assert_eq!(
        other
            .get_as("/api/v1/staff/invoices", &secret)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.get_as("/api/v1/staff/invoices", &secret).await.status(),
        401
    );

    // An expiry: the key works through its last day, and is refused the day after.
    let last_day = app.state.ctx.clock.today();
    let response = app
        .post_as(
            "/api/v1/staff/api-keys",
            &admin.token,
            &json!({"name": "Essai", "scopes": ["invoices:read"], "expires_on": last_day}),
        )
        .await;
    let short: Value = response.read(201).await;
    let short = short["secret"].as_str().expect("secret");
    assert_eq!(
        app.get_as("/api/v1/staff/invoices", short).await.status(),
        200
    );
    app.advance_clock(Duration::hours(25));
    assert_eq!(
        app.get_as("/api/v1/staff/invoices", short).await.status(),
        401
    );

    // Bad requests are told in French, per field.
    let admin = app.staff_again(&admin).await;
    let refused = app
        .post_as(
            "/api/v1/staff/api-keys",
            &admin.token,
            &json!({"name": "", "scopes": ["all"]}),
        )
        .await;
    let fields: Vec<String> = refused
        .problem(422)
        .await
        .errors
        .iter()
        .map(|e| e.field.as_str().to_owned())
        .collect();
    assert_eq!(fields, ["name", "scopes"]);
    // An agent manages no keys.
    let agent = app.agent().await;
    assert_eq!(
        app.get_as("/api/v1/staff/api-keys", &agent.token)
            .await
            .status(),
        403
    );
    // A key acts under its creator: deactivating that account stops its keys.
    let (_, orphan) = key(&app, &admin.token, "Orpheline", &["invoices:read"]).await;
    assert_eq!(
        app.get_as("/api/v1/staff/invoices", &orphan).await.status(),
        200
    );
    {
        use portail_entity::staff;
        use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _, sea_query::Expr};
        staff::Entity::update_many()
            .col_expr(staff::Column::Active, Expr::value(false))
            .filter(staff::Column::Role.eq("admin"))
            .exec(&app.state.ctx.db)
            .await
            .expect("deactivated");
    }
    assert_eq!(
        app.get_as("/api/v1/staff/invoices", &orphan).await.status(),
        401
    );
}

#[tokio::test]
async fn a_key_over_its_limit_waits_whichever_instance_it_calls() {
    let app = spawn_app_with(|s| s.api_key_rate_limit_per_minute = 5).await;
    app.seed_demo();
    let admin = app.admin().await;
    let other = app.twin_with(|s| s.api_key_rate_limit_per_minute = 5).await;
    let (_, secret) = key(&app, &admin.token, "Tableau de bord", &["invoices:read"]).await;
    // Start at the beginning of a minute of the server's clock, so the five calls share it.
    // Both instances' clocks move together (in production both read the same NTP time).
    let now = app.state.ctx.clock.now();
    let to_next_minute = Duration::seconds(i64::from(60 - now.second()) % 60 + 1);
    app.advance_clock(to_next_minute);
    other.advance_clock(to_next_minute);
    for (i, instance) in [&app, &other, &app, &other, &app].into_iter().enumerate() {
        let response = instance.get_as("/api/v1/staff/invoices", &secret).await;
        assert_eq!(response.status(), 200, "call {i}");
    }
    let limited = other.get_as("/api/v1/staff/invoices", &secret).await;
    assert_eq!(limited.status(), 429);
    let retry: u64 = limited
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(problem(limited).await.code.as_str(), "rate_limited");
    app.advance_clock(Duration::seconds(61));
    assert_eq!(
        app.get_as("/api/v1/staff/invoices", &secret).await.status(),
        200
    );
}

/// A request as the receiver got it: its headers (lowercase names) and its body.
type Received = (BTreeMap<String, String>, String);

/// A real HTTP receiver on this machine: answers 200 and keeps what it was sent.
#[derive(Clone, Default)]
struct Receiver {
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn listen(&self, listener: tokio::net::TcpListener) {
        let received = self.received.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let received = received.clone();
                tokio::spawn(async move {
                    let mut data = Vec::new();
                    let mut buffer = [0_u8; 4096];
                    loop {
                        let Ok(n) = socket.read(&mut buffer).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        data.extend_from_slice(&buffer[..n]);
                        let text = String::from_utf8_lossy(&data).to_string();
                        let Some((head, body)) = text.split_once("\r\n\r\n") else {
                            continue;
                        };
                        let headers: BTreeMap<String, String> = head
                            .lines()
                            .skip(1)
                            .filter_map(|l| l.split_once(':'))
                            .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
                            .collect();
                        let length: usize = headers
                            .get("content-length")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0);
                        if body.len() < length {
                            continue;
                        }
                        received
                            .lock()
                            .expect("lock")
                            .push((headers, body[..length].to_owned()));
                        let _ = socket
                            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                            .await;
                        return;
                    }
                });
            }
        });
    }

    fn all(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }
}

fn verify(secret: &str, header: &str, body: &str) -> bool {
    let Some((t, v1)) = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
    else {
        return false;
    };
    let mut mac = <Hmac<sha2::Sha256>>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{t}.{body}").as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    expected == v1
}

async fn deliveries(app: &TestApp, admin: &str, webhook: &str) -> Vec<Value> {
    let page: Value = app
        .get_as(
            &format!("/api/v1/staff/webhooks/{webhook}/deliveries"),
            admin,
        )
        .await
        .json()
        .await
        .expect("json");
    page["items"].as_array().expect("items").clone()
}

/// Runs the delivery worker's pass until `done` holds (the server's own worker runs too).
async fn deliver_until(
    app: &TestApp,
    admin: &str,
    webhook: &str,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    for _ in 0..100 {
        portail_service::integrations::webhooks::deliver_due(&app.state.ctx, &app.state.webhooks)
            .await
            .expect("a delivery pass");
        let items = deliveries(app, admin, webhook).await;
        if done(&items) {
            return items;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "deliveries never reached the expected state: {:?}",
        deliveries(app, admin, webhook).await
    );
}

/// A port with nothing listening on it (the receiver is « down »).
fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    probe.local_addr().expect("addr").port()
}

/// Subscribes `url` to `events` as the admin: `(subscription id, signing secret)`.
async fn subscribe(app: &TestApp, admin: &str, url: &str, events: &[&str]) -> (String, String) {
    let created = app
        .post_as(
            "/api/v1/staff/webhooks",
            admin,
            &json!({"url": url, "description": "Logiciel de la cantine", "events": events}),
        )
        .await;
    let created: Value = created.read(201).await;
    (
        created["webhook"]["id"].as_str().expect("id").to_owned(),
        created["secret"].as_str().expect("secret").to_owned(),
    )
}

/// One validated family with a child, and a holiday-centre day it may book.
async fn one_booking_family(app: &TestApp) -> (crate::planning_helpers::Booker, String, NaiveDate) {
    let booker = app.bookers("hook", 1).await.remove(0);
    let unit = app.unit("alja", "Matin").await;
    let date = open_weekday(app.state.ctx.clock.today(), 3, Weekday::Tue);
    (booker, unit, date)
}

#[tokio::test]
async fn webhooks_are_signed_retried_while_the_receiver_is_down_and_delivered_once_it_is_back() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    // The receiver's port, with nothing listening yet.
    let port = free_port();
    let (webhook, secret) = subscribe(
        &app,
        &admin.token,
        &format!("http://127.0.0.1:{port}/hooks"),
        &["booking.created", "booking.cancelled"],
    )
    .await;
    assert!(secret.starts_with("whsec_"));

    let (booker, unit, date) = one_booking_family(&app).await;
    let booked = app
        .book(
            &booker.token,
            "hook-1",
            json!([line(&booker.child_id, &unit, date, "book")]),
        )
        .await;
    assert_eq!(booked.status(), 200);

    // Down: the attempt fails, is counted, and waits.
    let items = deliver_until(&app, &admin.token, &webhook, |items| {
        items.len() == 1 && items[0]["attempts"].as_u64().unwrap_or(0) >= 1
    })
    .await;
    assert_eq!(items[0]["status"], "pending");
    assert_eq!(items[0]["event"], "booking.created");
    assert!(items[0]["last_error"].is_string(), "{}", items[0]);
    assert!(items[0]["next_attempt_at"].is_string());

    // Back: delivered at the next attempt, signed.
    let receiver = Receiver::default();
    receiver
        .listen(
            tokio::net::TcpListener::bind(("127.0.0.1", port))
                .await
                .expect("the port again"),
        )
        .await;
    app.advance_clock(Duration::minutes(2));
    let items = deliver_until(&app, &admin.token, &webhook, |items| {
        items.first().is_some_and(|d| d["status"] == "delivered")
    })
    .await;
    assert_eq!(items[0]["last_status"], 200);
    let got = receiver.all();
    assert_eq!(got.len(), 1, "delivered once");
    let (headers, body) = &got[0];
    assert!(
        verify(&secret, &headers["portail-signature"], body),
        "{headers:?}"
    );
    assert!(!verify("whsec_other", &headers["portail-signature"], body));
    assert_eq!(headers["portail-event"], "booking.created");
    let event: Value = serde_json::from_str(body).expect("a JSON body");
    assert_eq!(event["type"], "booking.created");
    assert_eq!(event["data"]["child_id"], booker.child_id.as_str());
    assert_eq!(event["data"]["date"], date.to_string());
    assert_eq!(event["data"]["status"], "booked");
    let event_id = event["id"].as_str().expect("an event id").to_owned();

    // « Renvoyer »: the same event again, as a new delivery.
    let again = app
        .post_as(
            &format!(
                "/api/v1/staff/webhooks/{webhook}/deliveries/{}/redeliver",
                items[0]["id"].as_str().expect("id")
            ),
            &admin.token,
            &json!({}),
        )
        .await;
    assert_eq!(again.status(), 202);
    deliver_until(&app, &admin.token, &webhook, |items| {
        items.len() == 2 && items.iter().all(|d| d["status"] == "delivered")
    })
    .await;
    let got = receiver.all();
    assert_eq!(got.len(), 2);
    let second: Value = serde_json::from_str(&got[1].1).expect("json");
    assert_eq!(second["id"], event_id.as_str(), "the same event");

    // An event the subscription did not ask for is not sent; one it asked for is.
    let cancelled = app
        .book(
            &booker.token,
            "hook-2",
            json!([line(&booker.child_id, &unit, date, "cancel")]),
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    let items = deliver_until(&app, &admin.token, &webhook, |items| {
        items.len() == 3 && items.iter().all(|d| d["status"] == "delivered")
    })
    .await;
    assert_eq!(items[0]["event"], "booking.cancelled");

    let listed: Value = app
        .get_as("/api/v1/staff/webhooks", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["items"][0]["delivered"], 3);
    let later = open_weekday(app.state.ctx.clock.today(), 4, Weekday::Thu);
    let admin = app.staff_again(&admin).await;
    assert_eq!(
        app.delete_as(&format!("/api/v1/staff/webhooks/{webhook}"), &admin.token)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.book(
            &booker.token,
            "hook-3",
            json!([line(&booker.child_id, &unit, later, "book")])
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.get_as(
            &format!("/api/v1/staff/webhooks/{webhook}/deliveries"),
            &admin.token
        )
        .await
        .status(),
        404,
        "a deleted subscription is gone"
    );
    assert_eq!(receiver.all().len(), 3, "nothing more sent after its end");
}

#[tokio::test]
async fn a_delivery_that_fails_for_a_day_is_marked_failed() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let port = free_port();
    let (webhook, _) = subscribe(
        &app,
        &admin.token,
        &format!("http://localhost:{port}/"),
        &["dossier.validated", "booking.created"],
    )
    .await;
    let (booker, unit, date) = one_booking_family(&app).await;
    app.book(
        &booker.token,
        "fail-1",
        json!([line(&booker.child_id, &unit, date, "book")]),
    )
    .await;
    for _ in 0..30 {
        app.advance_clock(Duration::hours(1));
        portail_service::integrations::webhooks::deliver_due(&app.state.ctx, &app.state.webhooks)
            .await
            .expect("a pass");
    }
    let admin = app.staff_again(&admin).await;
    let items = deliver_until(&app, &admin.token, &webhook, |items| {
        items.first().is_some_and(|d| d["status"] == "failed")
    })
    .await;
    assert!(
        items[0]["attempts"].as_u64().unwrap_or(0) >= 2,
        "{}",
        items[0]
    );
    assert!(items[0]["next_attempt_at"].is_null());
}

#[tokio::test]
async fn in_production_webhooks_never_reach_a_private_address() {
    let app = spawn_app_with(|s| s.webhooks_allow_private_network = false).await;
    app.seed_demo();
    let admin = app.admin().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let port = listener.local_addr().expect("addr").port();
    let receiver = Receiver::default();
    receiver.listen(listener).await;
    // Private addresses written as such are refused by the address rule; a name is resolved
    // at once with the delivery's rule: `localhost` leads only to loopback addresses, so it is
    // refused now (not at every delivery for a day); so is a name that resolves nowhere.
    for (refused, why) in [
        (format!("http://127.0.0.1:{port}/hooks"), ""),
        (format!("http://localhost:{port}/hooks"), ""),
        (format!("https://127.0.0.1:{port}/hooks"), ""),
        ("https://10.1.2.3/hooks".to_owned(), ""),
        ("https://[::1]/hooks".to_owned(), ""),
        ("https://169.254.169.254/latest/meta-data".to_owned(), ""),
        ("https://user:pass@example.org/hooks".to_owned(), ""),
        (
            format!("https://localhost:{port}/hooks"),
            "adresses privées",
        ),
        ("https://nulle-part.invalid/hooks".to_owned(), "introuvable"),
    ] {
        let response = app
            .post_as(
                "/api/v1/staff/webhooks",
                &admin.token,
                &json!({"url": refused, "events": ["booking.created"]}),
            )
            .await;
        assert_eq!(response.status(), 422, "{refused}");
        let body = problem(response).await;
        assert_eq!(body.errors[0].field, "url", "{body:?}");
        assert!(
            body.errors[0].message.as_str().contains(why),
            "{refused}: {body:?}"
        );
    }
    let listed: Value = app
        .get_as("/api/v1/staff/webhooks", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(0),
        "{listed}"
    );
    // What a name points to may change after the subscription (DNS rebinding): stored as if
    // it had led to a public address then, each delivery resolves it again and refuses it.
    let rebound = {
        use portail_entity::{staff, webhook};
        use sea_orm::{
            ActiveModelTrait as _, ColumnTrait as _, EntityTrait as _, QueryFilter as _, Set,
        };
        let creator = staff::Entity::find()
            .filter(staff::Column::Email.eq(admin.email.clone()))
            .one(&app.state.ctx.db)
            .await
            .expect("read")
            .expect("the admin");
        webhook::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            url: Set(format!("https://localhost:{port}/hooks")),
            description: Set(String::new()),
            events: Set("booking.created".to_owned()),
            secret: Set("whsec_rebound".to_owned()),
            created_by: Set(creator.id),
            created_at: Set(app.state.ctx.clock.now()),
            deleted_at: Set(None),
        }
        .insert(&app.state.ctx.db)
        .await
        .expect("stored")
        .id
        .to_string()
    };
    let (booker, unit, date) = one_booking_family(&app).await;
    app.book(
        &booker.token,
        "ssrf-1",
        json!([line(&booker.child_id, &unit, date, "book")]),
    )
    .await;
    let items = deliver_until(&app, &admin.token, &rebound, |items| {
        items
            .first()
            .is_some_and(|d| d["attempts"].as_u64().unwrap_or(0) >= 1)
    })
    .await;
    let error = items[0]["last_error"].as_str().unwrap_or_default();
    assert!(error.contains("adresses privées"), "{error}");
    assert!(
        receiver.all().is_empty(),
        "nothing reached the local receiver"
    );
}

#[tokio::test]
async fn the_calendar_feed_is_valid_icalendar_and_its_address_can_be_changed_or_ended() {
    let app = spawn_app().await;
    app.seed_demo();
    let (booker, unit, date) = one_booking_family(&app).await;
    let later = open_weekday(app.state.ctx.clock.today(), 4, Weekday::Thu);
    assert_eq!(
        app.book(
            &booker.token,
            "cal-1",
            json!([
                line(&booker.child_id, &unit, date, "book"),
                line(&booker.child_id, &unit, later, "book")
            ])
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.book(
            &booker.token,
            "cal-2",
            json!([line(&booker.child_id, &unit, later, "cancel")])
        )
        .await
        .status(),
        200
    );
    let off: Value = app
        .get_as("/api/v1/calendar-feed", &booker.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(off, json!({"enabled": false, "url": null}));
    let on: Value = app
        .post_as("/api/v1/calendar-feed", &booker.token, &json!({}))
        .await
        .json()
        .await
        .expect("json");
    let url = on["url"].as_str().expect("a URL").to_owned();
    assert!(
        url.ends_with(".ics") && url.contains("/api/v1/calendar/"),
        "{url}"
    );
    let path = url.trim_start_matches(&app.state.ctx.public_url).to_owned();

    let feed = app.get(&path).await;
    assert_eq!(feed.status(), 200);
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/calendar")),
    );
    let text = feed.text().await.expect("text");
    let parsed = parse_ical(&text);
    let events = parsed["events"].as_array().expect("events");
    assert_eq!(events.len(), 2, "{parsed}");
    let on_day = |day: NaiveDate| {
        events
            .iter()
            .find(|e| {
                e["start"]
                    .as_str()
                    .is_some_and(|s| s.starts_with(&day.to_string()))
            })
            .unwrap_or_else(|| panic!("{day} in {parsed}"))
    };
    let kept = on_day(date);
    assert_eq!(kept["status"], "CONFIRMED");
    assert_eq!(kept["tz"], "Europe/Paris", "{kept}");
    assert!(
        kept["summary"]
            .as_str()
            .is_some_and(|s| s.contains("Matin")),
        "{kept}"
    );
    assert!(kept["uid"].as_str().is_some_and(|u| u.contains('@')));
    assert_eq!(on_day(later)["status"], "CANCELLED");
    // The same booking keeps its UID from one read to the next.
    let again = parse_ical(&app.get(&path).await.text().await.expect("text"));
    assert_eq!(again["events"][0]["uid"], parsed["events"][0]["uid"]);

    // A new address: the old one stops at once. Off: the new one stops too.
    let renewed: Value = app
        .post_as("/api/v1/calendar-feed", &booker.token, &json!({}))
        .await
        .json()
        .await
        .expect("json");
    assert_ne!(renewed["url"], on["url"]);
    assert_eq!(app.get(&path).await.status(), 404);
    let new_path = renewed["url"]
        .as_str()
        .expect("url")
        .trim_start_matches(&app.state.ctx.public_url)
        .to_owned();
    assert_eq!(app.get(&new_path).await.status(), 200);
    assert_eq!(
        app.delete_as("/api/v1/calendar-feed", &booker.token)
            .await
            .status(),
        200
    );
    assert_eq!(app.get(&new_path).await.status(), 404);
    assert_eq!(app.get("/api/v1/calendar/garbage.ics").await.status(), 404);
}

/// The feed as Python's `icalendar` reads it.
fn parse_ical(text: &str) -> Value {
    let python = std::env::var("PORTAIL_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
events = []
for e in cal.walk("VEVENT"):
    start = e.decoded("DTSTART")
    tz = e["DTSTART"].params.get("TZID")
    events.append({"uid": str(e["UID"]), "summary": str(e["SUMMARY"]), "start": start.isoformat(),
                   "tz": tz, "status": str(e["STATUS"]) if "STATUS" in e else None})
print(json.dumps({"name": str(cal.get("X-WR-CALNAME", "")), "events": events}))
"#;
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python runs (scripts/bootstrap installs icalendar)");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), text.as_bytes())
        .expect("written");
    let output = child.wait_with_output().expect("python ends");
    assert!(
        output.status.success(),
        "icalendar refused the feed: {}\n{text}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("json")
}

#[tokio::test]
async fn a_hundred_thousand_bookings_leave_as_a_stream_of_bounded_chunks() {
    use portail_entity::booking;
    use sea_orm::{ActiveValue::Set, EntityTrait as _};

    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let families = app.seeded_families("csv", 40);
    let children: Vec<(uuid::Uuid, uuid::Uuid)> = families
        .iter()
        .map(|f| {
            (
                f["family_id"]
                    .as_str()
                    .expect("family")
                    .parse()
                    .expect("uuid"),
                f["child_id"]
                    .as_str()
                    .expect("child")
                    .parse()
                    .expect("uuid"),
            )
        })
        .collect();
    let services = app.services().await;
    let units: Vec<uuid::Uuid> = services["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|s| s["code"] == "alja")
        .expect("alja")["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| u["id"].as_str().expect("id").parse().expect("uuid"))
        .collect();
    let first = NaiveDate::from_ymd_opt(2027, 3, 1).expect("a date");
    let now = app.state.ctx.clock.now();
    let total = 100_000_usize;
    let active = children.len() * 31 * units.len();
    let rows: Vec<booking::ActiveModel> = (0..total)
        .map(|i| {
            let (family_id, child_id) = children[i % children.len()];
            let day = (i / children.len()) % 31;
            let unit = units[(i / (children.len() * 31)) % units.len()];
            booking::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                family_id: Set(family_id),
                child_id: Set(child_id),
                unit_id: Set(unit),
                date: Set(first + Duration::days(day as i64)),
                status: Set(if i < active { "booked" } else { "cancelled" }.to_owned()),
                decline_reason: Set(None),
                decided_by: Set(None),
                booked_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
        })
        .collect();
    for chunk in rows.chunks(2000) {
        booking::Entity::insert_many(chunk.to_vec())
            .exec(&app.state.ctx.db)
            .await
            .expect("inserted");
    }

    let (_, secret) = key(&app, &admin.token, "Export", &["bookings:read"]).await;
    let mut response = app
        .client
        .get(app.url("/api/v1/staff/bookings.csv?service=alja&month=2027-03"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert!(
        response.content_length().is_none(),
        "streamed, not sized in advance"
    );
    assert_eq!(response.headers()["transfer-encoding"], "chunked");
    let mut body = Vec::new();
    let mut pieces = 0;
    while let Some(piece) = response.chunk().await.expect("a piece") {
        body.extend_from_slice(&piece);
        pieces += 1;
    }
    assert!(pieces > 10, "{pieces} pieces");
    let text = String::from_utf8(body).expect("UTF-8");
    assert!(text.starts_with("\u{feff}Date;Service;Prestation;"));
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), total + 1);
    assert!(
        lines[1].starts_with("01/03/2027;\"Accueil de loisirs\";"),
        "{}",
        lines[1]
    );
    assert!(
        lines[total].starts_with("31/03/2027;"),
        "by day: {}",
        lines[total]
    );

    // The server holds one chunk at a time: the stream's pieces, read as the route reads
    // them, are each at most `CHUNK` rows.
    use futures::StreamExt as _;
    let service_id = portail_service::planning::staff::service_id_of(
        &app.state.ctx.db,
        portail_domain::ServiceCode::Alja,
    )
    .await
    .expect("alja");
    let units = portail_service::integrations::exports::units_of(&app.state.ctx, service_id)
        .await
        .expect("units");
    let mut stream = Box::pin(portail_service::integrations::exports::bookings_csv(
        app.state.ctx.clone(),
        units,
        portail_domain::ServiceCode::Alja,
        first,
        NaiveDate::from_ymd_opt(2027, 3, 31).expect("a date"),
    ));
    let (mut chunks, mut rows_seen, mut largest) = (0, 0, 0);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("a chunk");
        let rows = chunk.matches("\r\n").count();
        largest = largest.max(chunk.len());
        assert!(rows <= portail_service::integrations::exports::CHUNK as usize + 1);
        rows_seen += rows;
        chunks += 1;
    }
    assert_eq!(rows_seen, total + 1);
    assert!(chunks >= 100, "{chunks} chunks");
    assert!(
        largest < 512 * 1024,
        "the largest chunk holds {largest} bytes"
    );

    // The same bookings, page by page, for an incremental sync: no row skipped or repeated.
    let mut cursor: Option<String> = None;
    let mut seen = std::collections::HashSet::new();
    let mut pages = 0;
    loop {
        let mut request = app
            .client
            .get(app.url("/api/v1/staff/bookings"))
            .query(&[("service", "alja"), ("per_page", "500")])
            .bearer_auth(&secret);
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor.as_str())]);
        }
        let page: Value = request
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("json");
        for item in page["items"].as_array().expect("items") {
            assert!(
                seen.insert(item["id"].as_str().expect("id").to_owned()),
                "repeated"
            );
        }
        pages += 1;
        if pages == 10 {
            break;
        }
        cursor = Some(page["next_cursor"].as_str().expect("more pages").to_owned());
    }
    assert_eq!(seen.len(), 5000, "ten pages of 500");
    let too_big = app
        .client
        .get(app.url("/api/v1/staff/bookings?per_page=501"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("sent");
    assert_eq!(too_big.status(), 422);
    let garbage = app
        .client
        .get(app.url("/api/v1/staff/bookings?cursor=nope"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("sent");
    assert_eq!(garbage.problem(422).await.errors[0].field, "cursor");
    // The bookings changed since an instant, as the API key reads them.
    let changed_since = |since: String| {
        let (app, secret) = (&app, &secret);
        async move {
            let page: Value = app
                .client
                .get(app.url("/api/v1/staff/bookings"))
                .query(&[("updated_since", since.as_str())])
                .bearer_auth(secret)
                .send()
                .await
                .expect("sent")
                .json()
                .await
                .expect("json");
            page["items"].as_array().map_or(0, Vec::len)
        }
    };
    let since = (now + Duration::seconds(1)).to_rfc3339();
    assert_eq!(changed_since(since).await, 0, "nothing changed since");
    // An instant is read as strictly as a date: a sign and five year digits (which SQLite
    // compared as text: every row), no offset, a space, a year past 2100… are refused, on
    // the bookings' and the families' lists alike; an offset is an instant like any other.
    for loose in [
        "+10000-01-01T00:00:00Z",
        "10000-01-01T00:00:00Z",
        "2027-03-10T08:00:00",
        "2027-03-10 08:00:00Z",
        "2101-01-01T00:00:00Z",
        "2027-02-29T08:00:00Z",
    ] {
        for (path, token) in [
            ("/api/v1/staff/bookings", secret.as_str()),
            ("/api/v1/staff/families", admin.token.as_str()),
        ] {
            let refused = app
                .client
                .get(app.url(path))
                .query(&[("updated_since", loose)])
                .bearer_auth(token)
                .send()
                .await
                .expect("sent");
            assert_eq!(refused.status(), 400, "{path} {loose}");
            assert_eq!(
                problem(refused).await.code.as_str(),
                "invalid_parameter",
                "{path} {loose}"
            );
        }
    }
    let plus_one = chrono::FixedOffset::east_opt(3600).expect("UTC+1");
    let same = (now + Duration::seconds(1))
        .with_timezone(&plus_one)
        .to_rfc3339();
    assert_eq!(changed_since(same).await, 0, "the same instant at +01:00");
    let before = (now - Duration::hours(1))
        .with_timezone(&plus_one)
        .to_rfc3339();
    assert!(
        changed_since(before).await > 0,
        "an hour before, at +01:00, compared as an instant"
    );
}

#[tokio::test]
async fn the_families_export_lists_every_family_as_staff_see_it() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let response = app.get_as("/api/v1/staff/families.csv", &admin.token).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .is_ok_and(|d| d.contains("familles.csv"))
    );
    let text = response.text().await.expect("text");
    assert!(
        text.starts_with("\u{feff}Famille;Titulaire;E-mail;Dossier;"),
        "{text}"
    );
    let list: Value = app
        .get_as("/api/v1/staff/families?per_page=200", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    let lines = text.split("\r\n").filter(|l| !l.is_empty()).count();
    assert_eq!(Some(lines as u64 - 1), list["total"].as_u64());
    assert!(text.to_lowercase().contains("durand"), "{text}");
}

#[tokio::test]
async fn file_decisions_and_payments_are_events_written_with_the_change() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let (webhook, _) = subscribe(
        &app,
        &admin.token,
        "http://localhost:9/hooks",
        &[
            "dossier.validated",
            "dossier.info_requested",
            "payment.received",
        ],
    )
    .await;

    let (family, _child) = app.submitted_family().await;
    let family_id = app.family_id(&family).await;
    let asked = app
        .post_as(
            &format!("/api/v1/staff/families/{family_id}/request-info"),
            &admin.token,
            &json!({"message": "Merci d'ajouter l'attestation d'assurance."}),
        )
        .await;
    assert_eq!(asked.status(), 200);
    // Refused moves write nothing: validating twice is one event.
    let (other, _) = app.submitted_family().await;
    let other_id = app.family_id(&other).await;
    for _ in 0..2 {
        app.post_as(
            &format!("/api/v1/staff/families/{other_id}/validate"),
            &admin.token,
            &json!({}),
        )
        .await;
    }
    let paid = app
        .post_as(
            "/api/v1/staff/payments",
            &admin.token,
            &json!({"family_id": other_id, "method": "cheque", "amount_cents": 1250,
                "received_on": "2026-12-01", "reference": "1234567", "bank": "Banque de l'Allier",
                "allocations": []}),
        )
        .await;
    assert_eq!(paid.status(), 201);
    let items = deliveries(&app, &admin.token, &webhook).await;
    let kinds: Vec<&str> = items.iter().filter_map(|d| d["event"].as_str()).collect();
    assert_eq!(
        kinds,
        [
            "payment.received",
            "dossier.validated",
            "dossier.info_requested"
        ],
        "newest first"
    );
    let bodies: Vec<Value> = {
        use portail_entity::webhook_delivery;
        use sea_orm::{EntityTrait as _, QueryOrder as _};
        webhook_delivery::Entity::find()
            .order_by_asc(webhook_delivery::Column::CreatedAt)
            .all(&app.state.ctx.db)
            .await
            .expect("rows")
            .into_iter()
            .map(|d| serde_json::from_str(&d.body).expect("json"))
            .collect()
    };
    assert_eq!(bodies[0]["data"]["family_id"], family_id.as_str());
    assert_eq!(bodies[0]["data"]["status"], "info_requested");
    assert!(
        !bodies[0].to_string().contains("assurance"),
        "the message to the family stays in the portal"
    );
    assert_eq!(bodies[1]["data"]["status"], "validated");
    assert_eq!(bodies[2]["data"]["amount_cents"], 1250);
    assert_eq!(bodies[2]["data"]["family_id"], other_id.as_str());
}

#[tokio::test]
async fn the_treasury_exports_a_months_invoices_and_the_payments_received() {
    let app = spawn_app().await;
    app.seed_demo();
    // A month invoiced for sure (two canteen meals, issued), and a cheque for it.
    let billed = crate::billing::issued_invoice(&app, "tresor").await;
    let (admin, month) = (billed.admin.clone(), billed.month.clone());
    let today = app.state.ctx.clock.today();
    let paid = app
        .post_as(
            "/api/v1/staff/payments",
            &admin,
            &json!({"family_id": billed.family.family_id, "method": "cheque", "amount_cents": 100,
                "received_on": today, "reference": "7654321", "bank": "Banque de l'Allier",
                "allocations": [{"invoice_id": billed.invoice_id, "amount_cents": 100}]}),
        )
        .await;
    assert_eq!(paid.status(), 201);
    let (_, treasury) = key(&app, &admin, "Trésorerie", &["invoices:read"]).await;
    let listed: Value = app
        .get_as(&format!("/api/v1/staff/invoices?month={month}"), &treasury)
        .await
        .json()
        .await
        .expect("json");
    let invoices = listed["items"].as_array().expect("items");
    assert!(!invoices.is_empty());
    let response = app
        .get_as(
            &format!("/api/v1/staff/invoices.csv?month={month}"),
            &treasury,
        )
        .await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("text");
    assert!(
        text.starts_with("\u{feff}Numéro;Type;Mois;Famille;"),
        "{text}"
    );
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), invoices.len() + 1, "{text}");
    let ours = lines
        .iter()
        .find(|l| {
            l.contains(&billed.family.email)
                || l.contains(&format!(
                    ";{},{:02};",
                    billed.total / 100,
                    billed.total % 100
                ))
        })
        .expect("the family's invoice");
    assert!(ours.contains("\"Facture\""), "{ours}");
    assert!(
        ours.contains(&format!(
            ";{},{:02};1,00;",
            billed.total / 100,
            billed.total % 100
        )),
        "total, then the part settled: {ours}"
    );

    let from = today - Duration::days(90);
    let response = app
        .get_as(
            &format!("/api/v1/staff/payments.csv?from={from}&to={today}"),
            &treasury,
        )
        .await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("text");
    assert!(
        text.starts_with("\u{feff}Reçu le;Famille;Mode;Montant (€);"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("\"Chèque\";1,00;1,00;\"7654321\"")),
        "the cheque, all of it allocated: {text}"
    );

    for (path, field) in [
        (
            "/api/v1/staff/invoices.csv?month=2026-13".to_owned(),
            "month",
        ),
        (
            format!("/api/v1/staff/payments.csv?from={today}&to={from}"),
            "to",
        ),
    ] {
        let refused = app.get_as(&path, &treasury).await;
        assert_eq!(refused.status(), 422, "{path}");
        assert_eq!(problem(refused).await.errors[0].field, field);
    }
    let agent = app.agent().await;
    assert_eq!(
        app.get_as(
            &format!("/api/v1/staff/invoices.csv?month={month}"),
            &agent.token
        )
        .await
        .status(),
        403,
        "the treasury's"
    );
}
