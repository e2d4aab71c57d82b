//! The `portail` binary, run as an operator would.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::helpers::{TestSmtp, free_port, spawn_app};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn seed_demo_prints_the_admin_password_once_and_is_idempotent() {
    let app = spawn_app().await;

    let first = app.seed_demo();
    let second = app.seed_demo();

    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("admin@avermes.example / mot de passe : "));
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        !stdout(&second).contains("mot de passe :"),
        "{}",
        stdout(&second)
    );
    assert!(stdout(&second).contains("existait déjà"));
}

#[tokio::test]
async fn create_staff_refuses_a_duplicate_and_a_bad_role() {
    let app = spawn_app().await;

    let created = app.portail(&[
        "create-staff",
        "--email",
        "Agent@Avermes.example",
        "--role",
        "agent",
    ]);
    let again = app.portail(&[
        "create-staff",
        "--email",
        "agent@avermes.example",
        "--role",
        "admin",
    ]);
    let bad_role = app.portail(&[
        "create-staff",
        "--email",
        "x@avermes.example",
        "--role",
        "root",
    ]);

    assert!(created.status.success(), "{}", stderr(&created));
    assert!(stdout(&created).contains("agent@avermes.example / mot de passe : "));
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("existe") || stderr(&again).contains("déjà"),
        "{}",
        stderr(&again)
    );
    assert!(!bad_role.status.success());
    assert!(stderr(&bad_role).contains("admin"), "{}", stderr(&bad_role));
}

/// A bad database URL stops `serve` with one sentence, not a panic.
#[test]
fn serve_with_a_malformed_or_unreachable_database_says_why_in_one_sentence() {
    let unreachable = format!(
        "postgres://portail:secret@127.0.0.1:{}/portail",
        free_port()
    );
    for url in [
        "mysql://root@localhost/portail",
        "sqlite:///nonexistent-dir/x/y.db",
        unreachable.as_str(),
    ] {
        let data = tempfile::tempdir().expect("tempdir");
        let output = Command::new(env!("CARGO_BIN_EXE_portail"))
            .arg("serve")
            .env("PORTAIL_DATABASE_URL", url)
            .env("PORTAIL_DATA_DIR", data.path())
            .env("PORTAIL_BIND", "127.0.0.1:0")
            .output()
            .expect("runs");
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{url}: {err}");
        let last = err.lines().last().unwrap_or_default();
        assert!(last.starts_with("Erreur : "), "{url}: {err}");
        assert!(!err.contains("panicked"), "{url}: {err}");
        assert!(!err.contains("secret"), "the password leaked: {err}");
    }
}

#[tokio::test]
async fn serve_stops_cleanly_on_sigterm() {
    let data = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_portail"))
        .arg("serve")
        .env("PORTAIL_DATA_DIR", data.path())
        .env("PORTAIL_BIND", format!("127.0.0.1:{port}"))
        .env("PORTAIL_STATIC_DIR", data.path())
        .spawn()
        .expect("starts");
    let started = Instant::now();
    let health = format!("http://127.0.0.1:{port}/api/v1/health");
    while !reqwest::get(&health)
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "serve did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // actix-server answers a few milliseconds before it installs its signal handlers.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());

    let stopped = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(15),
            "serve ignored SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn a_test_email_goes_through_a_real_smtp_server() {
    let app = spawn_app().await;
    let smtp = TestSmtp::start().await;

    let output = Command::new(env!("CARGO_BIN_EXE_portail"))
        .args(["send-test-email", "--to", "marie.durand@exemple.fr"])
        .env("PORTAIL_DATABASE_URL", &app.database_url)
        .env("PORTAIL_DATA_DIR", app.data_dir.path())
        .env("PORTAIL_SMTP_URL", smtp.url())
        .output()
        .expect("runs");

    assert!(output.status.success(), "{}", stderr(&output));
    let email = smtp.wait_for("marie.durand@exemple.fr").await;
    assert_eq!(email.subject, "Portail Famille : e-mail de test");
    assert!(
        email.text.contains("sait envoyer des messages"),
        "{}",
        email.text
    );
    assert!(email.html.is_some());
}

#[tokio::test]
async fn without_smtp_an_email_is_written_to_the_outbox_folder() {
    let app = spawn_app().await;

    let output = app.portail(&["send-test-email", "--to", "paul@exemple.fr"]);

    assert!(output.status.success(), "{}", stderr(&output));
    let outbox = app.data_dir.path().join("outbox");
    let files: Vec<_> = std::fs::read_dir(&outbox).expect("outbox exists").collect();
    assert_eq!(files.len(), 1);
    let path = files[0].as_ref().expect("entry").path();
    assert_eq!(path.extension().and_then(|e| e.to_str()), Some("eml"));
    let raw = std::fs::read_to_string(path).expect("readable");
    assert!(raw.contains("To: paul@exemple.fr"), "{raw}");
}
