//! « Aide aux démarches » (issue 13): a family created at the counter with or without an
//! e-mail address, and an agent acting for a family — audited with both identities, kept out
//! of the family's password and account, limited to 30 minutes, ended by « Terminer », and
//! only for the agents the family concerns.

use chrono::{Duration, Weekday};
use serde_json::{Value, json};

use crate::accounts::unique_email;
use crate::client::Answer as _;
use crate::helpers::{TestApp, spawn_app};
use crate::planning_helpers::{line, open_weekday};

fn counter_form(email: &str) -> Value {
    json!({
        "email": email,
        "address_line1": "3 place de la Mairie",
        "postal_code": "03000",
        "city": "Avermes",
        "home_phone": "04 70 12 34 56",
        "civility": "monsieur",
        "last_name": "Bernard",
        "first_name": "Louis",
        "birth_date": "1979-06-15",
        "accept_terms_for_family": true
    })
}

async fn staff_id(app: &TestApp, token: &str) -> String {
    let me: Value = app
        .get_as("/api/v1/staff/me", token)
        .await
        .json()
        .await
        .expect("json");
    me["id"].as_str().expect("id").to_owned()
}

async fn audit(app: &TestApp, admin: &str) -> Vec<Value> {
    let page: Value = app
        .get_as("/api/v1/staff/audit-events?per_page=100", admin)
        .await
        .json()
        .await
        .expect("json");
    page["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn a_family_created_at_the_counter_with_an_address_chooses_its_own_password() {
    let app = spawn_app().await;
    app.seed_demo();
    let agent = app.agent().await;
    let admin = app.admin().await;

    // The same checks as the wizard's, and « Accepter » ticked for the parent.
    let mut unticked = counter_form("");
    unticked["accept_terms_for_family"] = json!(false);
    unticked["postal_code"] = json!("3000");
    let refused = app
        .post_as("/api/v1/staff/families", &agent.token, &unticked)
        .await;
    let fields: Vec<String> = refused
        .problem(422)
        .await
        .errors
        .iter()
        .map(|e| e.field.as_str().to_owned())
        .collect();
    assert!(
        fields.contains(&"accept_terms_for_family".to_owned()),
        "{fields:?}"
    );
    assert!(fields.contains(&"postal_code".to_owned()), "{fields:?}");
    assert!(
        !fields.iter().any(|f| f.contains("password")),
        "no password at the counter"
    );

    let email = unique_email();
    let family = crate::accounts::TestFamily::confirmed(&app).await;
    let taken = app
        .post_as(
            "/api/v1/staff/families",
            &agent.token,
            &counter_form(&family.email),
        )
        .await;
    assert_eq!(taken.status(), 409);

    let created = app
        .post_as(
            "/api/v1/staff/families",
            &agent.token,
            &counter_form(&email),
        )
        .await;
    let created: Value = created.read(201).await;
    assert_eq!(created["invitation_sent"], true);
    let family_id = created["family_id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.post_as(
            "/api/v1/staff/families",
            &family.token,
            &counter_form(&unique_email())
        )
        .await
        .status(),
        403
    );

    // The parent's link sets a password nobody else knows; it also confirms the address.
    let token = app
        .token_from_email(&email, "Votre compte Portail Famille a été créé")
        .await;
    let set = app
        .post_json(
            "/api/v1/auth/password-reset",
            &json!({"token": token, "new_password": "Mon-jardin-d'hiver-1979", "new_password_confirmation": "Mon-jardin-d'hiver-1979"}),
        )
        .await;
    assert_eq!(set.status(), 200, "{:?}", set.text().await);
    let login = app.login(&email, "Mon-jardin-d'hiver-1979", false).await;
    let login: Value = login.read(200).await;
    let account: Value = app
        .get_as(
            "/api/v1/account",
            login["access_token"].as_str().expect("token"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(account["family_id"], family_id.as_str());
    assert_eq!(account["last_name"], "Bernard");

    let agent_id = staff_id(&app, &agent.token).await;
    assert!(
        audit(&app, &admin.token)
            .await
            .iter()
            .any(|e| e["action"] == "create_family_assisted"
                && e["staff_id"] == agent_id.as_str()
                && e["family_id"] == family_id.as_str()
                && e["summary"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("protection des données")),
        "the agent's « Accepter » for the parent is recorded"
    );
}

#[tokio::test]
async fn without_an_address_the_staff_act_for_the_family_audited_outside_its_account_and_for_thirty_minutes()
 {
    let app = spawn_app().await;
    app.seed_demo();
    let agent = app.agent().await;
    let created: Value = app
        .post_as("/api/v1/staff/families", &agent.token, &counter_form(""))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(created["invitation_sent"], false);
    let family_id = created["family_id"].as_str().expect("id").to_owned();
    let admin = app.admin().await;
    let detail = app
        .get_as(&format!("/api/v1/staff/families/{family_id}"), &admin.token)
        .await;
    assert_eq!(
        detail.status(),
        200,
        "a family without an account is read by the staff"
    );
    assert_eq!(
        detail.json::<Value>().await.expect("json")["account"]["email"],
        ""
    );

    // The agent who created it acts for it; an agent of another service it does not concern
    // may not; neither may the family's token.
    let other = app.agent().await;
    app.put_as(
        &format!(
            "/api/v1/staff/accounts/{}/services",
            staff_id(&app, &other.token).await
        ),
        &admin.token,
        &json!({"services": ["restauration"]}),
    )
    .await;
    assert_eq!(
        app.post_as(
            &format!("/api/v1/staff/families/{family_id}/acting"),
            &other.token,
            &json!({})
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.post_as(
            &format!("/api/v1/staff/families/{}/acting", uuid::Uuid::new_v4()),
            &admin.token,
            &json!({})
        )
        .await
        .status(),
        404
    );
    let acting = app
        .post_as(
            &format!("/api/v1/staff/families/{family_id}/acting"),
            &agent.token,
            &json!({}),
        )
        .await;
    let acting: Value = acting.read(201).await;
    assert_eq!(acting["family_label"], "Louis BERNARD");
    let token = acting["access_token"].as_str().expect("token").to_owned();

    // The family's pages work; its password, account and e-mail do not; nor do staff routes.
    assert_eq!(app.get_as("/api/v1/account", &token).await.status(), 200);
    let household = app
        .put_as(
            "/api/v1/household",
            &token,
            &crate::family_helpers::complete_household(),
        )
        .await;
    assert_eq!(household.status(), 200);
    let child = app
        .post_as(
            "/api/v1/children",
            &token,
            &crate::family_helpers::complete_child("Jules"),
        )
        .await;
    let child: Value = child.read(201).await;
    for (kind, child_id) in [
        ("justificatif_domicile", None),
        ("attestation_assurance", None),
        ("attestation_caf_qf", None),
        ("carnet_vaccination", child["id"].as_str()),
    ] {
        let sent = app
            .upload(
                &token,
                kind,
                child_id,
                "piece.pdf",
                crate::family_helpers::PDF.to_vec(),
            )
            .await;
        assert_eq!(sent.status(), 201, "{kind}");
    }
    let submitted = app
        .post_as("/api/v1/dossier/submit", &token, &json!({}))
        .await;
    assert_eq!(submitted.status(), 200, "{:?}", submitted.text().await);
    let validated = app
        .post_as(
            &format!("/api/v1/staff/families/{family_id}/validate"),
            &admin.token,
            &json!({}),
        )
        .await;
    assert_eq!(
        validated.status(),
        200,
        "a family without an address is validated: {:?}",
        validated.text().await
    );
    // Staff add the parent's address later: the account is created and the parent chooses a
    // password; once only.
    let email_path = format!("/api/v1/staff/families/{family_id}/email");
    assert_eq!(
        app.put_as(
            &email_path,
            &other.token,
            &json!({"email": "louis.bernard@exemple.fr"})
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.put_as(
            &email_path,
            &admin.token,
            &json!({"email": "louis.bernard"})
        )
        .await
        .status(),
        422
    );
    let added = app
        .put_as(
            &email_path,
            &admin.token,
            &json!({"email": "louis.bernard@exemple.fr"}),
        )
        .await;
    assert_eq!(added.status(), 200);
    assert_eq!(
        app.put_as(
            &email_path,
            &admin.token,
            &json!({"email": "autre@exemple.fr"})
        )
        .await
        .status(),
        409
    );
    let link = app
        .token_from_email(
            "louis.bernard@exemple.fr",
            "Votre compte Portail Famille a été créé",
        )
        .await;
    assert_eq!(
        app.post_json(
            "/api/v1/auth/password-reset",
            &json!({"token": link, "new_password": "Un jardin au bord de l'Allier", "new_password_confirmation": "Un jardin au bord de l'Allier"}),
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.login(
            "louis.bernard@exemple.fr",
            "Un jardin au bord de l'Allier",
            false
        )
        .await
        .status(),
        200
    );
    let update = app.put_as("/api/v1/account", &token, &json!({})).await;
    assert_eq!(update.status(), 403, "PUT /api/v1/account");
    for (method, path, body) in [
        (
            "post",
            "/api/v1/account/password",
            json!({"current_password": "x", "new_password": "y", "new_password_confirmation": "y"}),
        ),
        (
            "post",
            "/api/v1/account/email",
            json!({"email": "pirate@exemple.fr"}),
        ),
        ("post", "/api/v1/account/deletion-request", json!({})),
        ("get", "/api/v1/account/export", json!({})),
    ] {
        let request = match method {
            "put" => app.client.put(app.url(path)).json(&body),
            "post" => app.client.post(app.url(path)).json(&body),
            _ => app.client.get(app.url(path)),
        };
        let status = request
            .bearer_auth(&token)
            .send()
            .await
            .expect("sent")
            .status();
        assert_eq!(status, 403, "{method} {path}");
    }
    assert_eq!(
        app.get_as("/api/v1/staff/families", &token).await.status(),
        403
    );

    // Every request is in the audit log with the agent and the family.
    let agent_id = staff_id(&app, &agent.token).await;
    let events = audit(&app, &admin.token).await;
    let acted: Vec<&Value> = events
        .iter()
        .filter(|e| e["action"] == "acting_request" && e["family_id"] == family_id.as_str())
        .collect();
    assert!(acted.iter().all(|e| e["staff_id"] == agent_id.as_str()));
    assert!(
        acted
            .iter()
            .all(|e| !e["detail"].as_str().unwrap_or_default().starts_with("GET ")),
        "reading is covered by the start: only changes are logged one by one"
    );
    let said: Vec<&str> = acted
        .iter()
        .map(|e| e["summary"].as_str().unwrap_or_default())
        .collect();
    assert!(said.iter().any(|s| s.contains("Mon foyer")), "{said:?}");
    assert!(said.iter().any(|s| s.contains("Mes enfants")), "{said:?}");
    assert!(
        said.iter().any(|s| s.contains("(refusé)")),
        "refusals too: {said:?}"
    );
    assert!(
        events
            .iter()
            .any(|e| e["action"] == "start_acting" && e["family_id"] == family_id.as_str())
    );

    // Thirty minutes, then the token is refused.
    app.advance_clock(Duration::minutes(29));
    assert_eq!(app.get_as("/api/v1/household", &token).await.status(), 200);
    app.advance_clock(Duration::minutes(2));
    assert_eq!(app.get_as("/api/v1/household", &token).await.status(), 401);

    // « Terminer » ends it at once.
    let agent = app.staff_again(&agent).await;
    let again: Value = app
        .post_as(
            &format!("/api/v1/staff/families/{family_id}/acting"),
            &agent.token,
            &json!({}),
        )
        .await
        .json()
        .await
        .expect("json");
    let token = again["access_token"].as_str().expect("token").to_owned();
    assert_eq!(app.get_as("/api/v1/household", &token).await.status(), 200);
    let stopped: Value = app
        .post_as("/api/v1/staff/acting/stop", &token, &json!({}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(stopped["ended"], 1);
    assert_eq!(app.get_as("/api/v1/household", &token).await.status(), 401);
}

#[tokio::test]
async fn an_agent_of_the_holiday_centre_books_for_a_family_that_uses_it_and_the_log_says_who() {
    let app = spawn_app().await;
    app.seed_demo();
    let family = app.bookers("guichet", 1).await.remove(0);
    let unit = app.unit("alja", "Matin").await;
    let date = open_weekday(app.state.ctx.clock.today(), 2, Weekday::Tue);
    let admin = app.admin().await;
    let agent = app.agent().await;
    let agent_id = staff_id(&app, &agent.token).await;
    app.put_as(
        &format!("/api/v1/staff/accounts/{agent_id}/services"),
        &admin.token,
        &json!({"services": ["alja"]}),
    )
    .await;
    assert_eq!(
        app.post_as(
            &format!("/api/v1/staff/families/{}/acting", family.family_id),
            &agent.token,
            &json!({})
        )
        .await
        .status(),
        403,
        "the family does not use the holiday centre yet"
    );
    let booked: Value = app
        .book(
            &family.token,
            "k1",
            json!([line(&family.child_id, &unit, date, "book")]),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(booked["accepted"], 1);
    let acting: Value = app
        .post_as(
            &format!("/api/v1/staff/families/{}/acting", family.family_id),
            &agent.token,
            &json!({}),
        )
        .await
        .json()
        .await
        .expect("json");
    let token = acting["access_token"].as_str().expect("token");
    let next = date + Duration::days(1);
    let answer: Value = app
        .book(
            token,
            "k2",
            json!([line(&family.child_id, &unit, next, "book")]),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(answer["accepted"], 1, "{answer}");
    let bookings: Value = app
        .get_as("/api/v1/bookings", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        bookings["total"], 2,
        "the family sees what the agent booked"
    );
    assert!(
        audit(&app, &admin.token)
            .await
            .iter()
            .any(|e| e["action"] == "acting_request"
                && e["staff_id"] == agent_id.as_str()
                && e["family_id"] == family.family_id.as_str()
                && e["summary"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("réservations envoyées")),
        "the booking made for the family is logged with both identities"
    );
}
