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

    // The worker has tried and failed (the row says so), and nothing arrived.
    let row = failed_attempt(&app, &email).await;
    assert!(row.sent_at.is_none(), "not sent while the server is down");
    assert!(row.last_error.is_some(), "the failure is recorded");
    assert!(app.smtp.messages().is_empty());

    app.smtp.restart().await;
    let mail = app.smtp.wait_for(&email).await;
    assert!(mail.subject.starts_with("Confirmez votre adresse"));
    assert_eq!(app.confirm_email(&email).await.status(), 200);
}

/// Waits (up to 15 s) until the outbox row to `to` records a failed attempt, and returns it.
async fn failed_attempt(
    app: &crate::helpers::TestApp,
    to: &str,
) -> portail_entity::outbox_email::Model {
    use portail_entity::outbox_email;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for _ in 0..300 {
        let row = outbox_email::Entity::find()
            .filter(outbox_email::Column::ToAddress.eq(to))
            .one(&app.state.ctx.db)
            .await
            .expect("the outbox");
        if let Some(row) = row.filter(|r| r.attempts >= 1) {
            return row;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the outbox worker never tried to send the e-mail to {to}");
}
