//! Staff come and go: an administrator deactivates an account on one instance and its
//! sessions end at once on the other, its API keys stop, its webhooks pass to the
//! administrator who deactivated it; the last active administrator cannot be deactivated;
//! the command line can deactivate when the screens cannot; reactivation lets them back in.

use serde_json::{Value, json};

use crate::client::Answer as _;
use crate::helpers::{TestApp, problem, spawn_app};

async fn staff_id(app: &TestApp, admin: &str, email: &str) -> String {
    let list: Value = app
        .get_as("/api/v1/staff/accounts", admin)
        .await
        .json()
        .await
        .expect("json");
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|s| s["email"] == email)
        .and_then(|s| s["id"].as_str())
        .expect("listed")
        .to_owned()
}

#[tokio::test]
async fn a_deactivated_account_is_shut_out_of_every_instance_at_once_and_can_come_back() {
    let app = spawn_app().await;
    app.seed_demo();
    let twin = app.twin().await;
    let boss = app.admin().await;
    let leaving = app.admin().await;
    // The leaving administrator created an API key and a webhook subscription.
    let key: Value = app
        .post_as(
            "/api/v1/staff/api-keys",
            &leaving.token,
            &json!({"name": "Cantine", "scopes": ["families:read"]}),
        )
        .await
        .json()
        .await
        .expect("json");
    let secret = key["secret"].as_str().expect("secret").to_owned();
    let hook = app
        .post_as(
            "/api/v1/staff/webhooks",
            &leaving.token,
            &json!({"url": "http://127.0.0.1:9/recu", "description": "Cantine", "events": ["booking.created"]}),
        )
        .await;
    let hook: Value = hook.read(201).await;
    let families = |token: String| {
        let twin = &twin;
        async move { twin.get_as("/api/v1/staff/families", &token).await.status() }
    };
    assert_eq!(families(secret.clone()).await, 200);
    // Both of the leaving administrator's tokens work on the other instance.
    assert_eq!(
        twin.get_as("/api/v1/staff/me", &leaving.token)
            .await
            .status(),
        200
    );
    let id = staff_id(&app, &boss.token, &leaving.email).await;

    // One cannot deactivate oneself.
    let own_id = staff_id(&app, &boss.token, &boss.email).await;
    let own = app
        .post_as(
            &format!("/api/v1/staff/accounts/{own_id}/deactivate"),
            &boss.token,
            &json!({}),
        )
        .await;
    assert_eq!(own.status(), 409);

    let done = app
        .post_as(
            &format!("/api/v1/staff/accounts/{id}/deactivate"),
            &boss.token,
            &json!({}),
        )
        .await;
    let done: Value = done.read(200).await;
    assert_eq!(done["staff"]["active"], false);
    assert_eq!(done["sessions_ended"], 1);
    assert_eq!(done["api_keys_stopped"], 1);
    assert_eq!(done["webhooks_taken_over"][0]["id"], hook["webhook"]["id"]);
    assert!(done["webhooks_taken_over_by"].is_string(), "{done}");

    // At once, on the other instance too: the session, the login, the API key.
    assert_eq!(
        twin.get_as("/api/v1/staff/me", &leaving.token)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.get_as("/api/v1/staff/me", &leaving.token)
            .await
            .status(),
        401
    );
    let login = twin
        .post_json(
            "/api/v1/staff/auth/login",
            &json!({"email": leaving.email, "password": leaving.password}),
        )
        .await;
    assert_eq!(login.status(), 401);
    assert_eq!(families(secret.clone()).await, 401);
    // The webhook goes on, now the boss's: still listed, not deleted.
    let hooks: Value = twin
        .get_as("/api/v1/staff/webhooks", &boss.token)
        .await
        .json()
        .await
        .expect("json");
    assert!(
        hooks["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|h| h["id"] == hook["webhook"]["id"]),
        "{hooks}"
    );
    // The audit log says who did it.
    let audit: Value = app
        .get_as("/api/v1/staff/audit-events", &boss.token)
        .await
        .json()
        .await
        .expect("json");
    assert!(
        audit["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|e| e["action"] == "deactivate_staff"
                && e["summary"]
                    .as_str()
                    .is_some_and(|s| s.contains(&leaving.email))),
        "{audit}"
    );

    // Reactivated on the other instance: a new login works; the old session stays ended.
    let back = twin
        .post_as(
            &format!("/api/v1/staff/accounts/{id}/reactivate"),
            &boss.token,
            &json!({}),
        )
        .await;
    assert_eq!(back.status(), 200);
    let again = app.staff_again(&leaving).await;
    assert_eq!(
        app.get_as("/api/v1/staff/me", &again.token).await.status(),
        200
    );
    assert_eq!(
        app.get_as("/api/v1/staff/me", &leaving.token)
            .await
            .status(),
        401
    );
    // Agents cannot deactivate anybody.
    let agent = app.agent().await;
    let refused = app
        .post_as(
            &format!("/api/v1/staff/accounts/{id}/deactivate"),
            &agent.token,
            &json!({}),
        )
        .await;
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn the_last_active_administrator_stays_even_when_two_deactivate_each_other_at_once() {
    let app = spawn_app().await;
    let twin = app.twin().await;
    let first = app.admin().await;
    let second = app.admin().await;
    let first_id = staff_id(&app, &first.token, &first.email).await;
    let second_id = staff_id(&app, &first.token, &second.email).await;
    let (path_a, path_b, empty) = (
        format!("/api/v1/staff/accounts/{second_id}/deactivate"),
        format!("/api/v1/staff/accounts/{first_id}/deactivate"),
        json!({}),
    );
    let (a, b) = tokio::join!(
        app.post_as(&path_a, &first.token, &empty),
        twin.post_as(&path_b, &second.token, &empty),
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    // One wins; the other is refused: as the last administrator, or because its own session
    // has just been ended.
    assert_eq!(statuses[0], 200, "{statuses:?}");
    assert!(matches!(statuses[1], 401 | 409), "{statuses:?}");
    let remaining = if a.status() == 200 { &first } else { &second };
    let list: Value = app
        .get_as("/api/v1/staff/accounts", &remaining.token)
        .await
        .json()
        .await
        .expect("json");
    let active_admins = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|s| s["role"] == "admin" && s["active"] == true)
        .count();
    assert_eq!(active_admins, 1);

    // The last one: refused, from the screens and from the command line.
    let other = app.admin().await;
    let other_id = staff_id(&app, &other.token, &other.email).await;
    let gone = app
        .post_as(
            &format!("/api/v1/staff/accounts/{other_id}/deactivate"),
            &remaining.token,
            &json!({}),
        )
        .await;
    assert_eq!(gone.status(), 200);
    let output = app.portail(&["deactivate-staff", "--email", &remaining.email]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("dernier administrateur actif"), "{stderr}");
}

#[tokio::test]
async fn the_command_line_deactivates_and_names_who_takes_the_webhooks_over() {
    let app = spawn_app().await;
    let boss = app.admin().await;
    let leaving = app.admin().await;
    let hook = app
        .post_as(
            "/api/v1/staff/webhooks",
            &leaving.token,
            &json!({"url": "http://127.0.0.1:9/recu", "description": "Cantine", "events": ["booking.created"]}),
        )
        .await;
    assert_eq!(hook.status(), 201);
    // Webhooks without anyone to take them: refused, saying what to do.
    let output = app.portail(&["deactivate-staff", "--email", &leaving.email]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--webhooks-to"), "{stderr}");
    assert_eq!(
        app.get_as("/api/v1/staff/me", &leaving.token)
            .await
            .status(),
        200,
        "nothing changed"
    );
    let output = app.portail(&[
        "deactivate-staff",
        "--email",
        &leaving.email,
        "--webhooks-to",
        &boss.email,
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 session fermée"), "{stdout}");
    assert!(stdout.contains("http://127.0.0.1:9/recu"), "{stdout}");
    assert_eq!(
        app.get_as("/api/v1/staff/me", &leaving.token)
            .await
            .status(),
        401
    );
    let unknown = app.portail(&["deactivate-staff", "--email", "personne@avermes.example"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("aucun compte"));
    let problem_body = problem(
        app.post_as(
            &format!("/api/v1/staff/accounts/{}/deactivate", uuid::Uuid::new_v4()),
            &boss.token,
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(problem_body.code.as_str(), "not_found");
}
