use chrono::Duration;
use serde_json::{Value, json};

use crate::accounts::{TestFamily, unique_email};
use crate::client::Answer as _;
use crate::helpers::{PASSWORD, problem, spawn_app};

const NEW_PASSWORD: &str = "radis orage lune gâteau";

#[tokio::test]
async fn changing_the_password_asks_the_current_one_and_ends_every_other_session() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let elsewhere = app.other_browser();
    let other_login = elsewhere
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "email": family.email, "password": PASSWORD }))
        .send()
        .await
        .expect("sent");
    let other_token = other_login.json::<Value>().await.expect("json")["access_token"]
        .as_str()
        .expect("t")
        .to_owned();

    let wrong = app
        .post_as("/api/v1/account/password", &family.token, &json!({ "current_password": "pas le bon", "new_password": NEW_PASSWORD, "new_password_confirmation": NEW_PASSWORD }))
        .await;
    assert_eq!(wrong.problem(422).await.errors[0].field, "current_password");

    let weak = app
        .post_as("/api/v1/account/password", &family.token, &json!({ "current_password": PASSWORD, "new_password": "motdepasse123", "new_password_confirmation": "motdepasse123" }))
        .await;
    assert_eq!(problem(weak).await.errors[0].code, "too_weak");

    let changed = app
        .post_as("/api/v1/account/password", &family.token, &json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_confirmation": NEW_PASSWORD }))
        .await;
    assert_eq!(changed.status(), 200);
    let new_token = changed.json::<Value>().await.expect("json")["access_token"]
        .as_str()
        .expect("t")
        .to_owned();

    assert_eq!(
        app.get_as("/api/v1/account", &family.token).await.status(),
        401,
        "the old token"
    );
    assert_eq!(
        app.get_as("/api/v1/account", &other_token).await.status(),
        401,
        "the other browser"
    );
    assert_eq!(
        elsewhere
            .post(app.url("/api/v1/auth/refresh"))
            .send()
            .await
            .expect("sent")
            .status(),
        401
    );
    assert_eq!(
        app.get_as("/api/v1/account", &new_token).await.status(),
        200
    );
    assert_eq!(
        app.client
            .post(app.url("/api/v1/auth/refresh"))
            .send()
            .await
            .expect("sent")
            .status(),
        200,
        "the caller's new cookie"
    );
    assert_eq!(
        app.login(&family.email, PASSWORD, false).await.status(),
        401
    );
    assert_eq!(
        app.login(&family.email, NEW_PASSWORD, false).await.status(),
        200
    );
    let notice = app
        .token_from_email_subject(&family.email, "Votre mot de passe a été modifié")
        .await;
    assert!(notice.contains("/mot-de-passe-oublie"));
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_a_single_use_link_valid_one_hour() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;

    let known = app
        .post_json(
            "/api/v1/auth/password-reset/request",
            &json!({ "email": family.email }),
        )
        .await;
    let unknown = app
        .post_json(
            "/api/v1/auth/password-reset/request",
            &json!({ "email": unique_email() }),
        )
        .await;
    assert_eq!(known.status(), 202);
    assert_eq!(unknown.status(), 202);
    assert_eq!(
        known.json::<Value>().await.expect("json"),
        unknown.json::<Value>().await.expect("json")
    );

    let token = app
        .token_from_email(&family.email, "Réinitialisation")
        .await;
    let body = |password: &str| json!({ "token": token, "new_password": password, "new_password_confirmation": password });

    // A typo does not burn the link.
    let weak = app
        .post_json("/api/v1/auth/password-reset", &body("court"))
        .await;
    assert_eq!(weak.status(), 422);
    let reset = app
        .post_json("/api/v1/auth/password-reset", &body(NEW_PASSWORD))
        .await;
    assert_eq!(reset.status(), 200);
    let again = app
        .post_json(
            "/api/v1/auth/password-reset",
            &body("encore une autre phrase solide"),
        )
        .await;
    assert_eq!(again.problem(404).await.code.as_str(), "invalid_token");

    assert_eq!(
        app.get_as("/api/v1/account", &family.token).await.status(),
        401,
        "a reset ends every session"
    );
    assert_eq!(
        app.login(&family.email, PASSWORD, false).await.status(),
        401
    );
    assert_eq!(
        app.login(&family.email, NEW_PASSWORD, false).await.status(),
        200
    );

    // A link older than an hour is refused.
    app.advance_clock(Duration::seconds(61));
    app.post_json(
        "/api/v1/auth/password-reset/request",
        &json!({ "email": family.email }),
    )
    .await;
    let late = app
        .token_from_email_after(&family.email, "Réinitialisation", &token)
        .await;
    app.advance_clock(Duration::minutes(61));
    let expired = app
        .post_json("/api/v1/auth/password-reset", &json!({ "token": late, "new_password": PASSWORD, "new_password_confirmation": PASSWORD }))
        .await;
    assert_eq!(expired.status(), 404);
}

#[tokio::test]
async fn a_reset_link_also_confirms_an_unconfirmed_address() {
    let app = spawn_app().await;
    let email = unique_email();
    app.register(&crate::accounts::registration(&email)).await;
    app.smtp.wait_for(&email).await;

    app.post_json(
        "/api/v1/auth/password-reset/request",
        &json!({ "email": email }),
    )
    .await;
    let token = app.token_from_email(&email, "Réinitialisation").await;
    let reset = app
        .post_json("/api/v1/auth/password-reset", &json!({ "token": token, "new_password": NEW_PASSWORD, "new_password_confirmation": NEW_PASSWORD }))
        .await;

    assert_eq!(reset.status(), 200);
    assert_eq!(app.login(&email, NEW_PASSWORD, false).await.status(), 200);
}

impl crate::helpers::TestApp {
    /// The text of the latest e-mail to `to` with this subject.
    pub async fn token_from_email_subject(&self, to: &str, subject: &str) -> String {
        for _ in 0..300 {
            if let Some(m) = self
                .smtp
                .messages()
                .into_iter()
                .rev()
                .find(|m| m.to.contains(to) && m.subject.starts_with(subject))
            {
                return m.text;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no e-mail « {subject} » to {to}");
    }

    /// A token from an e-mail newer than the one that carried `previous`.
    pub async fn token_from_email_after(&self, to: &str, subject: &str, previous: &str) -> String {
        for _ in 0..300 {
            let token = self.token_from_email(to, subject).await;
            if token != previous {
                return token;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no new e-mail « {subject} » to {to}");
    }
}

#[tokio::test]
async fn the_first_step_of_registration_asks_the_server_whether_the_password_is_too_easy() {
    let app = crate::helpers::spawn_app().await;
    let check = |password: &str, email: &str| {
        let body = serde_json::json!({ "password": password, "email": email });
        let app = &app;
        async move { app.post_json("/api/v1/auth/password-check", &body).await }
    };
    // A long but guessable password, and one made of the address: refused in words.
    for (password, email) in [
        ("azertyuiop123", "marie.durand@exemple.fr"),
        ("marie.durand2026", "marie.durand@exemple.fr"),
    ] {
        let refused = check(password, email).await.problem(422).await;
        assert_eq!(refused.errors[0].field, "password", "{password}");
        assert_eq!(refused.errors[0].code, "too_weak", "{password}");
        assert!(
            refused.errors[0].message.contains("trop facile"),
            "{refused:?}"
        );
    }
    // Too short: the same error as the form's.
    let short = check("court", "").await.problem(422).await;
    assert_eq!(short.errors[0].field, "password");
    // An address longer than any address can be is refused, not ignored.
    let long = check(crate::helpers::PASSWORD, &"a".repeat(300))
        .await
        .problem(422)
        .await;
    assert_eq!(long.errors[0].field, "email");
    // A passphrase passes, and nothing was created.
    let fine = check(crate::helpers::PASSWORD, "marie.durand@exemple.fr").await;
    assert_eq!(fine.status(), 204);
    assert!(app.smtp.messages().is_empty());
}
