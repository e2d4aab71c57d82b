//! Messages with the services through the API (issue 24, point 2), on whichever database the
//! tests run against: a family writes to the RPE; the RPE's agent (and only the services'
//! staff who hold it) reads the inbox, answers — the family is e-mailed through a real SMTP
//! server that a message waits, not what it says —, closes; a file is checked by its content;
//! another family and another service's agent get 404 on every id; an agent at the counter
//! writes for the family and the message says so; a service may refuse messages; the
//! conversation is in the family's data export, and the retention deletes it with its file.

use chrono::Duration;
use serde_json::{Value, json};

use portail_domain::api::{ConversationList, ConversationResponse, InboxCounts};

use crate::accounts::TestFamily;
use crate::client::Answer as _;
use crate::family_helpers::png;
use crate::helpers::{TestApp, spawn_app};

async fn staff_id(app: &TestApp, token: &str) -> String {
    let me: Value = app.get_ok("/api/v1/staff/me", token).await;
    me["id"].as_str().expect("id").to_owned()
}

async fn give(app: &TestApp, admin: &str, agent: &str, services: Value) {
    let id = staff_id(app, agent).await;
    assert_eq!(
        app.put_as(
            &format!("/api/v1/staff/accounts/{id}/services"),
            admin,
            &json!({ "services": services }),
        )
        .await
        .status(),
        200
    );
}

async fn attach(
    app: &TestApp,
    path: &str,
    token: &str,
    filename: &str,
    caption: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .query(&[("filename", filename), ("body", caption)])
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn a_family_writes_to_a_service_whose_staff_answer_and_nobody_else_reads_it() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let rpe = app.agent().await;
    let canteen = app.agent().await;
    give(&app, &admin.token, &rpe.token, json!(["rpe"])).await;
    give(&app, &admin.token, &canteen.token, json!(["restauration"])).await;
    let family = TestFamily::confirmed(&app).await;
    let stranger = TestFamily::confirmed(&app).await;

    // Bad input: French errors by field, nothing written.
    let problem = app
        .post_as(
            "/api/v1/conversations",
            &family.token,
            &json!({"service": "rpe", "subject": " ", "body": ""}),
        )
        .await
        .problem(422)
        .await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["subject", "body"]);

    let secret = "Mon fils fait de l'asthme, l'atelier est-il en intérieur ?";
    let started: ConversationResponse = app
        .post_ok(
            "/api/v1/conversations",
            &family.token,
            &json!({"service": "rpe", "subject": "Atelier d'éveil", "body": secret}),
            201,
        )
        .await;
    let id = started.conversation.id;
    assert!(!started.conversation.unread);
    assert_eq!(started.messages.len(), 1);
    assert_eq!(started.messages[0].author, "Vous");

    // The RPE's inbox has it, unread; the canteen's agent sees nothing of it.
    let counts: InboxCounts = app
        .get_ok("/api/v1/staff/conversations/counts", &rpe.token)
        .await;
    assert_eq!(counts.items.len(), 1, "the RPE's inbox only");
    assert_eq!(
        (counts.items[0].open, counts.items[0].unread),
        (1, 1),
        "{counts:?}"
    );
    let elsewhere: InboxCounts = app
        .get_ok("/api/v1/staff/conversations/counts", &canteen.token)
        .await;
    assert_eq!(elsewhere.items.len(), 1);
    assert_eq!((elsewhere.items[0].open, elsewhere.items[0].unread), (0, 0));
    let list: ConversationList = app
        .get_ok("/api/v1/staff/conversations", &canteen.token)
        .await;
    assert_eq!(list.total, 0);
    let conversation = format!("/api/v1/staff/conversations/{id}");
    assert_eq!(
        app.get_as(&conversation, &canteen.token).await.status(),
        404
    );
    assert_eq!(
        app.post_as(
            &format!("{conversation}/messages"),
            &canteen.token,
            &json!({"body": "Pirate"})
        )
        .await
        .status(),
        404
    );
    assert_eq!(
        app.put_as(
            &format!("{conversation}/status"),
            &canteen.token,
            &json!({"status": "closed"})
        )
        .await
        .status(),
        404
    );
    // Another family: 404 on the id, nothing in its list.
    assert_eq!(
        app.get_as(&format!("/api/v1/conversations/{id}"), &stranger.token)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.post_as(
            &format!("/api/v1/conversations/{id}/messages"),
            &stranger.token,
            &json!({"body": "Pirate"})
        )
        .await
        .status(),
        404
    );
    let theirs: ConversationList = app.get_ok("/api/v1/conversations", &stranger.token).await;
    assert_eq!(theirs.total, 0);

    // The RPE reads (now read) and answers: the family is told a message waits, not what.
    let read: ConversationResponse = app.get_ok(&conversation, &rpe.token).await;
    assert!(read.conversation.family_name.is_some());
    assert_eq!(read.messages[0].body, secret);
    let counts: InboxCounts = app
        .get_ok("/api/v1/staff/conversations/counts", &rpe.token)
        .await;
    assert_eq!(counts.items[0].unread, 0);
    let answer = "Oui, en intérieur, dans la salle du RPE.";
    let answered: ConversationResponse = app
        .post_ok(
            &format!("{conversation}/messages"),
            &rpe.token,
            &json!({ "body": answer }),
            201,
        )
        .await;
    assert_eq!(answered.messages.len(), 2);
    app.outbox_drained().await;
    let mail = app
        .smtp
        .messages()
        .into_iter()
        .find(|m| m.to.contains(&family.email) && m.subject.contains("Un message vous attend"))
        .expect("the family is told a message waits");
    assert!(
        !mail.text.contains(answer) && !mail.text.contains(secret),
        "the e-mail never carries the message: {}",
        mail.text
    );
    assert!(mail.text.contains("/mes-messages"), "{}", mail.text);

    // « À faire » on the dashboard links to the answer while it is unread.
    let dossier: Value = app.get_ok("/api/v1/dossier", &family.token).await;
    assert!(
        dossier["to_do"]
            .as_array()
            .expect("to_do")
            .iter()
            .any(|i| i["kind"] == "message"
                && i["href"] == format!("/mes-messages/{id}").as_str()
                && i["text"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("vous a répondu")),
        "{dossier}"
    );
    // The family sees it unread, reads it (then read), the author is the service.
    let mine: ConversationList = app
        .get_ok("/api/v1/conversations?unread=true", &family.token)
        .await;
    assert_eq!(mine.total, 1);
    let opened: ConversationResponse = app
        .get_ok(&format!("/api/v1/conversations/{id}"), &family.token)
        .await;
    assert_eq!(opened.messages[1].body, answer);
    assert!(!opened.messages[1].from_family);
    assert_eq!(opened.messages[1].author, opened.conversation.service_name);
    let mine: ConversationList = app
        .get_ok("/api/v1/conversations?unread=true", &family.token)
        .await;
    assert_eq!(mine.total, 0);
    let to_do: Value = app.get_ok("/api/v1/to-do", &family.token).await;
    assert!(
        to_do["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["kind"] != "message"),
        "read, it leaves « À faire »: {to_do}"
    );

    // A file: checked by its content (a text named .pdf is refused, nothing stored).
    let files = app.state.ctx.documents.count();
    let refused = attach(
        &app,
        &format!("/api/v1/conversations/{id}/attachments"),
        &family.token,
        "ordonnance.pdf",
        "",
        b"pas un PDF".to_vec(),
    )
    .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(app.state.ctx.documents.count(), files);
    let stolen = attach(
        &app,
        &format!("/api/v1/conversations/{id}/attachments"),
        &stranger.token,
        "photo.png",
        "",
        png(),
    )
    .await;
    assert_eq!(stolen.status(), 404);
    assert_eq!(app.state.ctx.documents.count(), files);
    let with_file: ConversationResponse = attach(
        &app,
        &format!("/api/v1/conversations/{id}/attachments"),
        &family.token,
        "ordonnance.png",
        "L'ordonnance du médecin.",
        png(),
    )
    .await
    .read(201)
    .await;
    let last = with_file.messages.last().expect("the file's message");
    let info = last.attachment.as_ref().expect("an attachment");
    assert_eq!(info.content_type, "image/png");
    assert_eq!(last.body, "L'ordonnance du médecin.");
    let download = format!("{conversation}/messages/{}/attachment", last.id);
    let got = app.get_as(&download, &rpe.token).await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.expect("bytes").to_vec(), png());
    assert_eq!(app.get_as(&download, &canteen.token).await.status(), 404);
    assert_eq!(
        app.get_as(
            &format!("/api/v1/conversations/{id}/messages/{}/attachment", last.id),
            &stranger.token
        )
        .await
        .status(),
        404
    );

    // Closed by the RPE; the family's next message opens it again, unread by the staff.
    let closed: ConversationResponse = app
        .put_as(
            &format!("{conversation}/status"),
            &rpe.token,
            &json!({"status": "closed"}),
        )
        .await
        .read(200)
        .await;
    assert_eq!(closed.conversation.status.as_str(), "closed");
    let again: ConversationResponse = app
        .post_ok(
            &format!("/api/v1/conversations/{id}/messages"),
            &family.token,
            &json!({"body": "Merci beaucoup !"}),
            201,
        )
        .await;
    assert_eq!(again.conversation.status.as_str(), "open");
    let counts: InboxCounts = app
        .get_ok("/api/v1/staff/conversations/counts", &rpe.token)
        .await;
    assert_eq!((counts.items[0].open, counts.items[0].unread), (1, 1));

    // The administrators read every inbox; the answer is in the audit log.
    let all: InboxCounts = app
        .get_ok("/api/v1/staff/conversations/counts", &admin.token)
        .await;
    assert_eq!(all.items.len(), 5);
    let audit: Value = app
        .get_ok("/api/v1/staff/audit-events?per_page=100", &admin.token)
        .await;
    assert!(
        audit["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|e| e["action"] == "answer_message"),
        "{audit}"
    );

    // In the family's data export, every message.
    let export: Value = app.get_ok("/api/v1/account/export", &family.token).await;
    let exported = export["conversations"].as_array().expect("conversations");
    assert_eq!(exported.len(), 1);
    assert_eq!(
        exported[0]["messages"].as_array().expect("messages").len(),
        4
    );

    // A service that takes no messages refuses a new one, with a stable code.
    assert_eq!(
        app.put_as(
            "/api/v1/staff/services/rpe/contact",
            &admin.token,
            &json!({"phone": "04 70 45 61 51", "accepts_messages": false}),
        )
        .await
        .status(),
        204
    );
    let commune: Value = app.get("/api/v1/commune").await.json().await.expect("json");
    let rpe_service = commune["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["code"] == "rpe")
        .expect("the RPE");
    assert_eq!(rpe_service["accepts_messages"], false);
    let problem = app
        .post_as(
            "/api/v1/conversations",
            &family.token,
            &json!({"service": "rpe", "subject": "Encore", "body": "Bonjour"}),
        )
        .await
        .problem(409)
        .await;
    assert_eq!(problem.code.as_str(), "messages_not_accepted");
}

#[tokio::test]
async fn an_agent_at_the_counter_writes_for_the_family_and_the_message_says_so() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let family = app.bookers("message", 1).await.remove(0);
    let acting: Value = app
        .post_as(
            &format!("/api/v1/staff/families/{}/acting", family.family_id),
            &admin.token,
            &json!({}),
        )
        .await
        .read(201)
        .await;
    let token = acting["access_token"].as_str().expect("token");
    let started: ConversationResponse = app
        .post_ok(
            "/api/v1/conversations",
            token,
            &json!({"service": "scolaire", "subject": "Inscription", "body": "Écrit avec la maman à l'accueil."}),
            201,
        )
        .await;
    let me: Value = app.get_ok("/api/v1/staff/me", &admin.token).await;
    let name = me["display_name"].as_str().expect("name");
    assert_eq!(
        started.messages[0].written_for_family_by.as_deref(),
        Some(name)
    );
    // The family reads it as its own, written for it; the staff see the same.
    let id = started.conversation.id;
    let seen: ConversationResponse = app
        .get_ok(&format!("/api/v1/conversations/{id}"), &family.token)
        .await;
    assert!(seen.messages[0].from_family);
    assert_eq!(
        seen.messages[0].written_for_family_by.as_deref(),
        Some(name)
    );
    // The staff's answer is unread by the family even after the agent opened it for them.
    app.post_ok::<_, ConversationResponse>(
        &format!("/api/v1/staff/conversations/{id}/messages"),
        &admin.token,
        &json!({"body": "Bien reçu."}),
        201,
    )
    .await;
    let _: ConversationResponse = app
        .get_ok(&format!("/api/v1/conversations/{id}"), token)
        .await;
    let unread: ConversationList = app
        .get_ok("/api/v1/conversations?unread=true", &family.token)
        .await;
    assert_eq!(
        unread.total, 1,
        "the agent's look is not the family's reading"
    );
}

#[tokio::test]
async fn the_retention_deletes_an_old_conversation_and_its_file() {
    let app = spawn_app().await;
    app.seed_demo();
    let mut family = app.bookers("oubli", 1).await.remove(0);
    let started: ConversationResponse = app
        .post_ok(
            "/api/v1/conversations",
            &family.token,
            &json!({"service": "alja", "subject": "Sortie", "body": "Faut-il un pique-nique ?"}),
            201,
        )
        .await;
    let id = started.conversation.id;
    let files = app.state.ctx.documents.count();
    attach(
        &app,
        &format!("/api/v1/conversations/{id}/attachments"),
        &family.token,
        "autorisation.png",
        "",
        png(),
    )
    .await
    .read::<ConversationResponse>(201)
    .await;
    assert_eq!(app.state.ctx.documents.count(), files + 1);
    // Eleven months on, kept; past twelve, gone with its file.
    app.advance_clock(Duration::days(335));
    let kept = app.portail(&["apply-retention"]);
    assert!(kept.status.success());
    assert!(
        String::from_utf8_lossy(&kept.stdout).contains("0 conversation ancienne"),
        "{}",
        String::from_utf8_lossy(&kept.stdout)
    );
    app.advance_clock(Duration::days(40));
    let gone = app.portail(&["apply-retention"]);
    assert!(
        String::from_utf8_lossy(&gone.stdout).contains("1 conversation ancienne supprimée"),
        "{}",
        String::from_utf8_lossy(&gone.stdout)
    );
    assert_eq!(app.state.ctx.documents.count(), files);
    app.relogin(&mut family).await;
    let list: ConversationList = app.get_ok("/api/v1/conversations", &family.token).await;
    assert_eq!(list.total, 0);
}
