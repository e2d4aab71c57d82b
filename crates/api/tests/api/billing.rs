//! « Mes factures » through the API, on whichever database the tests run against: tariffs,
//! the monthly run (preview, issue, nothing twice, corrections as credit notes), numbering
//! without gaps under concurrent runs, the PDF read back with pdftotext, the e-mail, payments,
//! balance, the outstanding list, online payment through the FAKE provider recorded exactly
//! once, and the blocking threshold.

use chrono::{Datelike as _, Duration, NaiveDate, Weekday};
use serde_json::{Value, json};

use portail_domain::api::InvoiceRunResponse;
use portail_domain::rules::billing::invoice::{invoice_number, parse_invoice_number};

use crate::client::Answer as _;
use crate::helpers::{TestApp, problem, spawn_app, spawn_app_with};
use crate::planning_helpers::{Booker, line, open_weekday};

/// A canteen day of `month` (Mon, Tue, Thu or Fri, not a public holiday) not in `taken`.
fn canteen_day(month: NaiveDate, taken: &[NaiveDate]) -> NaiveDate {
    let mut day = month.with_day(1).expect("first");
    loop {
        let open = matches!(
            day.weekday(),
            Weekday::Mon | Weekday::Tue | Weekday::Thu | Weekday::Fri
        );
        if open
            && !taken.contains(&day)
            && !portail_domain::rules::planning::calendar::is_public_holiday(day)
        {
            return day;
        }
        day += Duration::days(1);
    }
}

fn month_of(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

pub struct Billed {
    pub family: Booker,
    pub admin: String,
    pub month: String,
    pub invoice_id: String,
    pub total: i64,
}

/// A family with two canteen meals booked in a month, issued by the admin; the clock is then
/// past that month. The demo must be seeded.
pub async fn issued_invoice(app: &TestApp, prefix: &str) -> Billed {
    let admin = app.admin().await;
    let family = app.bookers(prefix, 1).await.remove(0);
    let unit = app.unit("restauration", "Repas").await;
    let first = open_weekday(app.state.ctx.clock.today(), 1, Weekday::Tue);
    let second = canteen_day(first, &[first]);
    let second = if second.month() == first.month() && second > first {
        second
    } else {
        first + Duration::days(2)
    };
    assert_eq!(second.month(), first.month(), "two days of one month");
    let answer: Value = app
        .book(
            &family.token,
            format!("{prefix}-meals"),
            json!([
                line(&family.child_id, &unit, first, "book"),
                line(&family.child_id, &unit, second, "book"),
            ]),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(answer["accepted"], 2, "{answer}");
    let month = month_of(first);
    // The month has not ended: the preview says which days are not over, and issuing asks
    // for the confirmation that names them.
    let run = json!({"month": month, "services": ["restauration"]});
    let preview: InvoiceRunResponse = app
        .post_ok(
            "/api/v1/staff/invoice-runs/preview",
            &admin.token,
            &run,
            200,
        )
        .await;
    let unfinished = preview.unfinished.expect("the month is not over");
    assert_eq!(unfinished.from, app.state.ctx.clock.today());
    assert!(unfinished.to >= second && unfinished.to.month() == first.month());
    let refused = app
        .post_as("/api/v1/staff/invoice-runs", &admin.token, &run)
        .await
        .problem(409)
        .await;
    assert_eq!(refused.code.as_str(), "month_not_ended");
    assert_eq!(refused.detail, unfinished.message);
    assert!(
        refused.detail.starts_with("Le mois de ") || refused.detail.starts_with("Le mois d'"),
        "{}",
        refused.detail
    );
    let nothing: Value = get_json(app, "/api/v1/invoices", &family.token).await;
    assert_eq!(
        nothing["total"], 0,
        "nothing issued without the confirmation"
    );
    let issued: Value = post_json(
        app,
        "/api/v1/staff/invoice-runs",
        &admin.token,
        &json!({"month": month, "services": ["restauration"], "confirm_unfinished_month": true}),
    )
    .await;
    assert_eq!(issued["invoices_count"], 1, "{issued}");
    let list: Value = get_json(app, "/api/v1/invoices", &family.token).await;
    Billed {
        invoice_id: list["items"][0]["id"].as_str().expect("id").to_owned(),
        total: list["items"][0]["total_cents"].as_i64().expect("total"),
        family,
        admin: admin.token,
        month,
    }
}

#[tokio::test]
async fn a_month_is_invoiced_once_priced_by_its_rules_and_corrected_by_credit_notes() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let family = app.bookers("facture", 1).await.remove(0);
    let unit = app.unit("restauration", "Repas").await;
    let booked = open_weekday(app.state.ctx.clock.today(), 1, Weekday::Tue);
    let excused = {
        let d = booked + Duration::days(2);
        if d.month() == booked.month() {
            d
        } else {
            booked - Duration::days(1)
        }
    };
    let answer: Value = app
        .book(
            &family.token,
            "repas",
            json!([
                line(&family.child_id, &unit, booked, "book"),
                line(&family.child_id, &unit, excused, "book"),
            ]),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(answer["accepted"], 2, "{answer}");
    let unbooked = canteen_day(booked, &[booked, excused]);
    let month = month_of(booked);
    let run = json!({"month": month, "services": ["restauration"]});

    // Marks only for a day that has come: the clock moves past the month.
    let too_early = mark(
        &app,
        &admin.token,
        &unit,
        &family.child_id,
        booked,
        "present",
    )
    .await;
    assert_eq!(too_early.status(), 422, "a day to come");
    let next_month = (booked.with_day(1).expect("first") + Duration::days(32))
        .with_day(2)
        .expect("2nd");
    app.advance_clock(next_month - app.state.ctx.clock.today());
    // Sessions expired meanwhile.
    let admin = app.admin().await;
    let mut family = family;
    app.relogin(&mut family).await;
    let mark = |date: NaiveDate, what: &'static str| {
        mark(&app, &admin.token, &unit, &family.child_id, date, what)
    };
    assert_eq!(mark(unbooked, "present").await.status(), 204);
    assert_eq!(mark(excused, "excused").await.status(), 204);
    let sheet = app.sheet(&admin.token, &unit, unbooked).await;
    assert!(
        sheet
            .entries
            .iter()
            .any(|e| !e.booked && e.mark == Some(portail_domain::api::AttendanceMarkCode::Present)),
        "the child present without booking is on the sheet"
    );

    // The preview issues nothing.
    let preview: Value = post_json(
        &app,
        "/api/v1/staff/invoice-runs/preview",
        &admin.token,
        &run,
    )
    .await;
    assert_eq!(preview["issued"], false);
    assert_eq!(preview["invoices_count"], 1, "{preview}");
    let none: Value = get_json(&app, "/api/v1/invoices", &family.token).await;
    assert_eq!(none["total"], 0, "a preview issues nothing");

    let issued: Value = post_json(&app, "/api/v1/staff/invoice-runs", &admin.token, &run).await;
    assert_eq!(issued["issued"], true);
    assert_eq!(
        issued["invoices"],
        preview["invoices"]
            .clone()
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|i| {
                        let mut i = i.clone();
                        i["number"] = issued["invoices"][0]["number"].clone();
                        i
                    })
                    .collect::<Vec<_>>()
            })
            .map(Value::from)
            .expect("array"),
        "the issue is what the preview showed"
    );
    let lines = issued["invoices"][0]["lines"].as_array().expect("lines");
    let rule_of = |date: NaiveDate| {
        lines
            .iter()
            .find(|l| l["date"] == date.to_string())
            .unwrap_or_else(|| panic!("a line for {date}: {lines:?}"))
    };
    let meal = rule_of(booked)["unit_price_cents"].as_i64().expect("price");
    assert!(meal > 0);
    assert_eq!(rule_of(booked)["amount_cents"], meal);
    assert_eq!(rule_of(excused)["amount_cents"], 0);
    assert_eq!(rule_of(excused)["rule"], "Absence justifiée, non facturée");
    assert_eq!(rule_of(unbooked)["amount_cents"], 549);
    assert_eq!(rule_of(unbooked)["rule"], "Repas pris sans réservation");
    let total = meal + 549;
    assert_eq!(issued["total_cents"], total);
    // The grid's estimate for a meal is what the invoice charged for the booked one, from the
    // tariff, not the unit's indicative price (set apart here).
    let indicative = app
        .put_as(
            &format!("/api/v1/staff/units/{unit}"),
            &admin.token,
            &json!({"service": "restauration", "name": "Repas", "default_capacity": 5, "price_cents": 100, "position": 3}),
        )
        .await;
    assert_eq!(indicative.status(), 200);
    let grid: Value = get_json(
        &app,
        &format!(
            "/api/v1/planning?child_id={}&service=restauration&month={month}",
            family.child_id
        ),
        &family.token,
    )
    .await;
    let estimate = grid["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["id"] == unit.as_str())
        .map(|u| u["price_cents"].clone());
    assert_eq!(estimate, Some(json!(meal)), "{grid}");
    let number = issued["invoices"][0]["number"].as_str().expect("number");
    let year = app.state.ctx.clock.today().year();
    let (number_year, sequence) = parse_invoice_number(number).expect("an invoice number");
    assert_eq!(number_year, year, "numbered in the year it is issued");

    // Nothing twice.
    let again: Value = post_json(&app, "/api/v1/staff/invoice-runs", &admin.token, &run).await;
    assert_eq!(
        (
            again["invoices_count"].as_u64(),
            again["credit_notes_count"].as_u64()
        ),
        (Some(0), Some(0)),
        "{again}"
    );

    // The family reads it, with its lines; its PDF says it in French.
    let mine: Value = get_json(&app, "/api/v1/invoices", &family.token).await;
    assert_eq!(mine["total"], 1);
    let invoice = &mine["items"][0];
    assert_eq!(invoice["status"], "a_payer");
    assert_eq!(invoice["remaining_cents"], total);
    let id = invoice["id"].as_str().expect("id");
    let pdf = app
        .get_as(&format!("/api/v1/invoices/{id}/pdf"), &family.token)
        .await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(
        pdf.headers()["content-type"].to_str().expect("type"),
        "application/pdf"
    );
    let bytes = pdf.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&bytes);
    let euros = portail_domain::format::euros(total);
    // The payer's postal address, as the family's file says it.
    let account: portail_domain::api::AccountResponse =
        app.get_ok("/api/v1/account", &family.token).await;
    for expected in [
        number,
        euros.as_str(),
        "Commune d'Avermes",
        "Période",
        "Repas pris sans réservation",
        "Absence justifiée, non facturée",
        "Reste à payer",
        account.address_line1.as_str(),
        account.city.as_str(),
        // The demo commune's SIRET, account and contact (billing settings).
        "SIRET 213 000 139 00013",
        "IBAN FR76 3000 6000 0112 3456 7890 189 — BIC TRPUFRP1",
        "Contact : Régie enfance",
    ] {
        assert!(
            text.replace('\u{a0}', " ")
                .contains(&expected.replace('\u{a0}', " ")),
            "the PDF's text has «{expected}»:\n{text}"
        );
    }

    // The e-mail says it is there, with a link, not the PDF.
    let email = invoice_email(&app, &family.email).await;
    // « de mars 2027 », « d'avril 2027 »: elided as French says it.
    use portail_domain::format::{de, month_label};
    assert_eq!(
        email.subject,
        format!(
            "Votre facture {} — Portail Famille",
            de(&month_label(&month))
        )
    );
    assert!(email.text.contains(number), "{number}: {:?}", email.text);
    assert!(email.text.contains("/mes-factures"), "{}", email.text);

    // The booked day is now excused: a credit note, never an edited invoice.
    assert_eq!(mark(booked, "excused").await.status(), 204);
    let corrected: Value = post_json(&app, "/api/v1/staff/invoice-runs", &admin.token, &run).await;
    assert_eq!(corrected["credit_notes_count"], 1, "{corrected}");
    assert_eq!(
        corrected["invoices_count"], 0,
        "a free line alone is not invoiced"
    );
    assert_eq!(corrected["total_cents"], -meal);
    let mine: Value = get_json(&app, "/api/v1/invoices", &family.token).await;
    assert_eq!(mine["total"], 2);
    let credit = &mine["items"][0];
    assert_eq!(credit["kind"], "credit_note");
    assert_eq!(credit["corrects_number"], number);
    assert_eq!(
        credit["number"],
        invoice_number(year, sequence + 1),
        "the next number of the year"
    );
    let original = &mine["items"][1];
    assert_eq!(original["total_cents"], total, "the invoice is unchanged");
    assert_eq!(original["remaining_cents"], 549);
    assert_eq!(original["status"], "partiellement_payee");

    // Another family's invoice is a 404, by id and by PDF.
    let other = app.bookers("autre", 1).await.remove(0);
    for path in [
        format!("/api/v1/invoices/{id}"),
        format!("/api/v1/invoices/{id}/pdf"),
    ] {
        assert_eq!(
            app.get_as(&path, &other.token).await.status(),
            404,
            "{path}"
        );
    }
}

async fn mark(
    app: &TestApp,
    token: &str,
    unit: &str,
    child: &str,
    date: NaiveDate,
    mark: &str,
) -> reqwest::Response {
    app.put_as(
        &format!("/api/v1/staff/units/{unit}/attendance/{date}/{child}"),
        token,
        &json!({ "mark": mark }),
    )
    .await
}

/// `GET path` with `token`, as JSON.
async fn get_json(app: &TestApp, path: &str, token: &str) -> Value {
    app.get_as(path, token).await.json().await.expect("json")
}

/// `POST path` with `token` and `body`, as JSON.
async fn post_json(app: &TestApp, path: &str, token: &str, body: &Value) -> Value {
    app.post_as(path, token, body)
        .await
        .json()
        .await
        .expect("json")
}

async fn invoice_of(app: &TestApp, billed: &Billed) -> Value {
    get_json(
        app,
        &format!("/api/v1/invoices/{}", billed.invoice_id),
        &billed.family.token,
    )
    .await
}

/// The parent's choice on the FAKE provider's page, its notification lost.
async fn fake_choice(app: &TestApp, operation: &str, choice: &str) -> u16 {
    app.client
        .post(app.url(&format!("/paiement-fictif/{operation}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("choix={choice}&notifier=0"))
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

/// The invoice e-mail sent to `to` (the booking confirmations come first).
async fn invoice_email(app: &TestApp, to: &str) -> crate::helpers::ReceivedEmail {
    for _ in 0..300 {
        if let Some(found) = app
            .smtp
            .messages()
            .into_iter()
            .find(|m| m.to.contains(to) && m.subject.starts_with("Votre facture"))
        {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no invoice e-mail to {to}");
}

/// A PDF's text as `pdftotext -layout` reads it.
pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("facture.pdf");
    std::fs::write(&path, bytes).expect("written");
    let output = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/bootstrap)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

#[tokio::test]
async fn numbers_have_no_gap_when_runs_race_and_a_refused_run_takes_none() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    // Five: the demo's canteen takes five children a day.
    let families = app.bookers("course", 5).await;
    let unit = app.unit("restauration", "Repas").await;
    let day = open_weekday(app.state.ctx.clock.today(), 1, Weekday::Tue);
    for (i, family) in families.iter().enumerate() {
        let answer = app
            .recap(
                &family.token,
                format!("k{i}"),
                json!([line(&family.child_id, &unit, day, "book")]),
            )
            .await;
        assert_eq!(answer.accepted, 1);
    }
    let run = json!({"month": month_of(day), "services": ["restauration"], "confirm_unfinished_month": true});
    // The demo's invoices came first: the runs continue the year's sequence.
    let year = app.state.ctx.clock.today().year();
    let before: Value = get_json(&app, "/api/v1/staff/invoices", &admin.token).await;
    let base = before["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| parse_invoice_number(i["number"].as_str()?))
        .filter(|(y, _)| *y == year)
        .map(|(_, n)| n)
        .max()
        .unwrap_or(0);
    let runs = (0..4).map(|_| app.post_as("/api/v1/staff/invoice-runs", &admin.token, &run));
    let answers = futures::future::join_all(runs).await;
    let mut issued = 0;
    for answer in answers {
        let body: Value = answer.read(200).await;
        issued += body["invoices_count"].as_u64().expect("count");
    }
    assert_eq!(issued, 5, "each family once, whichever run issued it");
    let list: Value = get_json(
        &app,
        &format!("/api/v1/staff/invoices?month={}", month_of(day)),
        &admin.token,
    )
    .await;
    let mut numbers: Vec<String> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["number"].as_str().expect("number").to_owned())
        .collect();
    numbers.sort();
    let expected: Vec<String> = (base + 1..=base + 5)
        .map(|n| invoice_number(year, n))
        .collect();
    assert_eq!(numbers, expected);

    // A unit without a tariff: the run refuses, says why, and takes no number.
    let snack: Value = post_json(
        &app,
        "/api/v1/staff/units",
        &admin.token,
        &json!({"service": "restauration", "name": "Goûter", "default_capacity": 10}),
    )
    .await;
    let snack_id = snack["id"].as_str().expect("id");
    let answer = app
        .recap(
            &families[0].token,
            "gouter",
            json!([line(&families[0].child_id, snack_id, day, "book")]),
        )
        .await;
    assert_eq!(answer.accepted, 1, "{answer:?}");
    let refused = app
        .post_as("/api/v1/staff/invoice-runs", &admin.token, &run)
        .await;
    let refused = refused.problem(422).await;
    assert_eq!(refused.code.as_str(), "billing_incomplete");
    assert!(refused.detail.as_str().contains("Goûter"), "{refused:?}");
    let tariff = app
        .post_as(
            "/api/v1/staff/tariffs",
            &admin.token,
            &json!({"unit_id": snack_id, "valid_from": "2020-01-01", "brackets": [{"up_to": null, "price_cents": 80}]}),
        )
        .await;
    assert_eq!(tariff.status(), 201);
    let supplement: Value = post_json(&app, "/api/v1/staff/invoice-runs", &admin.token, &run).await;
    assert_eq!(supplement["invoices_count"], 1, "{supplement}");
    assert_eq!(
        supplement["invoices"][0]["number"],
        invoice_number(year, base + 6)
    );
    assert_eq!(supplement["total_cents"], 80);
}

#[tokio::test]
async fn tariffs_are_checked_dated_and_kept_to_the_agents_services() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let agent = app.agent().await;
    let me: Value = get_json(&app, "/api/v1/staff/me", &agent.token).await;
    app.put_as(
        &format!(
            "/api/v1/staff/accounts/{}/services",
            me["id"].as_str().expect("id")
        ),
        &admin.token,
        &json!({"services": ["restauration"]}),
    )
    .await;
    let meal = app.unit("restauration", "Repas").await;
    let morning = app.unit("alja", "Matin").await;
    let tariff = |unit: &str, from: &str| {
        json!({"unit_id": unit, "valid_from": from,
            "brackets": [{"up_to": 700, "price_cents": 200}, {"up_to": null, "price_cents": 400}],
            "sibling": {"kind": "percent_off", "value": 10}, "unbooked_cents": 600})
    };
    let list: Value = get_json(&app, "/api/v1/staff/tariffs", &agent.token).await;
    assert!(
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|t| t["service"] == "restauration"),
        "an agent lists the tariffs of their services: {list}"
    );
    let created = app
        .post_as(
            "/api/v1/staff/tariffs",
            &agent.token,
            &tariff(&meal, "2027-01-01"),
        )
        .await;
    let created: Value = created.read(201).await;
    let same_day = app
        .post_as(
            "/api/v1/staff/tariffs",
            &agent.token,
            &tariff(&meal, "2027-01-01"),
        )
        .await;
    assert_eq!(same_day.status(), 409);
    let not_mine = app
        .post_as(
            "/api/v1/staff/tariffs",
            &agent.token,
            &tariff(&morning, "2027-01-01"),
        )
        .await;
    assert_eq!(not_mine.status(), 403);
    // Moving a tariff of theirs to another service's unit is refused too.
    let moved = app
        .put_as(
            &format!(
                "/api/v1/staff/tariffs/{}",
                created["id"].as_str().expect("id")
            ),
            &agent.token,
            &tariff(&morning, "2027-01-01"),
        )
        .await;
    assert_eq!(moved.status(), 403);
    for (body, field) in [
        (
            json!({"unit_id": meal, "valid_from": "2027-02-01", "brackets": [{"up_to": 900, "price_cents": 200}, {"up_to": 500, "price_cents": 300}, {"up_to": null, "price_cents": 400}]}),
            "brackets",
        ),
        (
            json!({"unit_id": meal, "valid_from": "2027-02-01", "brackets": [{"up_to": null, "price_cents": -5}]}),
            "price_cents",
        ),
        (
            json!({"unit_id": meal, "valid_from": "2027-02-01", "brackets": [{"up_to": 100_001, "price_cents": 5}, {"up_to": null, "price_cents": 9}]}),
            "brackets",
        ),
        (
            json!({"unit_id": meal, "valid_from": "2027-02-01", "valid_to": "2027-01-01", "brackets": [{"up_to": null, "price_cents": 5}]}),
            "valid_to",
        ),
        (
            json!({"unit_id": meal, "valid_from": "2027-02-01", "brackets": [{"up_to": null, "price_cents": 5}], "sibling": {"kind": "percent_off", "value": 150}}),
            "sibling",
        ),
    ] {
        let refused = app
            .post_as("/api/v1/staff/tariffs", &agent.token, &body)
            .await;
        assert_eq!(refused.status(), 422, "{body}");
        let refused = problem(refused).await;
        assert!(
            refused.errors.iter().any(|e| e.field == field),
            "{field}: {refused:?}"
        );
    }
}

#[tokio::test]
async fn payments_settle_invoices_partly_then_fully_and_the_rest_is_a_credit() {
    let app = spawn_app().await;
    app.seed_demo();
    let billed = issued_invoice(&app, "paie").await;
    let admin = &billed.admin;
    let family_id = &billed.family.family_id;
    let pay = |amount: i64, allocations: Value| {
        json!({"family_id": family_id, "method": "cheque", "amount_cents": amount,
            "received_on": "2026-12-01", "reference": "1234567", "bank": "Banque de l'Allier",
            "allocations": allocations})
    };
    for (amount, why) in [
        (0, "zero"),
        (-5, "negative"),
        (10_000_001, "over 100,000 €"),
    ] {
        let refused = app
            .post_as("/api/v1/staff/payments", admin, &pay(amount, json!([])))
            .await;
        assert_eq!(refused.status(), 422, "{why}");
    }
    let agent = app.agent().await;
    assert_eq!(
        app.post_as("/api/v1/staff/payments", &agent.token, &pay(100, json!([])))
            .await
            .status(),
        403,
        "the treasury's"
    );

    let part = app
        .post_as(
            "/api/v1/staff/payments",
            admin,
            &pay(
                100,
                json!([{"invoice_id": billed.invoice_id, "amount_cents": 100}]),
            ),
        )
        .await;
    assert_eq!(part.status(), 201);
    let now = invoice_of(&app, &billed).await;
    assert_eq!(now["summary"]["status"], "partiellement_payee");
    assert_eq!(now["summary"]["remaining_cents"], billed.total - 100);
    let too_much = app
        .post_as(
            "/api/v1/staff/payments",
            admin,
            &pay(
                billed.total,
                json!([{"invoice_id": billed.invoice_id, "amount_cents": billed.total}]),
            ),
        )
        .await;
    assert_eq!(too_much.status(), 409, "more than what is left on it");

    // Without allocation: the oldest invoices first, the rest a credit.
    let rest: Value = post_json(&app, "/api/v1/staff/payments", admin, &json!({"family_id": family_id, "method": "cash", "amount_cents": billed.total - 100 + 500, "received_on": "2026-12-02"})).await;
    assert_eq!(rest["unallocated_cents"], 500);
    assert_eq!(
        invoice_of(&app, &billed).await["summary"]["status"],
        "payee"
    );
    let balance: Value = get_json(&app, "/api/v1/balance", &billed.family.token).await;
    assert_eq!(balance["balance_cents"], -500, "a credit of 5 €: {balance}");
    assert_eq!(balance["paid_cents"], billed.total + 500);
    let payments: Value = get_json(&app, "/api/v1/payments", &billed.family.token).await;
    assert_eq!(payments["total"], 2);
    // Each payment has its receipt, for the family and the treasury; nobody else's.
    let cash = payments["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|p| p["method"] == "cash")
        .expect("the cash payment");
    let receipt_path = format!(
        "/api/v1/payments/{}/receipt",
        cash["id"].as_str().expect("id")
    );
    let receipt = app.get_as(&receipt_path, &billed.family.token).await;
    assert_eq!(receipt.status(), 200);
    let text = pdf_text(&receipt.bytes().await.expect("bytes")).replace('\u{a0}', " ");
    let paid_euros = portail_domain::format::euros(billed.total - 100 + 500).replace('\u{a0}', " ");
    for expected in [
        "REÇU",
        "Espèces",
        paid_euros.as_str(),
        "Crédit de la famille",
        "5,00 €",
    ] {
        assert!(
            text.contains(expected),
            "the receipt has «{expected}»:\n{text}"
        );
    }
    let stranger = app.bookers("inconnu", 1).await.remove(0);
    assert_eq!(
        app.get_as(&receipt_path, &stranger.token).await.status(),
        404
    );
    let staff_receipt = app
        .get_as(
            &format!(
                "/api/v1/staff/payments/{}/receipt",
                cash["id"].as_str().expect("id")
            ),
            admin,
        )
        .await;
    assert_eq!(staff_receipt.status(), 200);
    let outstanding: Value = get_json(&app, "/api/v1/staff/outstanding", admin).await;
    assert!(
        outstanding["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|r| r["invoice_id"] != billed.invoice_id.as_str()),
        "paid: not outstanding any more: {outstanding}"
    );
}

#[tokio::test]
async fn the_outstanding_list_ages_what_is_owed_and_exports_it() {
    let app = spawn_app().await;
    app.seed_demo();
    let billed = issued_invoice(&app, "retard").await;
    let due: NaiveDate = {
        let list: Value = get_json(&app, "/api/v1/invoices", &billed.family.token).await;
        list["items"][0]["due_on"]
            .as_str()
            .expect("due")
            .parse()
            .expect("date")
    };
    app.advance_clock(due + Duration::days(45) - app.state.ctx.clock.today());
    let admin = app.admin().await.token;
    let mut family = billed.family;
    app.relogin(&mut family).await;
    let list: Value = get_json(&app, "/api/v1/staff/outstanding", &admin).await;
    let ours = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["invoice_id"] == billed.invoice_id.as_str())
        .unwrap_or_else(|| panic!("the invoice is outstanding: {list}"))
        .clone();
    assert_eq!(ours["age"], "31-60");
    assert_eq!(ours["days_late"], 45);
    // The demo's invoices, a month older, are in the next column.
    assert_eq!(list["days_31_to_60_cents"], billed.total);
    assert!(list["over_60_cents"].as_i64().expect("cents") > 0, "{list}");
    let mine: Value = get_json(&app, "/api/v1/invoices", &family.token).await;
    assert_eq!(mine["items"][0]["status"], "en_retard");
    let csv = app.get_as("/api/v1/staff/outstanding.csv", &admin).await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.expect("text");
    assert!(csv.starts_with("\u{feff}Facture;Famille;Échéance"), "{csv}");
    assert!(csv.contains(";45;\"31-60\""), "{csv}");
}

#[tokio::test]
async fn an_invoice_cancelled_by_a_credit_note_is_cancelled_once() {
    let app = spawn_app().await;
    app.seed_demo();
    let billed = issued_invoice(&app, "annule").await;
    let path = format!("/api/v1/staff/invoices/{}/cancel", billed.invoice_id);
    let no_reason = app
        .post_as(&path, &billed.admin, &json!({"reason": "  "}))
        .await;
    assert_eq!(no_reason.status(), 422);
    let cancelled = app
        .post_as(
            &path,
            &billed.admin,
            &json!({"reason": "Erreur de pointage"}),
        )
        .await;
    let cancelled: Value = cancelled.read(200).await;
    assert_eq!(cancelled["summary"]["status"], "annulee");
    assert_eq!(cancelled["summary"]["remaining_cents"], 0);
    let twice = app
        .post_as(&path, &billed.admin, &json!({"reason": "Encore"}))
        .await;
    assert_eq!(twice.status(), 409);
    let mine: Value = get_json(&app, "/api/v1/invoices", &billed.family.token).await;
    assert_eq!(mine["items"][0]["kind"], "credit_note");
    assert_eq!(mine["items"][0]["total_cents"], -billed.total);
    let balance: Value = get_json(&app, "/api/v1/balance", &billed.family.token).await;
    assert_eq!(balance["balance_cents"], 0);
    // A later run does not invoice the month again by itself: the bookings are still there,
    // and what is owed is what they cost, so a new invoice is issued for them.
    let rerun: Value = post_json(
        &app,
        "/api/v1/staff/invoice-runs",
        &billed.admin,
        &json!({"month": billed.month, "services": ["restauration"], "confirm_unfinished_month": true}),
    )
    .await;
    assert_eq!(rerun["invoices_count"], 1, "{rerun}");
    assert_eq!(rerun["total_cents"], billed.total);
}

#[tokio::test]
async fn an_online_payment_is_recorded_exactly_once_whatever_the_notifications() {
    let app = spawn_app_with(|s| s.payment_provider = "fake".to_owned()).await;
    app.seed_demo();
    let billed = issued_invoice(&app, "enligne").await;
    let other = app.bookers("voisin", 1).await.remove(0);
    let start = |token: &str, invoice: &str| {
        let token = token.to_owned();
        let invoice = invoice.to_owned();
        let app = &app;
        async move {
            app.post_as(
                "/api/v1/payments/online",
                &token,
                &json!({ "invoice_id": invoice }),
            )
            .await
        }
    };
    assert_eq!(
        start(&other.token, &billed.invoice_id).await.status(),
        404,
        "another family's invoice"
    );
    let started = start(&billed.family.token, &billed.invoice_id).await;
    let started: Value = started.read(201).await;
    assert_eq!(started["amount_cents"], billed.total);
    let operation = started["operation_id"].as_str().expect("op").to_owned();
    let page_url = started["redirect_url"].as_str().expect("url").to_owned();
    assert!(page_url.ends_with(&format!("/paiement-fictif/{operation}")));
    let page = app
        .client
        .get(app.url(&format!("/paiement-fictif/{operation}")))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("page");
    assert!(page.contains("FICTIF"), "{page}");

    // The parent pays; the notification is lost.
    let paid = app
        .client
        .post(app.url(&format!("/paiement-fictif/{operation}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("choix=P&notifier=0")
        .send()
        .await
        .expect("sent");
    assert_eq!(paid.status(), 303);
    assert_eq!(
        invoice_of(&app, &billed).await["summary"]["status"],
        "a_payer",
        "not notified yet"
    );

    // Forged or unreadable notifications change nothing.
    let notify = |body: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/payments/notification"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .expect("sent")
        }
    };
    assert_eq!(notify("idop=inconnue123".to_owned()).await.status(), 404);
    assert_eq!(notify("idop=../../x".to_owned()).await.status(), 400);

    // Late, and twice at once: one payment.
    let twice = futures::future::join_all([
        notify(format!("idop={operation}")),
        notify(format!("idop={operation}")),
    ])
    .await;
    for answer in twice {
        let body: Value = answer.read(200).await;
        assert_eq!(body["status"], "paid");
    }
    assert_eq!(notify(format!("idop={operation}")).await.status(), 200);
    let now = invoice_of(&app, &billed).await;
    assert_eq!(now["summary"]["status"], "payee");
    let payments: Value = get_json(&app, "/api/v1/payments", &billed.family.token).await;
    assert_eq!(payments["total"], 1, "exactly once: {payments}");
    assert_eq!(payments["items"][0]["method"], "online");
    let balance: Value = get_json(&app, "/api/v1/balance", &billed.family.token).await;
    assert_eq!(balance["balance_cents"], 0);
    let nothing_left = start(&billed.family.token, &billed.invoice_id).await;
    assert_eq!(nothing_left.status(), 409, "nothing left to pay");

    // An operation whose amount at the provider is not the one asked: refused, nothing
    // recorded (the amount is changed in the FAKE provider's own table).
    let other_invoice = issued_invoice(&app, "montant").await;
    let forged: Value = post_json(
        &app,
        "/api/v1/payments/online",
        &other_invoice.family.token,
        &json!({ "invoice_id": other_invoice.invoice_id }),
    )
    .await;
    let forged_operation = forged["operation_id"].as_str().expect("op").to_owned();
    use sea_orm::ConnectionTrait as _;
    app.state
        .ctx
        .db
        .execute_unprepared(&format!(
            "UPDATE fake_payfip_operation SET amount_cents = 1 WHERE operation_id = '{forged_operation}'"
        ))
        .await
        .expect("the fake's amount changed");
    assert_eq!(fake_choice(&app, &forged_operation, "P").await, 303);
    assert_eq!(
        notify(format!("idop={forged_operation}")).await.status(),
        409
    );
    let none: Value = get_json(&app, "/api/v1/payments", &other_invoice.family.token).await;
    assert_eq!(none["total"], 0, "nothing recorded: {none}");
}

#[tokio::test]
async fn a_lost_notification_is_reconciled_and_a_refusal_records_nothing() {
    let app = spawn_app_with(|s| s.payment_provider = "fake".to_owned()).await;
    app.seed_demo();
    let billed = issued_invoice(&app, "rappro").await;
    let start = || async {
        let started: Value = post_json(
            &app,
            "/api/v1/payments/online",
            &billed.family.token,
            &json!({ "invoice_id": billed.invoice_id }),
        )
        .await;
        started["operation_id"].as_str().expect("op").to_owned()
    };
    let refused = start().await;
    assert_eq!(fake_choice(&app, &refused, "R").await, 303);
    let paid = start().await;
    assert_eq!(fake_choice(&app, &paid, "P").await, 303);
    let too_soon =
        portail_service::billing::online::reconcile(&app.state.ctx, Duration::minutes(15))
            .await
            .expect("reconciled");
    assert_eq!(too_soon, 0, "not asked before the delay");
    app.advance_clock(Duration::minutes(16));
    let mut billed = billed;
    app.relogin(&mut billed.family).await;
    let settled =
        portail_service::billing::online::reconcile(&app.state.ctx, Duration::minutes(15))
            .await
            .expect("reconciled");
    assert_eq!(settled, 2, "the refusal and the payment");
    let payments: Value = get_json(&app, "/api/v1/payments", &billed.family.token).await;
    assert_eq!(
        payments["total"], 1,
        "the refusal records nothing: {payments}"
    );
    assert_eq!(
        portail_service::billing::online::reconcile(&app.state.ctx, Duration::minutes(15))
            .await
            .expect("reconciled"),
        0,
        "nothing twice"
    );
}

#[tokio::test]
async fn unpaid_invoices_past_due_over_the_threshold_block_new_bookings() {
    let app = spawn_app().await;
    app.seed_demo();
    let billed = issued_invoice(&app, "bloque").await;
    let settings: Value = get_json(&app, "/api/v1/staff/billing-settings", &billed.admin).await;
    let mut with_threshold = settings.clone();
    with_threshold["blocking_threshold_cents"] = json!(100);
    let saved = app
        .put_as(
            "/api/v1/staff/billing-settings",
            &billed.admin,
            &with_threshold,
        )
        .await;
    assert_eq!(saved.status(), 200);
    let mut bad = settings.clone();
    bad["invoice_due_day"] = json!(31);
    assert_eq!(
        app.put_as("/api/v1/staff/billing-settings", &billed.admin, &bad)
            .await
            .status(),
        422
    );
    // The invoice's identity: a SIRET with a wrong key, an IBAN with a wrong digit, a BIC too
    // short are refused in words, each by its field; good ones are kept in their compact form.
    let mut wrong = settings.clone();
    wrong["siret"] = json!("213 000 139 00014");
    wrong["iban"] = json!("FR76 3000 6000 0112 3456 7890 188");
    wrong["bic"] = json!("TRPU");
    let refused = app
        .put_as("/api/v1/staff/billing-settings", &billed.admin, &wrong)
        .await
        .problem(422)
        .await;
    let fields: Vec<&str> = refused.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["siret", "iban", "bic"]);
    assert!(refused.errors[1].message.contains("IBAN"), "{refused:?}");
    let mut right = with_threshold.clone();
    right["iban"] = json!("fr76 3000 6000 0112 3456 7890 189");
    right["siret"] = json!("213 000 139 00013");
    let kept: portail_domain::api::BillingSettings = app
        .client
        .put(app.url("/api/v1/staff/billing-settings"))
        .bearer_auth(&billed.admin)
        .json(&right)
        .send()
        .await
        .expect("sent")
        .read(200)
        .await;
    assert_eq!(kept.iban, "FR7630006000011234567890189");
    assert_eq!(kept.siret, "21300013900013");
    let unit = app.unit("restauration", "Repas").await;
    let today = app.state.ctx.clock.today();
    let day = open_weekday(today, 3, Weekday::Mon);
    // Not due yet: booking is open.
    let answer = app
        .recap(
            &billed.family.token,
            "avant",
            json!([line(&billed.family.child_id, &unit, day, "book")]),
        )
        .await;
    assert_eq!(answer.accepted, 1, "{answer:?}");
    // Past due and over the threshold: new bookings are refused with a stable code, the grid
    // says why, cancelling stays possible.
    let due: NaiveDate = app
        .get_as("/api/v1/invoices", &billed.family.token)
        .await
        .json::<Value>()
        .await
        .expect("json")["items"][0]["due_on"]
        .as_str()
        .expect("due")
        .parse()
        .expect("date");
    app.advance_clock(due + Duration::days(1) - today);
    let mut family = billed.family;
    app.relogin(&mut family).await;
    let admin = app.admin().await.token;
    let later = open_weekday(app.state.ctx.clock.today(), 1, Weekday::Tue);
    let refused = app
        .recap(
            &family.token,
            "apres",
            json!([line(&family.child_id, &unit, later, "book")]),
        )
        .await;
    assert_eq!(refused.accepted, 0);
    let body = serde_json::to_value(&refused).expect("json");
    assert_eq!(body["results"][0]["code"], "unpaid_invoices", "{body}");
    let grid: Value = get_json(
        &app,
        &format!(
            "/api/v1/planning?child_id={}&service=restauration&month={}",
            family.child_id,
            month_of(later)
        ),
        &family.token,
    )
    .await;
    assert!(
        grid["blocked"]
            .as_str()
            .is_some_and(|b| b.contains("Mes factures")),
        "{grid}"
    );
    // Paid: open again.
    let paid = app
        .post_as(
            "/api/v1/staff/payments",
            &admin,
            &json!({"family_id": family.family_id, "method": "transfer", "amount_cents": billed.total, "received_on": app.state.ctx.clock.today()}),
        )
        .await;
    assert_eq!(paid.status(), 201);
    let open = app
        .recap(
            &family.token,
            "paye",
            json!([line(&family.child_id, &unit, later, "book")]),
        )
        .await;
    assert_eq!(open.accepted, 1);
}

/// A FAKE PayFiP web service (the real one cannot be reached from here): answers
/// `creerPaiementSecurise` with an operation id and `recupererDetailPaiementSecurise` with a
/// paid result of the amount it was asked, and keeps the envelopes it received.
async fn fake_payfip_service() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use actix_web::{App, HttpResponse, HttpServer, web};
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let kept = received.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("address").port();
    let server = HttpServer::new(move || {
        let kept = kept.clone();
        App::new().route(
            "/securite",
            web::post().to(move |body: String| {
                let kept = kept.clone();
                async move {
                    let answer = if body.contains("creerPaiementSecurise") {
                        "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body><ns2:creerPaiementSecuriseResponse xmlns:ns2=\"urn:x\"><return><idOp>PAYFIP0001</idOp></return></ns2:creerPaiementSecuriseResponse></S:Body></S:Envelope>".to_owned()
                    } else {
                        let asked = kept
                            .lock()
                            .expect("lock")
                            .iter()
                            .find_map(|e: &String| {
                                let start = e.find("<montant>")? + 9;
                                let end = e[start..].find('<')? + start;
                                Some(e[start..end].to_owned())
                            })
                            .unwrap_or_default();
                        format!("<S:Envelope xmlns:S=\"x\"><S:Body><r><return><montant>{asked}</montant><resultrans>P</resultrans></return></r></S:Body></S:Envelope>")
                    };
                    kept.lock().expect("lock").push(body);
                    HttpResponse::Ok().content_type("text/xml").body(answer)
                }
            }),
        )
    })
    .listen(listener)
    .expect("listening")
    .workers(1)
    .run();
    tokio::spawn(server);
    (format!("http://127.0.0.1:{port}/securite"), received)
}

#[tokio::test]
async fn payfip_is_asked_in_its_own_words_and_its_result_recorded() {
    let (service, received) = fake_payfip_service().await;
    let app = spawn_app_with(|s| {
        s.payment_provider = "payfip".to_owned();
        s.payfip_numcli = "012345".to_owned();
        s.payfip_service_url = service.clone();
        s.payfip_page_url = "https://www.payfip.gouv.fr/tpa/paiementws.web".to_owned();
    })
    .await;
    app.seed_demo();
    let billed = issued_invoice(&app, "payfip").await;
    let started: Value = post_json(
        &app,
        "/api/v1/payments/online",
        &billed.family.token,
        &json!({ "invoice_id": billed.invoice_id }),
    )
    .await;
    assert_eq!(started["operation_id"], "PAYFIP0001", "{started}");
    assert_eq!(
        started["redirect_url"],
        "https://www.payfip.gouv.fr/tpa/paiementws.web?idop=PAYFIP0001"
    );
    let creation = received.lock().expect("lock")[0].clone();
    for field in [
        "<numcli>012345</numcli>".to_owned(),
        format!("<montant>{}</montant>", billed.total),
        "<saisie>T</saisie>".to_owned(),
        "/api/v1/payments/notification</urlnotif>".to_owned(),
    ] {
        assert!(creation.contains(&field), "{field} in {creation}");
    }
    // PayFiP calls back: the result is asked of it, and recorded.
    let notified = app
        .client
        .post(app.url("/api/v1/payments/notification"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("idop=PAYFIP0001")
        .send()
        .await
        .expect("sent");
    assert_eq!(notified.status(), 200);
    assert!(received.lock().expect("lock")[1].contains("<idOp>PAYFIP0001</idOp>"));
    assert_eq!(
        invoice_of(&app, &billed).await["summary"]["status"],
        "payee"
    );
}
