//! Retention (RGPD), with the test clock: the daily job erases what the durations say and
//! nothing else (never a family that owes money or has a request open), removes the files,
//! keeps the invoices numbered and totalled; a family's deletion request is shown to an
//! administrator with what will be kept and why, and executed by a button.

use std::collections::BTreeMap;

use chrono::Duration;
use sea_orm::{ConnectionTrait as _, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};

use crate::accounts::{registration, unique_email};
use crate::client::Answer as _;
use crate::helpers::{TestApp, spawn_app};
use crate::planning_helpers::{line, open_weekday};

async fn db(app: &TestApp) -> DatabaseConnection {
    Database::connect(app.database_url.as_str())
        .await
        .expect("the test database")
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("counted")
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("a number")
}

/// Every invoice's number and total (what accounting needs kept).
async fn invoices(db: &DatabaseConnection) -> BTreeMap<String, i64> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT number, total_cents FROM invoice",
    ))
    .await
    .expect("invoices")
    .into_iter()
    .map(|row| {
        (
            row.try_get_by_index::<String>(0).expect("number"),
            row.try_get_by_index::<i64>(1).expect("total"),
        )
    })
    .collect()
}

fn apply(app: &TestApp) -> String {
    let output = app.portail(&["apply-retention"]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[tokio::test]
async fn the_retention_job_erases_what_the_durations_say_and_keeps_the_accounts() {
    let app = spawn_app().await;
    app.seed_demo();
    let db = db(&app).await;
    let families = count(&db, "SELECT COUNT(*) FROM family").await;
    let files = app.state.ctx.documents.count();
    let before_invoices = invoices(&db).await;
    assert!(!before_invoices.is_empty(), "the demo has invoices");
    let owing = count(
        &db,
        "SELECT COUNT(DISTINCT i.family_id) FROM invoice i WHERE i.total_cents > \
         COALESCE((SELECT SUM(p.amount_cents) FROM payment p WHERE p.family_id = i.family_id), 0)",
    )
    .await;
    assert!(owing >= 1, "some demo family owes money");

    // An account never confirmed: gone after 30 days, not before.
    let email = unique_email();
    assert_eq!(app.register(&registration(&email)).await.status(), 202);
    app.advance_clock(Duration::days(20));
    let report = apply(&app);
    assert!(report.contains("0 compte jamais confirmé"), "{report}");
    app.advance_clock(Duration::days(15));
    let report = apply(&app);
    assert!(
        report.contains("1 compte jamais confirmé supprimé"),
        "{report}"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM family").await, families);
    assert_eq!(
        count(
            &db,
            &format!("SELECT COUNT(*) FROM family_account WHERE email = '{email}'")
        )
        .await,
        0
    );

    // Four years without a login: the families that owe nothing and wait for nothing go,
    // with their documents' files; those that owe stay.
    app.advance_clock(Duration::days(4 * 366));
    let report = apply(&app);
    let after = count(&db, "SELECT COUNT(*) FROM family").await;
    assert!(after >= owing, "a family that owes money is kept: {report}");
    assert!(after < families, "inactive families are erased: {report}");
    assert!(
        report.contains("familles inactives supprimées")
            || report.contains("famille inactive supprimée"),
        "{report}"
    );
    assert!(report.contains("gardée"), "{report}");
    let remaining_documents = count(&db, "SELECT COUNT(*) FROM document").await;
    assert_eq!(
        app.state.ctx.documents.count(),
        usize::try_from(remaining_documents).expect("count"),
        "every erased document's file is gone from the storage"
    );
    assert!(app.state.ctx.documents.count() < files);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM child WHERE family_id NOT IN (SELECT id FROM family)"
        )
        .await,
        0
    );
    // The invoices stay, numbered and totalled as they were.
    assert_eq!(invoices(&db).await, before_invoices);
    // The audit rows older than a year are gone; the job's own rows say what it did.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_event WHERE action <> 'retention_run' AND action <> 'erase_family'",
        )
        .await,
        0
    );
    assert!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_event WHERE action = 'erase_family'"
        )
        .await
            >= 1
    );

    // Past the accounting duration the invoices lose the payer's name, never their number.
    app.advance_clock(Duration::days(11 * 366));
    let report = apply(&app);
    assert!(report.contains("anonymisés"), "{report}");
    assert_eq!(invoices(&db).await, before_invoices);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM invoice WHERE payer_name <> 'Anonymisé'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_deletion_request_is_shown_with_what_is_kept_and_executed_by_an_administrator() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let agent = app.agent().await;
    let family = app.bookers("oubli", 1).await.remove(0);
    let unit = app.unit("alja", "Matin").await;
    let date = open_weekday(app.state.ctx.clock.today(), 3, chrono::Weekday::Tue);
    let booked = app
        .recap(
            &family.token,
            "oubli-1",
            json!([line(&family.child_id, &unit, date, "book")]),
        )
        .await;
    assert_eq!(booked.accepted, 1);
    assert_eq!(
        app.post_as(
            "/api/v1/account/deletion-request",
            &family.token,
            &json!({})
        )
        .await
        .status(),
        202
    );
    let path = format!("/api/v1/staff/families/{}/erasure", family.family_id);
    assert_eq!(app.get_as(&path, &agent.token).await.status(), 403);
    let preview: Value = app
        .get_as(&path, &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert!(preview["deletion_requested_at"].is_string(), "{preview}");
    assert_eq!(
        preview["blockers"][0], "des réservations sont à venir",
        "{preview}"
    );
    assert!(
        preview["kept"][0]["why"]
            .as_str()
            .is_some_and(|w| w.contains("comptables"))
    );
    let refused = app.post_as(&path, &admin.token, &json!({})).await;
    assert!(
        refused
            .problem(409)
            .await
            .detail
            .as_str()
            .contains("réservations sont à venir")
    );

    let cancelled = app
        .recap(
            &family.token,
            "oubli-2",
            json!([line(&family.child_id, &unit, date, "cancel")]),
        )
        .await;
    assert_eq!(cancelled.accepted, 1);
    let preview: Value = app
        .get_as(&path, &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(preview["blockers"], json!([]), "{preview}");
    let done = app.post_as(&path, &admin.token, &json!({})).await;
    assert_eq!(done.status(), 200);
    // Gone: the token, the login, the file; the audit log says who.
    assert_eq!(
        app.get_as("/api/v1/children", &family.token).await.status(),
        401
    );
    assert_eq!(
        app.login(
            &family.email,
            crate::planning_helpers::BENCH_PASSWORD,
            false
        )
        .await
        .status(),
        401
    );
    assert_eq!(
        app.get_as(
            &format!("/api/v1/staff/families/{}", family.family_id),
            &admin.token
        )
        .await
        .status(),
        404
    );
    assert_eq!(app.get_as(&path, &admin.token).await.status(), 404);
    let audit: Value = app
        .get_as("/api/v1/staff/audit-events?per_page=100", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert!(
        audit["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|e| e["action"] == "erase_family" && e["family_id"] == family.family_id.as_str()),
        "{audit}"
    );
}
