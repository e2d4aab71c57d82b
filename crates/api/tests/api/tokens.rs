//! An access token is accepted only when it is exactly what the server issued, for a session
//! that is still open.

use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::accounts::TestFamily;
use crate::client::Answer as _;
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
        assert_eq!(
            problem(response).await.code.as_str(),
            "unauthorized",
            "{name}"
        );
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
    assert_eq!(response.problem(401).await.code.as_str(), "unauthorized");
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

fn kid_of(token: &str) -> Option<String> {
    jsonwebtoken::decode_header(token)
        .expect("a JWT header")
        .kid
}

#[tokio::test]
async fn after_a_rotation_old_tokens_work_until_they_expire_and_a_dropped_key_is_refused() {
    let app = spawn_app().await;
    app.seed_demo();
    let twin = app.twin().await;
    let mut family = app.bookers("rotation", 1).await.remove(0);
    let before = family.token.clone();
    assert_eq!(kid_of(&before), None, "signed with the configured secret");

    let output = app.portail(&["rotate-jwt-secret"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("Nouvelle clé de signature"), "{stdout}");
    // The instances read it within five seconds; this one now (what its worker does).
    app.state
        .jwt
        .reload(&app.state.ctx.db)
        .await
        .expect("keys read");

    // A token issued before the rotation still works, on both instances.
    for instance in [&app, &twin] {
        assert_eq!(
            instance.get_as("/api/v1/children", &before).await.status(),
            200
        );
    }
    // A new token names the new key; the twin, which has not read it yet, reads it on the
    // first token that names it.
    app.relogin(&mut family).await;
    let after = family.token.clone();
    let kid = kid_of(&after).expect("a kid");
    assert!(stdout.contains(&kid), "{stdout}");
    assert_eq!(twin.get_as("/api/v1/children", &after).await.status(), 200);

    // A token signed with the old secret, made now (a leaked secret), is still accepted
    // within the grace; once the grace has passed, the old key is dropped: refused.
    let mut forged = claims_of(&after);
    let now = app.state.ctx.clock.now().timestamp();
    forged["iat"] = json!(now);
    forged["exp"] = json!(now + 3 * 3600);
    let old_key = sign(&forged, TEST_JWT_SECRET);
    assert_eq!(app.get_as("/api/v1/children", &old_key).await.status(), 200);
    for instance in [&app, &twin] {
        instance.advance_clock(chrono::Duration::minutes(32));
    }
    assert_eq!(app.get_as("/api/v1/children", &old_key).await.status(), 401);
    assert_eq!(
        twin.get_as("/api/v1/children", &old_key).await.status(),
        401
    );
    // The new key goes on: a fresh token works after the grace.
    app.relogin(&mut family).await;
    assert_eq!(kid_of(&family.token), Some(kid.clone()));
    assert_eq!(
        twin.get_as("/api/v1/children", &family.token)
            .await
            .status(),
        200
    );

    // A second rotation retires the first stored key the same way: accepted within the
    // grace, refused after, and its secret is dropped from the database.
    let output = app.portail(&["rotate-jwt-secret"]);
    assert!(output.status.success());
    app.state
        .jwt
        .reload(&app.state.ctx.db)
        .await
        .expect("keys read");
    let stored = portail_service::signing_keys::load(&app.state.ctx.db)
        .await
        .expect("keys");
    let first_secret = stored
        .iter()
        .find(|k| k.kid == kid)
        .and_then(|k| k.secret.clone())
        .expect("still kept within the grace");
    let mut claims = claims_of(&family.token);
    let now = app.state.ctx.clock.now().timestamp();
    claims["exp"] = json!(now + 3 * 3600);
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(kid.clone());
    let first_key = jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_secret(first_secret.as_bytes()),
    )
    .expect("signed");
    assert_eq!(
        app.get_as("/api/v1/children", &first_key).await.status(),
        200
    );
    for instance in [&app, &twin] {
        instance.advance_clock(chrono::Duration::minutes(32));
    }
    let output = app.portail(&["rotate-jwt-secret"]);
    assert!(output.status.success());
    let stored = portail_service::signing_keys::load(&app.state.ctx.db)
        .await
        .expect("keys");
    let first = stored.iter().find(|k| k.kid == kid).expect("kept, retired");
    assert!(
        first.retired_at.is_some() && first.secret.is_none(),
        "{first:?}"
    );
    for instance in [&app, &twin] {
        instance
            .state
            .jwt
            .reload(&instance.state.ctx.db)
            .await
            .expect("keys read");
        assert_eq!(
            instance
                .get_as("/api/v1/children", &first_key)
                .await
                .status(),
            401,
            "a token of a dropped key"
        );
    }
}
