//! What the running binary writes in its log: never a secret, except the demo's own link when
//! no SMTP server is configured.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::accounts::{registration, token_in, unique_email};
use crate::helpers::{PASSWORD, TestSmtp, free_port};

struct Served {
    child: Child,
    base: String,
    log: std::path::PathBuf,
    _data: tempfile::TempDir,
}

impl Served {
    async fn start(smtp: Option<&TestSmtp>) -> Self {
        let data = tempfile::tempdir().expect("tempdir");
        let port = free_port();
        let log = data.path().join("serve.log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_portail"));
        command
            .arg("serve")
            .env("PORTAIL_DATA_DIR", data.path())
            .env("PORTAIL_BIND", format!("127.0.0.1:{port}"))
            .env("PORTAIL_STATIC_DIR", data.path())
            .env("RUST_LOG", "debug")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"));
        if let Some(smtp) = smtp {
            command.env("PORTAIL_SMTP_URL", smtp.url());
        }
        let child = command.spawn().expect("starts");
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while !reqwest::get(format!("{base}/api/v1/health"))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "serve did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self {
            child,
            base,
            log,
            _data: data,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn data(&self) -> &Path {
        self._data.path()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

#[tokio::test]
async fn no_password_or_token_ever_reaches_the_log() {
    let smtp = TestSmtp::start().await;
    let served = Served::start(Some(&smtp)).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let post = |path: &str, body: Value| {
        client
            .post(format!("{}{path}", served.base))
            .json(&body)
            .send()
    };
    let email = unique_email();

    post("/api/v1/auth/register", registration(&email))
        .await
        .expect("sent");
    let confirmation = token_in(&smtp.wait_for(&email).await.text);
    post(
        "/api/v1/auth/verify-email",
        json!({ "token": confirmation }),
    )
    .await
    .expect("sent");
    let login = post(
        "/api/v1/auth/login",
        json!({ "email": email, "password": PASSWORD, "remember_me": true }),
    )
    .await
    .expect("sent");
    let cookie = login
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .and_then(|v| v.split_once('='))
        .map(|(_, v)| v.to_owned())
        .expect("cookie");
    let access: Value = login.json().await.expect("json");
    let access = access["access_token"].as_str().expect("token").to_owned();
    client
        .get(format!("{}/api/v1/account", served.base))
        .bearer_auth(&access)
        .send()
        .await
        .expect("sent");
    client
        .post(format!("{}/api/v1/auth/refresh", served.base))
        .send()
        .await
        .expect("sent");
    post(
        "/api/v1/auth/login",
        json!({ "email": email, "password": "un faux mot de passe" }),
    )
    .await
    .expect("sent");
    post(
        "/api/v1/auth/password-reset/request",
        json!({ "email": email }),
    )
    .await
    .expect("sent");
    let mut reset_token = None;
    for _ in 0..300 {
        if let Some(m) = smtp
            .messages()
            .into_iter()
            .find(|m| m.subject.starts_with("Réinitialisation"))
        {
            reset_token = Some(token_in(&m.text));
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let reset_token = reset_token.expect("a reset e-mail");
    let new_password = "une nouvelle phrase secrète";
    post("/api/v1/auth/password-reset", json!({ "token": reset_token, "new_password": new_password, "new_password_confirmation": new_password }))
        .await
        .expect("sent");
    // The reset's own line is the last this journey writes: once it is in, the log is whole.
    let started = Instant::now();
    while !served.log().contains("password set from an e-mailed link") {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the reset never reached the log:\n{}",
            served.log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let log = served.log();
    assert!(
        log.contains("family logged in"),
        "the log is being captured:\n{log}"
    );
    for (name, secret) in [
        ("password", PASSWORD),
        ("wrong password", "un faux mot de passe"),
        ("new password", new_password),
        ("confirmation token", confirmation.as_str()),
        ("reset token", reset_token.as_str()),
        ("refresh cookie", cookie.as_str()),
        ("access token", access.as_str()),
    ] {
        assert!(!log.contains(secret), "the {name} appears in the log");
    }
}

#[tokio::test]
async fn without_smtp_the_demo_prints_the_confirmation_link_and_keeps_the_eml() {
    let served = Served::start(None).await;
    let email = unique_email();

    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/register", served.base))
        .json(&registration(&email))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 202);

    let started = Instant::now();
    while !served.log().contains("/confirmer-email#jeton=") {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no link in the log:\n{}",
            served.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let outbox: Vec<_> = std::fs::read_dir(served.data().join("outbox"))
        .expect("outbox")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(outbox.len(), 1);
    let eml = std::fs::read_to_string(outbox[0].path()).expect("eml");
    assert!(eml.contains(&format!("To: {email}")), "{eml}");
}
