//! Typed helpers to act as a family or a staff member through the public API.

use chrono::Duration;
use serde_json::{Value, json};

use portail_domain::api::SessionResponse;

use crate::client::Answer as _;
use crate::helpers::{PASSWORD, TestApp};

impl TestApp {
    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("the request reaches the server")
    }

    pub async fn get_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("the request reaches the server")
    }

    pub async fn post_as(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("the request reaches the server")
    }

    /// A fresh client (its own cookie jar), like another browser.
    pub fn other_browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("client")
    }

    pub async fn register(&self, form: &Value) -> reqwest::Response {
        self.post_json("/api/v1/auth/register", form).await
    }

    /// Follows the link of the last confirmation e-mail to `email`.
    pub async fn confirm_email(&self, email: &str) -> reqwest::Response {
        let token = self
            .token_from_email(email, "Confirmez votre adresse")
            .await;
        self.post_json("/api/v1/auth/verify-email", &json!({ "token": token }))
            .await
    }

    /// The `#jeton=` of the latest e-mail to `to` whose subject starts with `subject`.
    pub async fn token_from_email(&self, to: &str, subject: &str) -> String {
        for _ in 0..300 {
            let found = self
                .smtp
                .messages()
                .into_iter()
                .rev()
                .find(|m| m.to.contains(to) && m.subject.starts_with(subject));
            if let Some(message) = found {
                return token_in(&message.text);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no e-mail « {subject} » to {to}");
    }

    pub async fn login(&self, email: &str, password: &str, remember: bool) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": password, "remember_me": remember }),
        )
        .await
    }

    pub fn advance_clock(&self, by: Duration) {
        self.state.ctx.clock.advance(by);
    }

    /// An administrator created with `portail create-staff`, logged in.
    pub async fn admin(&self) -> TestStaff {
        self.staff_with_role("admin").await
    }

    pub async fn agent(&self) -> TestStaff {
        self.staff_with_role("agent").await
    }

    /// Logs a staff member in again (their token expired with the clock).
    pub async fn staff_again(&self, staff: &TestStaff) -> TestStaff {
        let response = self
            .post_json(
                "/api/v1/staff/auth/login",
                &json!({ "email": staff.email, "password": staff.password }),
            )
            .await;
        let body: SessionResponse = response.read(200).await;
        TestStaff {
            email: staff.email.clone(),
            password: staff.password.clone(),
            token: body.access_token,
        }
    }

    async fn staff_with_role(&self, role: &str) -> TestStaff {
        let email = format!("{role}.{}@avermes.example", uuid::Uuid::new_v4().simple());
        let output = self.portail(&["create-staff", "--email", &email, "--role", role]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let password = stdout
            .split("mot de passe : ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .expect("a printed password")
            .to_owned();
        let response = self
            .post_json(
                "/api/v1/staff/auth/login",
                &json!({ "email": email, "password": password }),
            )
            .await;
        let body: SessionResponse = response.read(200).await;
        TestStaff {
            email,
            password,
            token: body.access_token,
        }
    }
}

/// The token after `#jeton=` in an e-mail's text.
pub fn token_in(text: &str) -> String {
    text.split_whitespace()
        .find_map(|word| {
            word.split_once("#jeton=")
                .map(|(_, token)| token.to_owned())
        })
        .unwrap_or_else(|| panic!("no link with a token in:\n{text}"))
}

/// A complete registration form; `email` makes it unique.
pub fn registration(email: &str) -> Value {
    json!({
        "email": email,
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
        "address_line1": "12 rue des Écoles",
        "postal_code": "03000",
        "city": "Avermes",
        "mobile_phone": "06 12 34 56 78",
        "civility": "madame",
        "last_name": "Durand",
        "first_name": "Marie",
        "birth_date": "1988-04-02",
        "profession": "Infirmière",
        "accept_terms": true
    })
}

pub fn unique_email() -> String {
    format!("parent.{}@exemple.fr", uuid::Uuid::new_v4().simple())
}

/// A registered, confirmed and logged-in family.
pub struct TestFamily {
    pub email: String,
    pub password: String,
    pub token: String,
}

impl TestFamily {
    pub async fn confirmed(app: &TestApp) -> Self {
        let email = unique_email();
        assert_eq!(app.register(&registration(&email)).await.status(), 202);
        assert_eq!(app.confirm_email(&email).await.status(), 200);
        let response = app.login(&email, PASSWORD, false).await;
        let body: SessionResponse = response.read(200).await;
        Self {
            email,
            password: PASSWORD.to_owned(),
            token: body.access_token,
        }
    }
}

pub struct TestStaff {
    pub email: String,
    pub password: String,
    pub token: String,
}
