use serde_json::{Value, json};

use crate::accounts::TestFamily;
use crate::client::Answer as _;
use crate::family_helpers::{PDF, complete_child, complete_household};
use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn the_household_is_saved_incomplete_and_contacts_keep_their_ids() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;

    let empty: Value = app
        .get_as("/api/v1/household", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(empty["family_situation"], Value::Null);

    let partial = json!({ "family_situation": "pacs", "contacts": [{"last_name": "Roux", "first_name": "Monique", "phone": "0470112233", "emergency_contact": true}] });
    let saved: Value = app
        .put_as("/api/v1/household", &family.token, &partial)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(saved["family_situation"], "pacs");
    assert_eq!(
        saved["contacts"][0]["phone"], "04 70 11 22 33",
        "phones are normalised"
    );
    let contact_id = saved["contacts"][0]["id"].clone();

    let mut again = saved.clone();
    again["contacts"].as_array_mut().expect("array").push(json!({"last_name": "Petit", "first_name": "Paul", "phone": "0612345678", "can_pick_up": true}));
    again["second_guardian"] = json!({"civility": "monsieur", "last_name": "Durand", "first_name": "Paul", "mobile_phone": "06 98 76 54 32"});
    let twice: Value = app
        .put_as("/api/v1/household", &family.token, &again)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(twice["contacts"][0]["id"], contact_id);
    assert_eq!(twice["contacts"].as_array().map(Vec::len), Some(2));
    assert_eq!(twice["second_guardian"]["first_name"], "Paul");

    let mut fewer = twice.clone();
    fewer["contacts"].as_array_mut().expect("array").remove(0);
    let after: Value = app
        .put_as("/api/v1/household", &family.token, &fewer)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(after["contacts"].as_array().map(Vec::len), Some(1));
    assert_eq!(after["contacts"][0]["first_name"], "Paul");
}

#[tokio::test]
async fn invalid_household_fields_are_named_one_by_one() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let bad = json!({ "dependent_children": 99, "contacts": [{"last_name": "R2", "first_name": "Jo", "phone": "12", "emergency_contact": false, "can_pick_up": false}] });

    let response = app.put_as("/api/v1/household", &family.token, &bad).await;

    let body = response.problem(422).await;
    let fields: Vec<&str> = body.errors.iter().map(|e| e.field.as_str()).collect();
    for field in [
        "dependent_children",
        "contacts.0.last_name",
        "contacts.0.phone",
        "contacts.0.emergency_contact",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
}

#[tokio::test]
async fn children_are_added_edited_and_removed() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;

    let minimal = app
        .post_as(
            "/api/v1/children",
            &family.token,
            &json!({"first_name": "Jules"}),
        )
        .await;
    assert_eq!(minimal.status(), 201, "a first name is enough to save");
    let jules: Value = minimal.json().await.expect("json");
    let id = jules["id"].as_str().expect("id").to_owned();

    let future = app
        .put_as(
            &format!("/api/v1/children/{id}"),
            &family.token,
            &json!({"first_name": "Jules", "birth_date": "2099-01-01"}),
        )
        .await;
    assert_eq!(future.problem(422).await.errors[0].field, "birth_date");

    let updated: Value = app
        .put_as(
            &format!("/api/v1/children/{id}"),
            &family.token,
            &complete_child("Jules"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(updated["diet"], "aucun");
    assert_eq!(updated["allergies"], "Arachide");

    let stranger = app
        .post_as(
            "/api/v1/children",
            &family.token,
            &json!({"first_name": "Zoé", "pickup_contact_ids": [uuid::Uuid::new_v4()]}),
        )
        .await;
    assert_eq!(
        stranger.status(),
        422,
        "pick-up persons come from the household"
    );

    let list: Value = app
        .get_as("/api/v1/children", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["total"], 1);
    assert_eq!(
        app.delete_as(&format!("/api/v1/children/{id}"), &family.token)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.get_as(&format!("/api/v1/children/{id}"), &family.token)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_file_is_sent_only_when_complete_and_only_once() {
    let app = spawn_app().await;
    app.seed_demo();
    let family = TestFamily::confirmed(&app).await;

    let early = app
        .post_as("/api/v1/dossier/submit", &family.token, &json!({}))
        .await;
    let body = early.problem(422).await;
    assert_eq!(body.code.as_str(), "dossier_incomplete");
    let sections: Vec<&str> = body.errors.iter().map(|e| e.field.as_str()).collect();
    assert!(
        sections.contains(&"mon-foyer")
            && sections.contains(&"mes-enfants")
            && sections.contains(&"mes-documents"),
        "{sections:?}"
    );
    let dossier: Value = app
        .get_as("/api/v1/dossier", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(dossier["can_submit"], false);
    assert!(dossier["missing"].as_array().is_some_and(|m| m.len() >= 3));

    app.fill_file(&family).await;
    let ready: Value = app
        .get_as("/api/v1/dossier", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(ready["missing"], json!([]));
    assert_eq!(ready["can_submit"], true);

    let sent = app
        .post_as("/api/v1/dossier/submit", &family.token, &json!({}))
        .await;
    let sent: Value = sent.read(200).await;
    assert_eq!(sent["status"], "submitted");
    assert_eq!(sent["history"][0]["kind"], "submitted");
    let twice = app
        .post_as("/api/v1/dossier/submit", &family.token, &json!({}))
        .await;
    assert_eq!(twice.problem(409).await.code.as_str(), "invalid_transition");
    let mail = app
        .token_from_email_subject(&family.email, "Votre dossier a bien été envoyé")
        .await;
    assert!(mail.contains("vérifier"));
}

#[tokio::test]
async fn the_account_holder_edits_their_details() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let mut form = json!({
        "civility": "madame", "last_name": "Durand-Lefèvre", "first_name": "Marie", "birth_date": "1988-04-02",
        "address_line1": "4 allée des Tilleuls", "postal_code": "03000", "city": "Avermes", "mobile_phone": "0611223344",
        "profession": "Sage-femme"
    });

    let updated = app.put_as("/api/v1/account", &family.token, &form).await;
    let account: Value = updated.read(200).await;
    assert_eq!(account["last_name"], "Durand-Lefèvre");
    assert_eq!(account["mobile_phone"], "06 11 22 33 44");

    form["postal_code"] = json!("3000");
    let invalid = app.put_as("/api/v1/account", &family.token, &form).await;
    assert_eq!(invalid.problem(422).await.errors[0].field, "postal_code");
}

#[tokio::test]
async fn a_new_email_address_takes_effect_only_once_confirmed() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let new_email = crate::accounts::unique_email();

    let wrong = app
        .post_as(
            "/api/v1/account/email",
            &family.token,
            &json!({"new_email": new_email, "current_password": "pas le bon"}),
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let asked = app
        .post_as(
            "/api/v1/account/email",
            &family.token,
            &json!({"new_email": new_email, "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(asked.status(), 202);
    assert_eq!(
        app.login(&family.email, PASSWORD, false).await.status(),
        200,
        "the old address still works"
    );

    let token = app
        .token_from_email(&new_email, "Confirmez votre nouvelle adresse")
        .await;
    let confirmed = app
        .post_json(
            "/api/v1/auth/email-change/confirm",
            &json!({"token": token}),
        )
        .await;
    assert_eq!(confirmed.status(), 200);
    assert_eq!(app.login(&new_email, PASSWORD, false).await.status(), 200);
    assert_eq!(
        app.login(&family.email, PASSWORD, false).await.status(),
        401
    );
}

#[tokio::test]
async fn a_family_downloads_all_its_data_and_can_ask_for_deletion() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    app.put_as("/api/v1/household", &family.token, &complete_household())
        .await;
    app.post_as("/api/v1/children", &family.token, &complete_child("Léa"))
        .await;
    app.upload(
        &family.token,
        "justificatif_domicile",
        None,
        "edf.pdf",
        PDF.to_vec(),
    )
    .await;

    let export = app.get_as("/api/v1/account/export", &family.token).await;
    assert_eq!(export.status(), 200);
    assert!(
        export.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment")
    );
    let data: Value = export.json().await.expect("json");
    assert_eq!(data["account"]["email"], family.email);
    assert_eq!(data["household"]["insurance_company"], "MAIF");
    assert_eq!(data["children"][0]["first_name"], "Léa");
    assert_eq!(data["documents"][0]["filename"], "edf.pdf");

    let deletion = app
        .post_as(
            "/api/v1/account/deletion-request",
            &family.token,
            &json!({}),
        )
        .await;
    assert_eq!(deletion.status(), 202);
    let data: Value = app
        .get_as("/api/v1/account/export", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert!(data["deletion_requested_at"].is_string());
    assert_eq!(data["dossier_history"][0]["kind"], "deletion_requested");
}

/// The same child entered twice (a double click, a second « Ajouter ») is refused with a
/// clear message, even when both arrive at once; twins are two children.
#[tokio::test]
async fn a_child_cannot_be_entered_twice_but_twins_can() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let lea = complete_child("Léa");
    let (a, b) = tokio::join!(
        app.post_as("/api/v1/children", &family.token, &lea),
        app.post_as("/api/v1/children", &family.token, &lea)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 422], "one created, one refused");
    let mut again = lea.clone();
    again["first_name"] = json!(" léa ");
    again["last_name"] = json!("DURAND");
    let refused = app.post_as("/api/v1/children", &family.token, &again).await;
    let problem = refused.problem(422).await;
    assert_eq!(problem.errors[0].code, "duplicate_child");
    // A twin: same birth date, another first name.
    let twin = app
        .post_as("/api/v1/children", &family.token, &complete_child("Louise"))
        .await;
    assert_eq!(twin.status(), 201);
    // Renaming the twin into Léa would make two Léa: refused; saving Léa as she is is fine.
    let twin_id = twin.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let renamed = app
        .put_as(&format!("/api/v1/children/{twin_id}"), &family.token, &lea)
        .await;
    assert_eq!(renamed.status(), 422);
    let list: Value = app
        .get_as("/api/v1/children", &family.token)
        .await
        .json()
        .await
        .expect("json");
    let lea_id = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["first_name"] == "Léa")
        .and_then(|c| c["id"].as_str())
        .expect("Léa")
        .to_owned();
    let saved = app
        .put_as(&format!("/api/v1/children/{lea_id}"), &family.token, &lea)
        .await;
    assert_eq!(saved.status(), 200);
    assert_eq!(list["total"], 2);
}
