//! `/metrics` in the Prometheus text format, through the `metrics` facade and its Prometheus
//! exporter. Each application keeps its own recorder (not the process-wide one): two servers
//! in one process (the tests, a twin) never mix their figures.
//!
//! Series (all prefixed `portail_`): requests and their latency per route *template* and
//! status; booking lines answered by outcome and refused by code; login failures and locks;
//! the e-mail outbox's depth and oldest pending age; webhook deliveries failing; the
//! password-hash queue; the database pool. The queues and the pool are read at scrape time.

use std::collections::HashMap;
use std::hash::{Hash as _, Hasher as _};
use std::sync::{Arc, RwLock};

use metrics::{Key, Label, Metadata, Recorder as _};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

const REQUEST_SECONDS: &str = "portail_http_request_duration_seconds";
/// From 1 ms to 10 s: a grid is served in well under a millisecond, a login takes ~50 ms.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static METADATA: Metadata<'static> =
    Metadata::new("portail", metrics::Level::INFO, Some(module_path!()));

#[derive(Clone)]
pub struct Metrics {
    recorder: Arc<PrometheusRecorder>,
    handle: PrometheusHandle,
    /// The request series already registered, by (method, route, status): a request's record
    /// is then a hash, a read lock and two atomic adds, no label allocated (the grid is read
    /// thousands of times a second).
    requests: Arc<RwLock<HashMap<u64, Vec<RequestSeries>>>>,
}

struct RequestSeries {
    method: String,
    route: String,
    status: u16,
    count: metrics::Counter,
    seconds: metrics::Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                metrics_exporter_prometheus::Matcher::Full(REQUEST_SECONDS.to_owned()),
                LATENCY_BUCKETS,
            )
            .unwrap_or_else(|_| PrometheusBuilder::new())
            .build_recorder();
        let handle = recorder.handle();
        Self {
            recorder: Arc::new(recorder),
            handle,
            requests: Arc::default(),
        }
    }

    fn counter(&self, name: &'static str, labels: Vec<Label>) -> metrics::Counter {
        self.recorder
            .register_counter(&Key::from_parts(name, labels), &METADATA)
    }

    fn gauge(&self, name: &'static str, labels: Vec<Label>) -> metrics::Gauge {
        self.recorder
            .register_gauge(&Key::from_parts(name, labels), &METADATA)
    }

    /// One answered request: `route` is the template (`/api/v1/children/{child_id}`), never
    /// the path itself (an id per series would grow without bound).
    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let key = {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            (method, route, status).hash(&mut hasher);
            hasher.finish()
        };
        let found = |series: &RequestSeries| {
            series.status == status && series.method == method && series.route == route
        };
        if let Ok(known) = self.requests.read()
            && let Some(series) = known.get(&key).and_then(|v| v.iter().find(|s| found(s)))
        {
            series.count.increment(1);
            series.seconds.record(seconds);
            return;
        }
        let series = RequestSeries {
            method: method.to_owned(),
            route: route.to_owned(),
            status,
            count: self.counter(
                "portail_http_requests_total",
                vec![
                    Label::new("method", method.to_owned()),
                    Label::new("route", route.to_owned()),
                    Label::new("status", status.to_string()),
                ],
            ),
            seconds: self.recorder.register_histogram(
                &Key::from_parts(
                    REQUEST_SECONDS,
                    vec![
                        Label::new("method", method.to_owned()),
                        Label::new("route", route.to_owned()),
                    ],
                ),
                &METADATA,
            ),
        };
        series.count.increment(1);
        series.seconds.record(seconds);
        if let Ok(mut known) = self.requests.write() {
            let same = known.entry(key).or_default();
            if !same.iter().any(found) {
                same.push(series);
            }
        }
    }

    /// The lines of a recap's answer: accepted ones by outcome, refused ones by code.
    pub fn booking_answer(&self, answer: &portail_domain::api::BookingBatchResponse) {
        use portail_domain::api::LineOutcome;
        for result in &answer.results {
            match (result.outcome, result.code) {
                (LineOutcome::Refused, code) => self
                    .counter(
                        "portail_booking_lines_refused_total",
                        vec![Label::new(
                            "code",
                            code.map_or("unknown", |c| c.as_str()).to_owned(),
                        )],
                    )
                    .increment(1),
                (outcome, _) => self
                    .counter(
                        "portail_booking_lines_accepted_total",
                        vec![Label::new("outcome", outcome.as_str().to_owned())],
                    )
                    .increment(1),
            }
        }
    }

    /// A refused login: `reason` is `invalid_credentials`, `locked` or `email_not_verified`;
    /// `account` is `family` or `staff`.
    pub fn login_failure(&self, account: &'static str, reason: &'static str) {
        self.counter(
            "portail_login_failures_total",
            vec![Label::new("account", account), Label::new("reason", reason)],
        )
        .increment(1);
    }

    /// The text of a scrape, with the figures read now from the database and the pools.
    pub async fn render(&self, ctx: &portail_service::Context) -> String {
        match portail_service::health::queue_gauges(&ctx.db, ctx.clock.now()).await {
            Ok(queues) => {
                self.gauge("portail_outbox_pending", vec![])
                    .set(queues.outbox_pending as f64);
                self.gauge("portail_outbox_oldest_pending_age_seconds", vec![])
                    .set(queues.outbox_oldest_pending_seconds);
                self.gauge(
                    "portail_webhook_deliveries",
                    vec![Label::new("state", "failed")],
                )
                .set(queues.webhook_deliveries_failed as f64);
                self.gauge(
                    "portail_webhook_deliveries",
                    vec![Label::new("state", "retrying")],
                )
                .set(queues.webhook_deliveries_retrying as f64);
                self.gauge("portail_database_up", vec![]).set(1.0);
            }
            Err(error) => {
                tracing::warn!(error = ?error, "the metrics could not read the queues");
                self.gauge("portail_database_up", vec![]).set(0.0);
            }
        }
        let queue = ctx.hasher.queue();
        self.counter("portail_password_hash_admitted_total", vec![])
            .absolute(queue.admitted);
        self.gauge("portail_password_hash_wait_seconds_total", vec![])
            .set(queue.waited_seconds);
        self.counter("portail_password_hash_refused_total", vec![])
            .absolute(queue.refused);
        self.gauge("portail_password_hash_in_flight", vec![])
            .set(queue.in_flight as f64);
        let (in_use, idle, max) = portail_service::health::pool_usage(&ctx.db);
        self.gauge(
            "portail_database_connections",
            vec![Label::new("state", "in_use")],
        )
        .set(in_use as f64);
        self.gauge(
            "portail_database_connections",
            vec![Label::new("state", "idle")],
        )
        .set(idle as f64);
        self.gauge("portail_database_connections_max", vec![])
            .set(max as f64);
        self.handle.render()
    }
}
