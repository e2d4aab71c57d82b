//! An access token is accepted only when it is exactly what the server issued, for a session
//! that is still open.

use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::accounts::TestFamily;
use crate::helpers::{TEST_JWT_SECRET, problem, spawn_app};

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64");
    serde_json::from_slice(&bytes).expect("json claims")
}

fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("signed")
}

fn unsigned(claims: &Value) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.",
        engine.encode(br#"{"alg":"none","typ":"JWT"}"#),
        engine.encode(serde_json::to_vec(claims).expect("json"))
    )
}

#[tokio::test]
async fn the_genuine_token_works_and_every_forgery_is_refused() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    assert_eq!(
        app.get_as("/api/v1/account", &family.token).await.status(),
        200
    );
    let claims = claims_of(&family.token);
    let now = app.state.ctx.clock.now().timestamp();
    let with = |key: &str, value: Value| {
        let mut changed = claims.clone();
        changed[key] = value;
        changed
    };

    let forgeries = [
        ("alg none", unsigned(&claims)),
        (
            "another secret",
            sign(
                &claims,
                "another-secret-that-is-long-enough-0123456789abcdef",
            ),
        ),
        (
            "wrong audience",
            sign(&with("aud", json!("quelqu-un-d-autre")), TEST_JWT_SECRET),
        ),
        (
            "wrong issuer",
            sign(&with("iss", json!("ailleurs")), TEST_JWT_SECRET),
        ),
        (
            "expired",
            sign(&with("exp", json!(now - 1)), TEST_JWT_SECRET),
        ),
        (
            "a refresh token's type",
            sign(&with("typ", json!("refresh")), TEST_JWT_SECRET),
        ),
        (
            "a reset token's type",
            sign(&with("typ", json!("reset")), TEST_JWT_SECRET),
        ),
        (
            "another session",
            sign(&with("sid", json!(uuid::Uuid::new_v4())), TEST_JWT_SECRET),
        ),
        ("tampered payload", {
            let mut parts: Vec<String> = family.token.split('.').map(str::to_owned).collect();
            parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
                serde_json::to_vec(&with("sub", json!(uuid::Uuid::new_v4()))).expect("json"),
            );
            parts.join(".")
        }),
        ("not a JWT", "n-importe-quoi".to_owned()),
    ];
    for (name, token) in forgeries {
        let response = app.get_as("/api/v1/account", &token).await;
        assert_eq!(response.status(), 401, "{name}");
        assert_eq!(problem(response).await["code"], "unauthorized", "{name}");
    }
}

#[tokio::test]
async fn a_refresh_cookie_is_never_an_access_token() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let response = app.login(&family.email, &family.password, false).await;
    let refresh = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("portail_refresh="))
        .and_then(|v| v.split(';').next())
        .expect("cookie")
        .to_owned();

    assert_eq!(app.get_as("/api/v1/account", &refresh).await.status(), 401);
}

#[tokio::test]
async fn a_malformed_authorization_header_is_an_error_not_an_anonymous_call() {
    let app = spawn_app().await;
    for header in ["Basic dXNlcjpwYXNz", "Bearer", "bearer abc", "Token abc"] {
        let response = app
            .client
            .get(app.url("/api/v1/health"))
            .header("authorization", header)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 401, "{header}");
    }
    assert_eq!(
        app.get("/api/v1/account").await.status(),
        401,
        "no header: a route that needs a family says so"
    );
}

/// The family a request acts for is the one its session was opened for, read on the server:
/// with the signing secret (leaked) and one account of its own, an attacker who writes another
/// family's id into the token reads nothing of that family.
#[tokio::test]
async fn a_token_naming_another_family_than_its_session_is_refused() {
    let app = spawn_app().await;
    app.seed_demo();
    let mut families = app.bookers("autre-famille", 2).await;
    let (mine, theirs) = (families.remove(0), families.remove(0));
    let children = |token: String| {
        let app = &app;
        async move { app.get_as("/api/v1/children", &token).await }
    };
    let genuine = children(mine.token.clone()).await;
    assert_eq!(genuine.status(), 200);
    let mut forged = claims_of(&mine.token);
    assert_eq!(forged["fam"], json!(mine.family_id), "{forged}");
    forged["fam"] = json!(theirs.family_id);
    let response = children(sign(&forged, TEST_JWT_SECRET)).await;
    assert_eq!(response.status(), 401);
    assert_eq!(problem(response).await["code"], "unauthorized");
    // Once the session is in this instance's memory too (a request made with the genuine
    // token just before), and on a twin that reads it from the database.
    let twin = app.twin().await;
    assert_eq!(
        twin.get_as("/api/v1/children", &sign(&forged, TEST_JWT_SECRET))
            .await
            .status(),
        401
    );
    assert_eq!(
        twin.get_as("/api/v1/children", &mine.token).await.status(),
        200
    );
}
