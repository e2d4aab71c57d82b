//! Certificates through the API (issue 24, point 3), on whichever database the tests run
//! against: the attestation fiscale of a year is what was paid *that year* for the childcare
//! of a child under six on 1 January (the canteen excluded), shared by the invoice's lines,
//! given once the year has ended, as JSON and as a PDF read back with pdftotext, for the
//! family and in bulk for the treasury; the attestation de présence lists the days marked
//! present. Another family's child is a 404 on every route.

use chrono::{Datelike as _, Duration, NaiveDate, Weekday};
use serde_json::json;

use portail_domain::ServiceCode;
use portail_domain::api::{
    AttendanceCertificateResponse, BookingBatchResponse, FiscalCertificateListResponse,
    FiscalCertificateResponse, InvoiceListResponse, InvoiceResponse, LineOutcome,
};
use portail_domain::format::euros;

use crate::client::Answer as _;
use crate::helpers::spawn_app;
use crate::planning_helpers::{line, open_weekday};

/// The PDF's text, its non-breaking spaces read back as spaces.
fn pdf_text(bytes: &[u8]) -> String {
    crate::billing::pdf_text(bytes).replace('\u{a0}', " ")
}

/// An amount as the PDF prints it, read back by pdftotext.
fn printed(cents: i64) -> String {
    euros(cents).replace('\u{a0}', " ")
}

async fn pdf(response: reqwest::Response) -> String {
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().expect("type"),
        "application/pdf"
    );
    pdf_text(&response.bytes().await.expect("bytes"))
}

#[tokio::test]
async fn a_year_s_payments_certify_the_care_of_a_child_under_six_and_the_days_present() {
    let app = spawn_app().await;
    app.seed_demo();
    let mut admin = app.admin().await;
    let mut families = app.bookers("attestation", 2).await;
    let (mut family, mut other) = (families.remove(0), families.remove(0));
    // Four on 1 January 2027 (the clock starts in March 2027): under six.
    app.set_birth_date(&family, NaiveDate::from_ymd_opt(2022, 5, 1).expect("date"))
        .await;
    let today = app.state.ctx.clock.today();
    let day = app.unit("alja", "Journée avec repas").await;
    let meal = app.unit("restauration", "Repas").await;
    let (first, second) = (
        open_weekday(today, 1, Weekday::Tue),
        open_weekday(today, 2, Weekday::Tue),
    );
    let lunch = open_weekday(today, 1, Weekday::Thu);
    assert_eq!((first.month(), second.month(), lunch.month()), (3, 3, 3));
    let booked: BookingBatchResponse = app
        .recap(
            &family.token,
            "attestation",
            json!([
                line(&family.child_id, &day, first, "book"),
                line(&family.child_id, &day, second, "book"),
                line(&family.child_id, &meal, lunch, "book"),
            ]),
        )
        .await;
    assert!(
        booked
            .results
            .iter()
            .all(|r| r.outcome == LineOutcome::Booked),
        "{booked:?}"
    );

    // The days have passed: the team marks the first present, the second absent.
    app.advance_clock(second - today + Duration::days(1));
    admin = app.staff_again(&admin).await;
    app.relogin(&mut family).await;
    app.relogin(&mut other).await;
    for (date, mark) in [(first, "present"), (second, "absent")] {
        let marked = app
            .put_as(
                &format!(
                    "/api/v1/staff/units/{day}/attendance/{date}/{}",
                    family.child_id
                ),
                &admin.token,
                &json!({ "mark": mark }),
            )
            .await;
        assert_eq!(marked.status(), 204);
    }
    let march = format!(
        "child_id={}&service=alja&from=2027-03-01&to={}",
        family.child_id,
        app.state.ctx.clock.today()
    );
    let attended: AttendanceCertificateResponse = app
        .get_ok(
            &format!("/api/v1/certificates/attendance?{march}"),
            &family.token,
        )
        .await;
    assert_eq!(attended.days.len(), 1, "{attended:?}");
    assert_eq!(attended.days[0].date, first);
    assert_eq!(
        attended.days[0].units,
        vec!["Journée avec repas".to_owned()]
    );
    let text = pdf(app
        .get_as(
            &format!("/api/v1/certificates/attendance/pdf?{march}"),
            &family.token,
        )
        .await)
    .await;
    assert!(text.contains("ATTESTATION DE PRÉSENCE"), "{text}");
    assert!(text.contains("1 jour :"), "{text}");
    assert!(
        text.contains(&portail_domain::format::date_fr(first)),
        "{text}"
    );
    assert!(
        !text.contains(&portail_domain::format::date_fr(second)),
        "{text}"
    );
    // A period the wrong way round, too long, or another family's child.
    let backwards = app
        .get_as(
            &format!(
                "/api/v1/certificates/attendance?child_id={}&service=alja&from=2027-03-20&to=2027-03-01",
                family.child_id
            ),
            &family.token,
        )
        .await
        .problem(422)
        .await;
    assert_eq!(backwards.errors[0].field, "to");
    let theirs = app
        .get_as(
            &format!("/api/v1/certificates/attendance/pdf?{march}"),
            &other.token,
        )
        .await;
    assert_eq!(theirs.status(), 404);

    // March is invoiced; half is paid in 2027, the rest in January 2028.
    let run = json!({"month": "2027-03", "services": ["alja", "restauration"], "confirm_unfinished_month": true});
    let issued = app
        .post_as("/api/v1/staff/invoice-runs", &admin.token, &run)
        .await;
    assert_eq!(issued.status(), 200, "{:?}", issued.text().await);
    let invoices: InvoiceListResponse = app.get_ok("/api/v1/invoices", &family.token).await;
    assert_eq!(invoices.total, 1);
    let invoice: InvoiceResponse = app
        .get_ok(
            &format!("/api/v1/invoices/{}", invoices.items[0].id),
            &family.token,
        )
        .await;
    let total = invoice.summary.total_cents;
    let care: i64 = invoice
        .lines
        .iter()
        .filter(|l| l.service == ServiceCode::Alja)
        .map(|l| l.amount_cents)
        .sum();
    assert!(
        care > 0 && care < total,
        "the canteen is on the invoice too: {invoice:?}"
    );
    let paid_2027 = total / 2;
    let family_id = family.family_id.clone();
    let pay = |amount: i64, on: NaiveDate| json!({"family_id": family_id, "method": "cheque", "amount_cents": amount, "received_on": on, "reference": "123"});
    let recorded = app
        .post_as(
            "/api/v1/staff/payments",
            &admin.token,
            &pay(paid_2027, app.state.ctx.clock.today()),
        )
        .await;
    assert_eq!(recorded.status(), 201);
    // 2027 has not ended.
    let early = app
        .get_as("/api/v1/certificates/fiscal/2027", &family.token)
        .await
        .problem(409)
        .await;
    assert_eq!(early.code.as_str(), "year_not_ended");
    assert!(
        early.detail.contains("1er janvier 2028"),
        "{}",
        early.detail
    );

    app.advance_clock(
        NaiveDate::from_ymd_opt(2028, 1, 5).expect("date") - app.state.ctx.clock.today(),
    );
    admin = app.staff_again(&admin).await;
    app.relogin(&mut family).await;
    app.relogin(&mut other).await;
    let recorded = app
        .post_as(
            "/api/v1/staff/payments",
            &admin.token,
            &pay(total - paid_2027, app.state.ctx.clock.today()),
        )
        .await;
    assert_eq!(recorded.status(), 201);

    // What was paid in 2027, shared by the lines: the holiday centre's part, not the meal's.
    let expected = paid_2027 * care / total;
    let certificate: FiscalCertificateResponse = app
        .get_ok("/api/v1/certificates/fiscal/2027", &family.token)
        .await;
    assert_eq!(certificate.children.len(), 1, "{certificate:?}");
    let child = &certificate.children[0];
    assert_eq!(child.child_id.to_string(), family.child_id);
    assert_eq!(child.amount_cents, expected);
    assert_eq!(child.by_service.len(), 1);
    assert_eq!(child.by_service[0].service, ServiceCode::Alja);
    let text = pdf(app
        .get_as(
            &format!(
                "/api/v1/certificates/fiscal/2027/children/{}/pdf",
                family.child_id
            ),
            &family.token,
        )
        .await)
    .await;
    assert!(text.contains("ATTESTATION FISCALE"), "{text}");
    assert!(
        text.contains("Frais de garde des enfants de moins de 6 ans"),
        "{text}"
    );
    assert!(
        text.contains(&printed(expected)),
        "{} in {text}",
        printed(expected)
    );
    assert!(text.contains(&child.first_name), "{text}");
    // Another family cannot download it; the other family's child is over six: no certificate.
    let theirs = app
        .get_as(
            &format!(
                "/api/v1/certificates/fiscal/2027/children/{}/pdf",
                family.child_id
            ),
            &other.token,
        )
        .await;
    assert_eq!(theirs.status(), 404);
    let none: FiscalCertificateResponse = app
        .get_ok("/api/v1/certificates/fiscal/2027", &other.token)
        .await;
    assert!(none.children.is_empty(), "{none:?}");
    // 2028 has not ended; 1999 is not a year to certify.
    for (year, status) in [(2028, 409), (1999, 422)] {
        let refused = app
            .get_as(
                &format!("/api/v1/certificates/fiscal/{year}"),
                &family.token,
            )
            .await;
        assert_eq!(refused.status(), status, "{year}");
    }

    // The treasury: the year's list, one family's, and the bulk PDF; not for a family's token.
    let all: FiscalCertificateListResponse = app
        .get_ok("/api/v1/staff/certificates/fiscal/2027", &admin.token)
        .await;
    let ours = all
        .items
        .iter()
        .find(|f| f.family_id.to_string() == family.family_id)
        .expect("the family paid care in 2027");
    assert_eq!(ours.children[0].amount_cents, expected);
    assert_eq!(
        all.total_cents,
        all.items
            .iter()
            .flat_map(|f| &f.children)
            .map(|c| c.amount_cents)
            .sum::<i64>()
    );
    let one: FiscalCertificateListResponse = app
        .get_ok(
            &format!(
                "/api/v1/staff/certificates/fiscal/2027?family_id={}",
                family.family_id
            ),
            &admin.token,
        )
        .await;
    assert_eq!(
        (one.items.len(), one.certificates, one.total_cents),
        (1, 1, expected)
    );
    let bulk = pdf(app
        .get_as("/api/v1/staff/certificates/fiscal/2027/pdf", &admin.token)
        .await)
    .await;
    assert!(bulk.contains(&printed(expected)), "{bulk}");
    assert_eq!(
        app.get_as("/api/v1/staff/certificates/fiscal/2027", &family.token)
            .await
            .status(),
        403
    );
    let nothing = app
        .get_as(
            &format!(
                "/api/v1/staff/certificates/fiscal/2027/pdf?family_id={}",
                other.family_id
            ),
            &admin.token,
        )
        .await;
    assert_eq!(nothing.status(), 404);
}
