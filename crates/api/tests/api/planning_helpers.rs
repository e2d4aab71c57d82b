//! Families that may book, and the demo's units and dates, for the planning tests.

use chrono::{Datelike as _, Duration, NaiveDate, Weekday};
use portail_domain::api::{
    AttendanceResponse, BookingBatchResponse, BookingLineResult, BookingListResponse, PlanningCell,
    PlanningResponse, SessionResponse,
};
use serde_json::{Value, json};

use crate::client::Answer as _;
use crate::helpers::TestApp;

pub const BENCH_PASSWORD: &str = "banc d'essai mot de passe long";

pub struct Booker {
    pub email: String,
    pub token: String,
    pub family_id: String,
    pub child_id: String,
}

impl TestApp {
    /// `GET /api/v1/services` (public), as JSON.
    pub async fn services(&self) -> Value {
        self.get("/api/v1/services")
            .await
            .json()
            .await
            .expect("json")
    }

    /// `count` validated families (bulk path: `portail seed-bench-families`), not logged in:
    /// each as `{email, family_id, child_id}`.
    pub fn seeded_families(&self, prefix: &str, count: usize) -> Vec<Value> {
        let output = self.portail(&[
            "seed-bench-families",
            "--count",
            &count.to_string(),
            "--prefix",
            prefix,
            "--password",
            BENCH_PASSWORD,
        ]);
        assert!(
            output.status.success(),
            "seed-bench-families failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("json")
    }

    /// `count` validated families (bulk path), logged in.
    pub async fn bookers(&self, prefix: &str, count: usize) -> Vec<Booker> {
        let families = self.seeded_families(prefix, count);
        let mut bookers = Vec::new();
        for family in families {
            let login = self
                .login(
                    family["email"].as_str().expect("email"),
                    BENCH_PASSWORD,
                    false,
                )
                .await;
            let body: SessionResponse = login.read(200).await;
            bookers.push(Booker {
                email: family["email"].as_str().expect("email").to_owned(),
                token: body.access_token,
                family_id: family["family_id"].as_str().expect("id").to_owned(),
                child_id: family["child_id"].as_str().expect("id").to_owned(),
            });
        }
        bookers
    }

    /// Logs in again (after moving the clock past the access token's 15 minutes).
    pub async fn relogin(&self, booker: &mut Booker) {
        let body: SessionResponse = self
            .login(&booker.email, BENCH_PASSWORD, false)
            .await
            .read(200)
            .await;
        booker.token = body.access_token;
    }

    /// Changes the booker's child's birth date, as the family would (read, change, save).
    pub async fn set_birth_date(&self, booker: &Booker, birth: NaiveDate) {
        let path = format!("/api/v1/children/{}", booker.child_id);
        let mut child: Value = self
            .get_as(&path, &booker.token)
            .await
            .json()
            .await
            .expect("json");
        child["birth_date"] = json!(birth);
        let saved = self.put_as(&path, &booker.token, &child).await;
        assert_eq!(saved.status(), 200, "birth date {birth} saved");
    }

    /// The id of a demo unit by service and name.
    pub async fn unit(&self, service: &str, name: &str) -> String {
        let services = self.services().await;
        services["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|s| s["code"] == service)
            .and_then(|s| s["units"].as_array()?.iter().find(|u| u["name"] == name))
            .and_then(|u| u["id"].as_str())
            .unwrap_or_else(|| panic!("no unit {name} for {service}"))
            .to_owned()
    }

    /// A recap of one line for the booker's child; returns that line's result.
    pub async fn one_line(
        &self,
        booker: &Booker,
        key: &str,
        unit: &str,
        date: NaiveDate,
        action: &str,
    ) -> BookingLineResult {
        let answer: BookingBatchResponse = self
            .book(
                &booker.token,
                key,
                json!([line(&booker.child_id, unit, date, action)]),
            )
            .await
            .read(200)
            .await;
        answer.results.into_iter().next().expect("one result")
    }

    /// The booker's cell of `date` and `unit` in the month grid of `service`; panics when the
    /// grid has no such day or unit (a test must never pass by skipping).
    pub async fn grid_cell(
        &self,
        booker: &Booker,
        service: &str,
        unit: &str,
        date: NaiveDate,
    ) -> PlanningCell {
        let path = format!(
            "/api/v1/planning?child_id={}&service={service}&month={}",
            booker.child_id,
            date.format("%Y-%m")
        );
        let grid: PlanningResponse = self.get_ok(&path, &booker.token).await;
        let day = grid
            .days
            .into_iter()
            .find(|d| d.date == date)
            .unwrap_or_else(|| panic!("no {date} in the grid"));
        day.cells
            .into_iter()
            .find(|c| c.unit_id.to_string() == unit)
            .unwrap_or_else(|| panic!("no unit {unit} on {date}"))
    }

    /// A recap answered 200, decoded.
    pub async fn recap(
        &self,
        token: &str,
        key: impl AsRef<str>,
        lines: Value,
    ) -> BookingBatchResponse {
        self.book(token, key, lines).await.read(200).await
    }

    /// The family's upcoming bookings (« Mes réservations »).
    pub async fn my_bookings(&self, token: &str) -> BookingListResponse {
        self.get_ok("/api/v1/bookings", token).await
    }

    /// A unit's attendance sheet for a day, as staff read it.
    pub async fn sheet(&self, token: &str, unit: &str, date: NaiveDate) -> AttendanceResponse {
        self.get_ok(
            &format!("/api/v1/staff/attendance?unit_id={unit}&date={date}"),
            token,
        )
        .await
    }

    pub async fn book(&self, token: &str, key: impl AsRef<str>, lines: Value) -> reqwest::Response {
        let key = key.as_ref();
        self.client
            .post(self.url("/api/v1/bookings/batch"))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&json!({ "lines": lines }))
            .send()
            .await
            .expect("sent")
    }
}

/// A weekday of the demo's open ALJA period, `weeks` weeks from today (past the D-2 cut-off).
pub fn open_weekday(today: NaiveDate, weeks: i64, weekday: Weekday) -> NaiveDate {
    let start = today + Duration::weeks(weeks);
    let offset = (7 + weekday.num_days_from_monday() as i64
        - start.weekday().num_days_from_monday() as i64)
        % 7;
    let mut day = start + Duration::days(offset);
    while portail_domain::rules::planning::calendar::is_public_holiday(day) {
        day += Duration::weeks(1);
    }
    day
}

pub fn line(child: &str, unit: &str, date: NaiveDate, action: &str) -> Value {
    json!({ "child_id": child, "unit_id": unit, "date": date, "action": action })
}
