use chrono::Duration;
use serde_json::{Value, json};

use crate::accounts::{TestFamily, registration, unique_email};
use crate::client::Answer as _;
use crate::helpers::{PASSWORD, problem, spawn_app, spawn_app_with};

fn set_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portail_refresh="))
        .expect("a refresh cookie")
        .to_owned()
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v.to_owned())
        .expect("name=value")
}

async fn confirmed_account(app: &crate::helpers::TestApp) -> String {
    let email = unique_email();
    app.register(&registration(&email)).await;
    assert_eq!(app.confirm_email(&email).await.status(), 200);
    email
}

#[tokio::test]
async fn login_gives_a_short_access_token_and_an_http_only_strict_cookie() {
    let app = spawn_app().await;
    let email = confirmed_account(&app).await;

    let remembered = app.login(&email, PASSWORD, true).await;
    assert_eq!(remembered.status(), 200);
    assert_eq!(remembered.headers()["cache-control"], "no-store");
    let cookie = set_cookie(&remembered);
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/auth",
        "Max-Age=2592000",
    ] {
        assert!(
            cookie.contains(attribute),
            "{attribute} missing from {cookie}"
        );
    }
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
    let hint = remembered
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portail_has_session=1"))
        .expect("the script-readable hint")
        .to_owned();
    assert!(
        !hint.contains("HttpOnly") && hint.contains("Path=/;"),
        "{hint}"
    );
    let body: Value = remembered.json().await.expect("json");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    let token = body["access_token"].as_str().expect("token");

    let account = app.get_as("/api/v1/account", token).await;
    let account: Value = account.read(200).await;
    assert_eq!(account["email"], email);
    assert_eq!(account["first_name"], "Marie");
    assert_eq!(account["dossier_status"], "incomplete");

    let browser_session = app.login(&email, PASSWORD, false).await;
    let cookie = set_cookie(&browser_session);
    assert!(
        !cookie.contains("Max-Age"),
        "without « Se souvenir de moi » the cookie ends with the browser: {cookie}"
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_address_look_the_same_and_cost_the_same() {
    let app = spawn_app().await;
    let email = confirmed_account(&app).await;

    let before = app.state.ctx.hasher.verifications();
    let wrong = app.login(&email, "pas le bon mot de passe", false).await;
    let after_wrong = app.state.ctx.hasher.verifications();
    let unknown = app
        .login(&unique_email(), "pas le bon mot de passe", false)
        .await;
    let after_unknown = app.state.ctx.hasher.verifications();

    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    assert_eq!(
        wrong.json::<Value>().await.expect("json"),
        unknown.json::<Value>().await.expect("json")
    );
    assert_eq!(after_wrong - before, 1);
    assert_eq!(
        after_unknown - after_wrong,
        1,
        "an unknown address spends one argon2 verification too"
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_address_for_a_while_known_or_not() {
    let app = spawn_app().await;
    let email = confirmed_account(&app).await;
    let stranger = unique_email();

    for address in [&email, &stranger] {
        for _ in 0..5 {
            assert_eq!(
                app.login(address, "mauvais mot de passe", false)
                    .await
                    .status(),
                401
            );
        }
        let locked = app.login(address, PASSWORD, false).await;
        assert_eq!(locked.status(), 429, "{address}");
        let retry_after: u64 = locked.headers()["retry-after"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("seconds");
        assert!((1..=30).contains(&retry_after), "{retry_after}");
        let body = problem(locked).await;
        assert_eq!(body.code.as_str(), "rate_limited");
        assert!(body.detail.as_str().contains("Réessayez dans"));
    }

    // While locked, even the right password is refused without being checked.
    let before = app.state.ctx.hasher.verifications();
    assert_eq!(app.login(&email, PASSWORD, false).await.status(), 429);
    assert_eq!(app.state.ctx.hasher.verifications(), before);

    app.advance_clock(Duration::seconds(31));
    assert_eq!(app.login(&email, PASSWORD, false).await.status(), 200);
    // A success clears the count.
    assert_eq!(
        app.login(&email, "mauvais mot de passe", false)
            .await
            .status(),
        401
    );
    assert_eq!(app.login(&email, PASSWORD, false).await.status(), 200);
}

#[tokio::test]
async fn one_address_cannot_hammer_the_open_endpoints() {
    let app = spawn_app_with(|s| s.auth_rate_limit_per_minute = 5).await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let response = app
            .post_json(
                "/api/v1/auth/password-reset/request",
                &json!({ "email": unique_email() }),
            )
            .await;
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            assert!(response.headers().contains_key("retry-after"));
            assert_eq!(problem(response).await.code.as_str(), "rate_limited");
        }
    }
    assert_eq!(statuses, [202, 202, 202, 202, 202, 429, 429]);
}

/// Behind a trusted proxy (here: the test's own 127.0.0.1) the client's address is the
/// right-most `X-Forwarded-For` entry the proxy added: a guesser who rotates the entries it
/// writes itself stays one address; another client behind the same proxy has its own quota.
/// Without a trusted proxy the header is ignored altogether.
#[tokio::test]
async fn a_forged_x_forwarded_for_does_not_escape_the_per_address_limit() {
    async fn statuses(app: &crate::helpers::TestApp, forwarded: &[String]) -> Vec<u16> {
        let mut statuses = Vec::new();
        for header in forwarded {
            let response = app
                .client
                .post(app.url("/api/v1/auth/password-reset/request"))
                .header("x-forwarded-for", header.as_str())
                .json(&json!({ "email": unique_email() }))
                .send()
                .await
                .expect("sent");
            statuses.push(response.status().as_u16());
        }
        statuses
    }
    let forged = |right: &str| -> Vec<String> {
        (0..5).map(|i| format!("198.51.100.{i}, {right}")).collect()
    };
    let app = spawn_app_with(|s| {
        s.auth_rate_limit_per_minute = 3;
        s.trusted_proxies = "127.0.0.1".to_owned();
    })
    .await;
    assert_eq!(
        statuses(&app, &forged("203.0.113.7")).await,
        [202, 202, 202, 429, 429],
        "the rotated left entries are the client's own writing"
    );
    assert_eq!(
        statuses(&app, &forged("203.0.113.8")).await[0],
        202,
        "another client behind the proxy"
    );

    let ignored = spawn_app_with(|s| s.auth_rate_limit_per_minute = 3).await;
    let rotating_right: Vec<String> = (0..5).map(|i| format!("203.0.113.{i}")).collect();
    assert_eq!(
        statuses(&ignored, &rotating_right).await,
        [202, 202, 202, 429, 429],
        "no trusted proxy: the header is ignored, the peer is the address"
    );
    // A setting that names no address is refused at start, in French.
    let mut settings = portail_api::configuration::Settings {
        trusted_proxies: "127.0.0.1, proxy.local".to_owned(),
        ..portail_api::configuration::Settings::default()
    };
    settings.data_dir = app.data_dir.path().to_owned();
    let Err(error) = settings.resolve() else {
        panic!("a proxy written as a name is refused");
    };
    let error = error.to_string();
    assert!(
        error.contains("PORTAIL_TRUSTED_PROXIES") && error.contains("proxy.local"),
        "{error}"
    );
}

#[tokio::test]
async fn refresh_rotates_the_cookie_and_a_reused_cookie_revokes_the_session() {
    let app = spawn_app().await;
    let email = confirmed_account(&app).await;
    let login = app.login(&email, PASSWORD, true).await;
    let first_cookie = cookie_value(&set_cookie(&login));
    let first_token = login.json::<Value>().await.expect("json")["access_token"]
        .as_str()
        .expect("t")
        .to_owned();

    let refreshed = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("sent");
    assert_eq!(refreshed.status(), 200);
    let second_cookie = cookie_value(&set_cookie(&refreshed));
    assert_ne!(first_cookie, second_cookie);
    let second_token = refreshed.json::<Value>().await.expect("json")["access_token"]
        .as_str()
        .expect("t")
        .to_owned();
    assert_eq!(
        app.get_as("/api/v1/account", &second_token).await.status(),
        200
    );

    // The old cookie, presented again later (stolen): the whole session ends.
    app.advance_clock(Duration::seconds(11));
    let thief = app.other_browser();
    let reuse = thief
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", format!("portail_refresh={first_cookie}"))
        .send()
        .await
        .expect("sent");
    assert_eq!(reuse.status(), 401);
    assert_eq!(
        app.get_as("/api/v1/account", &second_token).await.status(),
        401
    );
    assert_eq!(
        app.get_as("/api/v1/account", &first_token).await.status(),
        401
    );
    let owner = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("sent");
    assert_eq!(owner.status(), 401, "the newest cookie is dead too");
}

#[tokio::test]
async fn two_tabs_refreshing_at_once_do_not_end_the_session() {
    let app = spawn_app().await;
    let email = confirmed_account(&app).await;
    let login = app.login(&email, PASSWORD, false).await;
    let cookie = cookie_value(&set_cookie(&login));
    let tab = |c: String| {
        let client = app.other_browser();
        let url = app.url("/api/v1/auth/refresh");
        async move {
            client
                .post(url)
                .header("cookie", format!("portail_refresh={c}"))
                .send()
                .await
                .expect("sent")
        }
    };

    let first = tab(cookie.clone()).await;
    let second = tab(cookie.clone()).await;

    assert_eq!(first.status(), 200);
    assert_eq!(second.problem(409).await.code.as_str(), "refresh_conflict");
    let newest = cookie_value(&set_cookie(&first));
    assert_eq!(tab(newest).await.status(), 200, "the session survived");
}

#[tokio::test]
async fn logout_ends_the_access_token_and_the_cookie_at_once() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    assert_eq!(
        app.get_as("/api/v1/account", &family.token).await.status(),
        200
    );

    let logout = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&family.token)
        .send()
        .await
        .expect("sent");

    assert_eq!(logout.status(), 204);
    let removal = logout
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        removal.starts_with("portail_refresh=;") && removal.contains("Max-Age=0"),
        "{removal}"
    );
    assert_eq!(
        app.get_as("/api/v1/account", &family.token).await.status(),
        401
    );
    assert_eq!(
        app.client
            .post(app.url("/api/v1/auth/refresh"))
            .send()
            .await
            .expect("sent")
            .status(),
        401
    );
}

#[tokio::test]
async fn a_session_without_remember_me_ends_after_twelve_hours_server_side() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;

    app.advance_clock(Duration::hours(12) + Duration::minutes(1));

    assert_eq!(
        app.client
            .post(app.url("/api/v1/auth/refresh"))
            .send()
            .await
            .expect("sent")
            .status(),
        401
    );
    assert_eq!(
        app.get_as("/api/v1/account", &family.token).await.status(),
        401,
        "and the access token expired long ago"
    );
}

#[tokio::test]
async fn too_many_password_hashes_at_once_answer_503_not_an_exhausted_server() {
    let app = spawn_app_with(|s| {
        s.password_hashes_in_flight = Some(1);
        s.password_hash_wait_ms = 0;
    })
    .await;
    let logins = (0..12).map(|_| app.login("personne@exemple.fr", "un mot de passe faux", false));

    let responses = futures::future::join_all(logins).await;

    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert!(
        statuses.iter().all(|s| [401, 429, 503].contains(s)),
        "{statuses:?}"
    );
    assert!(statuses.contains(&503), "{statuses:?}");
    let busy = responses
        .into_iter()
        .find(|r| r.status() == 503)
        .expect("a 503");
    assert!(busy.headers().contains_key("retry-after"));
    assert_eq!(problem(busy).await.code.as_str(), "service_unavailable");
}
