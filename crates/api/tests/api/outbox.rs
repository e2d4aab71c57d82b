//! E-mails go through the outbox: nothing is lost when the SMTP server is down.

use crate::accounts::{registration, unique_email};
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_mail_written_while_smtp_is_down_leaves_when_it_is_back() {
    let mut app = spawn_app().await;
    app.smtp.stop();
    let email = unique_email();

    let response = app.register(&registration(&email)).await;
    assert_eq!(
        response.status(),
        202,
        "registering does not wait for the mail server"
    );

    // Let the worker fail at least once.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(app.smtp.messages().is_empty());

    app.smtp.restart().await;
    let mail = app.smtp.wait_for(&email).await;
    assert!(mail.subject.starts_with("Confirmez votre adresse"));
    assert_eq!(app.confirm_email(&email).await.status(), 200);
}
