use chrono::Duration;
use serde_json::{Value, json};

use crate::accounts::{registration, unique_email};
use crate::client::Answer as _;
use crate::helpers::{PASSWORD, problem, spawn_app};

#[tokio::test]
async fn a_valid_registration_is_accepted_and_a_confirmation_email_arrives() {
    let app = spawn_app().await;
    let email = unique_email();

    let response = app.register(&registration(&email)).await;

    assert_eq!(response.status(), 202);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let mail = app.smtp.wait_for(&email).await;
    assert_eq!(
        mail.subject,
        "Confirmez votre adresse e-mail — Portail Famille"
    );
    assert!(mail.text.starts_with("Bonjour Marie,"), "{}", mail.text);
    assert!(mail.text.contains("valable 48 heures"));
    assert!(
        mail.text.contains("/confirmer-email#jeton="),
        "the token travels in the fragment, never to a server log"
    );
    assert!(
        mail.html
            .expect("html part")
            .contains("Confirmer mon adresse e-mail")
    );
}

#[tokio::test]
async fn every_invalid_field_gets_its_own_french_error() {
    let app = spawn_app().await;
    let mut form = registration("pas-une-adresse");
    form["postal_code"] = json!("3000");
    form["mobile_phone"] = json!("");
    form["birth_date"] = json!("2015-01-01");
    form["accept_terms"] = json!(false);
    form["password_confirmation"] = json!("autre chose");

    let response = app.register(&form).await;

    let body = response.problem(422).await;
    assert_eq!(body.code.as_str(), "validation_failed");
    let errors: Vec<(String, String)> = body
        .errors
        .iter()
        .map(|e| (e.field.as_str().to_owned(), e.message.as_str().to_owned()))
        .collect();
    let message = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    };
    assert!(message("email").contains("n'est pas valide"), "{errors:?}");
    assert!(message("postal_code").contains("5 chiffres"));
    assert!(message("mobile_phone").contains("au moins un numéro"));
    assert!(message("birth_date").contains("16 ans"));
    assert!(message("accept_terms").contains("Accepter"));
    assert!(message("password_confirmation").contains("identiques"));
    assert!(app.smtp.messages().is_empty());
}

#[tokio::test]
async fn passwords_are_checked_for_length_and_guessability_exactly_as_typed() {
    let app = spawn_app().await;
    let cases = [
        ("court", "too_short"),
        ("motdepasse123", "too_weak"),
        ("azertyuiop123", "too_weak"),
        ("Durand Marie 1988", "too_weak"),
    ];
    for (password, code) in cases {
        let mut form = registration(&unique_email());
        form["password"] = json!(password);
        form["password_confirmation"] = json!(password);
        let body = problem(app.register(&form).await).await;
        let error = body.errors.iter().find(|e| e.field == "password").cloned();
        assert_eq!(
            error.map(|e| e.code.clone()),
            Some(code.to_owned()),
            "{password}"
        );
    }

    let too_long = "a".repeat(129);
    let mut form = registration(&unique_email());
    form["password"] = json!(too_long);
    form["password_confirmation"] = json!(too_long);
    assert_eq!(
        problem(app.register(&form).await).await.errors[0].code,
        "too_long"
    );

    // Spaces around a password are part of it.
    let email = unique_email();
    let spaced = format!("  {PASSWORD}  ");
    let mut form = registration(&email);
    form["password"] = json!(spaced);
    form["password_confirmation"] = json!(spaced);
    assert_eq!(app.register(&form).await.status(), 202);
    assert_eq!(app.confirm_email(&email).await.status(), 200);
    assert_eq!(app.login(&email, PASSWORD, false).await.status(), 401);
    assert_eq!(app.login(&email, &spaced, false).await.status(), 200);
}

#[tokio::test]
async fn registering_an_existing_address_answers_the_same_and_tells_its_owner() {
    let app = spawn_app().await;
    let email = unique_email();
    let first = app.register(&registration(&email)).await;
    let first_status = first.status();
    let first_body: Value = first.json().await.expect("json");
    app.smtp.wait_for(&email).await;

    let mut again = registration(&email.to_uppercase());
    again["password"] = json!("une autre phrase tout à fait solide");
    again["password_confirmation"] = again["password"].clone();
    let second = app.register(&again).await;

    assert_eq!(second.status(), first_status);
    let second_body: Value = second.json().await.expect("json");
    assert_eq!(second_body, first_body);
    let mut notice = None;
    for _ in 0..300 {
        notice = app
            .smtp
            .messages()
            .into_iter()
            .find(|m| m.subject.starts_with("Votre compte existe déjà"));
        if notice.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let notice = notice.expect("the owner is told");
    assert!(notice.to.contains(&email));
    assert!(notice.text.contains("/mot-de-passe-oublie"));
    // The first account is untouched.
    assert_eq!(app.confirm_email(&email).await.status(), 200);
    assert_eq!(app.login(&email, PASSWORD, false).await.status(), 200);
}

#[tokio::test]
async fn a_confirmation_link_works_once_and_not_after_48_hours() {
    let app = spawn_app().await;
    let used = unique_email();
    app.register(&registration(&used)).await;
    let token = app.token_from_email(&used, "Confirmez").await;

    let first = app
        .post_json("/api/v1/auth/verify-email", &json!({ "token": token }))
        .await;
    let second = app
        .post_json("/api/v1/auth/verify-email", &json!({ "token": token }))
        .await;

    assert_eq!(first.status(), 200);
    assert_eq!(second.problem(404).await.code.as_str(), "invalid_token");

    let late = unique_email();
    app.register(&registration(&late)).await;
    let late_token = app.token_from_email(&late, "Confirmez").await;
    app.advance_clock(Duration::hours(48) + Duration::minutes(1));
    let expired = app
        .post_json("/api/v1/auth/verify-email", &json!({ "token": late_token }))
        .await;
    assert_eq!(expired.problem(404).await.code.as_str(), "invalid_token");

    let garbage = app
        .post_json(
            "/api/v1/auth/verify-email",
            &json!({ "token": "n'importe quoi" }),
        )
        .await;
    assert_eq!(garbage.status(), 404);
}

#[tokio::test]
async fn logging_in_before_confirming_says_so_and_a_new_link_can_be_sent_once_a_minute() {
    let app = spawn_app().await;
    let email = unique_email();
    app.register(&registration(&email)).await;
    app.smtp.wait_for(&email).await;

    let login = app.login(&email, PASSWORD, false).await;
    assert_eq!(login.problem(403).await.code.as_str(), "email_not_verified");

    // Too soon after the first e-mail: same answer, no e-mail.
    let resend = |address: String| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/auth/verify-email/resend",
                &json!({ "email": address }),
            )
            .await
        }
    };
    let too_soon = resend(email.clone()).await;
    let too_soon_body: Value = too_soon.read(202).await;
    // Nothing was written for a second e-mail, and once the outbox is empty only one arrived.
    assert_eq!(app.outbox_count_to(&email).await, 1);
    app.outbox_drained().await;
    assert_eq!(app.received_by(&email), 1);

    app.advance_clock(Duration::seconds(61));
    let later = resend(email.clone()).await;
    assert_eq!(later.status(), 202);
    let unknown = resend(unique_email()).await;
    assert_eq!(unknown.status(), 202);
    assert_eq!(unknown.json::<Value>().await.expect("json"), too_soon_body);
    assert_eq!(app.outbox_count_to(&email).await, 2);
    app.outbox_drained().await;
    assert_eq!(app.received_by(&email), 2);

    // The newest link confirms; the first one no longer does.
    assert_eq!(app.confirm_email(&email).await.status(), 200);
    assert_eq!(app.login(&email, PASSWORD, false).await.status(), 200);
}
