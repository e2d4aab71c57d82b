//! Nothing of the audit trail is best-effort: a request made for someone else (an agent acting
//! for a family, an integrator's API key) whose audit row cannot be written is not run; a row
//! whose answer cannot be written at once is completed later, never dropped.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait as _, Database, DatabaseConnection};
use serde_json::{Value, json};

use crate::client::Answer as _;
use crate::helpers::{TestApp, spawn_app};

async fn database(app: &TestApp) -> DatabaseConnection {
    Database::connect(app.database_url.as_str())
        .await
        .expect("the test database")
}

async fn audit_rows(app: &TestApp, admin: &str) -> Vec<Value> {
    let audit: Value = app
        .get_as("/api/v1/staff/audit-events?per_page=100", admin)
        .await
        .json()
        .await
        .expect("json");
    audit["items"].as_array().expect("items").clone()
}

async fn children(app: &TestApp, token: &str) -> usize {
    let list: Value = app
        .get_as("/api/v1/children", token)
        .await
        .json()
        .await
        .expect("json");
    list["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_request_whose_audit_row_cannot_be_written_is_not_run() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let family = app.bookers("journal", 1).await.remove(0);
    let acting: Value = app
        .post_as(
            &format!("/api/v1/staff/families/{}/acting", family.family_id),
            &admin.token,
            &json!({}),
        )
        .await
        .json()
        .await
        .expect("json");
    let token = acting["access_token"].as_str().expect("token").to_owned();
    let key: Value = app
        .post_as(
            "/api/v1/staff/api-keys",
            &admin.token,
            &json!({"name": "Cantine", "scopes": ["families:read"]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let secret = key["secret"].as_str().expect("secret").to_owned();
    let before = children(&app, &family.token).await;

    // The audit log is out of order.
    let db = database(&app).await;
    db.execute_unprepared("ALTER TABLE audit_event RENAME TO audit_event_en_panne")
        .await
        .expect("renamed");
    let refused = app
        .post_as(
            "/api/v1/children",
            &token,
            &crate::family_helpers::complete_child("Jules"),
        )
        .await;
    let body = refused.problem(503).await;
    assert_eq!(body.code.as_str(), "service_unavailable");
    assert!(
        body.detail.as_str().contains("n'a pas été exécutée"),
        "{body:?}"
    );
    assert_eq!(
        children(&app, &family.token).await,
        before,
        "the child was not added"
    );
    let key_call = app.get_as("/api/v1/staff/families", &secret).await;
    assert_eq!(key_call.status(), 503, "an API-key call is not run either");

    db.execute_unprepared("ALTER TABLE audit_event_en_panne RENAME TO audit_event")
        .await
        .expect("renamed back");
    let added = app
        .post_as(
            "/api/v1/children",
            &token,
            &crate::family_helpers::complete_child("Jules"),
        )
        .await;
    assert_eq!(added.status(), 201);
    assert_eq!(children(&app, &family.token).await, before + 1);
    assert_eq!(
        app.get_as("/api/v1/staff/families", &secret).await.status(),
        200
    );
    let rows = audit_rows(&app, &admin.token).await;
    let acting_rows: Vec<&Value> = rows
        .iter()
        .filter(|e| e["action"] == "acting_request")
        .collect();
    assert_eq!(acting_rows.len(), 1, "one request ran, one row: {rows:?}");
    assert!(
        acting_rows[0]["detail"]
            .as_str()
            .is_some_and(|d| d.ends_with(" 201")),
        "{:?}",
        acting_rows[0]
    );
}

#[tokio::test]
async fn an_answer_that_cannot_be_written_at_once_is_written_later() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let key: Value = app
        .post_as(
            "/api/v1/staff/api-keys",
            &admin.token,
            &json!({"name": "Cantine", "scopes": ["families:read"]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let secret = key["secret"].as_str().expect("secret").to_owned();
    // Completing a row fails while `panne` says so (a trigger on the audit table).
    let db = database(&app).await;
    db.execute_unprepared("CREATE TABLE panne (active INTEGER NOT NULL)")
        .await
        .expect("panne");
    db.execute_unprepared("INSERT INTO panne VALUES (1)")
        .await
        .expect("panne on");
    if app.database_url.starts_with("sqlite") {
        db.execute_unprepared(
            "CREATE TRIGGER audit_en_panne BEFORE UPDATE ON audit_event \
             WHEN (SELECT active FROM panne) = 1 BEGIN SELECT RAISE(ABORT, 'panne simulée'); END",
        )
        .await
        .expect("trigger");
    } else {
        db.execute_unprepared(
            "CREATE FUNCTION audit_en_panne() RETURNS trigger AS $$ BEGIN \
             IF (SELECT active FROM panne) = 1 THEN RAISE EXCEPTION 'panne simulée'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
        )
        .await
        .expect("function");
        db.execute_unprepared(
            "CREATE TRIGGER audit_en_panne BEFORE UPDATE ON audit_event \
             FOR EACH ROW EXECUTE FUNCTION audit_en_panne()",
        )
        .await
        .expect("trigger");
    }
    let call = app.get_as("/api/v1/staff/families", &secret).await;
    assert_eq!(
        call.status(),
        200,
        "the request ran: its row was written first"
    );
    let calls = |rows: Vec<Value>| -> Vec<String> {
        rows.into_iter()
            .filter(|e| e["action"] == "api_key_call")
            .filter_map(|e| e["detail"].as_str().map(str::to_owned))
            .collect()
    };
    let pending = calls(audit_rows(&app, &admin.token).await);
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert!(
        pending[0].starts_with("0;"),
        "not completed yet: {pending:?}"
    );
    db.execute_unprepared("UPDATE panne SET active = 0")
        .await
        .expect("panne off");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let rows = calls(audit_rows(&app, &admin.token).await);
        if rows.len() == 1 && rows[0].starts_with("200;GET;/api/v1/staff/families;") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the answer was never written: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
