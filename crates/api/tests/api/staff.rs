use portail_domain::api::StaffResponse;
use portail_domain::auth::StaffRole;
use serde_json::{Value, json};

use crate::accounts::{TestFamily, token_in};
use crate::client::Answer as _;
use crate::helpers::{problem, spawn_app};

#[tokio::test]
async fn a_family_token_never_opens_a_staff_route_nor_a_staff_token_a_family_route() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let admin = app.admin().await;
    let agent = app.agent().await;

    for path in ["/api/v1/staff/me", "/api/v1/staff/accounts"] {
        let response = app.get_as(path, &family.token).await;
        assert_eq!(response.status(), 403, "{path}");
        assert_eq!(problem(response).await.code.as_str(), "forbidden");
    }
    assert_eq!(
        app.get_as("/api/v1/account", &admin.token).await.status(),
        403
    );
    assert_eq!(
        app.get_as("/api/v1/staff/accounts", &agent.token)
            .await
            .status(),
        403,
        "agents do not manage staff"
    );
    assert_eq!(
        app.get_as("/api/v1/staff/me", &agent.token).await.status(),
        200
    );
    assert_eq!(app.get("/api/v1/staff/accounts").await.status(), 401);

    // Logging in at the parents' door with a staff account fails like a wrong password.
    let wrong_door = app.login(&admin.email, &admin.password, false).await;
    assert_eq!(wrong_door.status(), 401);
}

#[tokio::test]
async fn an_admin_invites_an_agent_who_chooses_a_password_and_logs_in() {
    let app = spawn_app().await;
    let admin = app.admin().await;

    let invalid = app
        .post_as(
            "/api/v1/staff/accounts",
            &admin.token,
            &json!({ "email": "x", "display_name": "", "role": "root" }),
        )
        .await;
    assert_eq!(Some(invalid.problem(422).await.errors.len()), Some(3));

    let created: StaffResponse = app
        .post_ok(
            "/api/v1/staff/accounts",
            &admin.token,
            &json!({ "email": "camille.martin@avermes.example", "display_name": "Camille Martin", "role": "agent" }),
            201,
        )
        .await;
    assert_eq!(created.role, StaffRole::Agent);
    assert!(created.active && created.services.is_empty());

    let duplicate = app
        .post_as("/api/v1/staff/accounts", &admin.token, &json!({ "email": "Camille.Martin@avermes.example", "display_name": "Camille", "role": "agent" }))
        .await;
    assert_eq!(duplicate.status(), 409);

    // Before choosing a password, nothing lets the account in.
    let before = app
        .post_json(
            "/api/v1/staff/auth/login",
            &json!({ "email": "camille.martin@avermes.example", "password": "!" }),
        )
        .await;
    assert_eq!(before.status(), 401);

    let invitation = app.smtp.wait_for("camille.martin@avermes.example").await;
    assert!(invitation.text.contains("/admin/mot-de-passe#jeton="));
    let token = token_in(&invitation.text);
    let set = app
        .post_json(
            "/api/v1/staff/auth/password-reset",
            &json!({ "token": token, "new_password": "registre tilleul fanfare", "new_password_confirmation": "registre tilleul fanfare" }),
        )
        .await;
    assert_eq!(set.status(), 200);

    let login = app
        .post_json("/api/v1/staff/auth/login", &json!({ "email": "camille.martin@avermes.example", "password": "registre tilleul fanfare" }))
        .await;
    assert_eq!(login.status(), 200);
    let cookie = login
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.starts_with("portail_staff_refresh=") && cookie.contains("Path=/api/v1/staff/auth"),
        "{cookie}"
    );

    let list: Value = app
        .get_as("/api/v1/staff/accounts", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["total"], 2, "the admin and the new agent");
}

#[tokio::test]
async fn staff_sessions_refresh_and_log_out_in_their_own_realm() {
    let app = spawn_app().await;
    let admin = app.admin().await;

    let refreshed = app
        .client
        .post(app.url("/api/v1/staff/auth/refresh"))
        .send()
        .await
        .expect("sent");
    assert_eq!(refreshed.status(), 200);
    assert_eq!(
        app.client
            .post(app.url("/api/v1/auth/refresh"))
            .send()
            .await
            .expect("sent")
            .status(),
        401,
        "no family session here"
    );

    let logout = app
        .client
        .post(app.url("/api/v1/staff/auth/logout"))
        .bearer_auth(&admin.token)
        .send()
        .await
        .expect("sent");
    assert_eq!(logout.status(), 204);
    assert_eq!(
        app.get_as("/api/v1/staff/me", &admin.token).await.status(),
        401
    );
}
