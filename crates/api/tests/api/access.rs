//! The access matrix, walked from the OpenAPI document so that a new route is covered without
//! anyone remembering to add it.

use serde_json::{Value, json};

use crate::accounts::TestFamily;
use crate::family_helpers::PDF;
use crate::helpers::spawn_app;

const SPEC: &str = include_str!("../../../../openapi/openapi.json");

fn operations() -> Vec<(String, String, Value)> {
    let spec: Value = serde_json::from_str(SPEC).expect("json");
    let mut all = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            all.push((path.clone(), method.clone(), operation.clone()));
        }
    }
    all
}

fn needs_token(operation: &Value) -> bool {
    operation["security"]
        .as_array()
        .is_some_and(|s| s.iter().any(|r| r.get("jeton").is_some()))
}

async fn send(
    app: &crate::helpers::TestApp,
    method: &str,
    path: &str,
    token: &str,
) -> reqwest::Response {
    let url = app.url(path);
    let request = match method {
        "get" => app.client.get(url),
        // A well-formed answer to an offer, so that the ownership check answers.
        "post" if path.ends_with("/answer") => app.client.post(url).json(&json!({"accept": true})),
        "post" if path.ends_with("/messages") => {
            app.client.post(url).json(&json!({"body": "Intrus"}))
        }
        // A real file, so that what answers is the ownership check, not the file.
        "post" if path.ends_with("/attachments") => app
            .client
            .post(url)
            .query(&[("filename", "a.png")])
            .body(crate::family_helpers::png()),
        "post" => app.client.post(url).json(&json!({})),
        // A well-formed body, so that what answers is the ownership check, not the body's shape.
        "put" if path.contains("/preregistrations/") => app.client.put(url).json(&json!({
            "expected_on": "2027-03-01", "wished_start": "2027-09-01",
            "schedule": [null, null, null, null, {"arrival": "08:30", "departure": "12:00"}],
            "weeks_per_year": 10
        })),
        "put" => app.client.put(url).json(&json!({"first_name": "Intrus"})),
        "delete" => app.client.delete(url),
        other => panic!("no test for the method {other}: extend this test"),
    };
    request.bearer_auth(token).send().await.expect("sent")
}

#[tokio::test]
async fn every_family_route_with_an_id_answers_404_to_another_family() {
    let app = spawn_app().await;
    app.seed_demo();
    let owner = TestFamily::confirmed(&app).await;
    let intruder = TestFamily::confirmed(&app).await;
    let child: Value = app
        .post_as(
            "/api/v1/children",
            &owner.token,
            &json!({"first_name": "Léa", "birth_date": "2022-05-01"}),
        )
        .await
        .json()
        .await
        .expect("json");
    let document: Value = app
        .upload(&owner.token, "autre", None, "a.pdf", PDF.to_vec())
        .await
        .json()
        .await
        .expect("json");
    // An invoice of another family (issued through the real run): the intruder's 404 must be
    // the same as for the owner's children and documents.
    let billed = crate::billing::issued_invoice(&app, "acces").await;
    let payment: Value = app
        .post_as(
            "/api/v1/staff/payments",
            &billed.admin,
            &json!({"family_id": billed.family.family_id, "method": "cash", "amount_cents": 100, "received_on": "2026-12-01"}),
        )
        .await
        .json()
        .await
        .expect("json");
    let preregistration: Value = app
        .post_as(
            "/api/v1/preregistrations",
            &owner.token,
            &json!({"expected_on": "2027-03-01", "wished_start": "2027-09-01", "schedule": [{"arrival": "08:30", "departure": "17:00"}, null, null, null, null], "weeks_per_year": 40}),
        )
        .await
        .json()
        .await
        .expect("json");
    let conversation: Value = app
        .post_as(
            "/api/v1/conversations",
            &owner.token,
            &json!({"service": "rpe", "subject": "Question", "body": "Bonjour"}),
        )
        .await
        .json()
        .await
        .expect("json");
    let ids = [
        (
            "{conversation_id}",
            conversation["conversation"]["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        ),
        (
            "{message_id}",
            conversation["messages"][0]["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        ),
        (
            "{preregistration_id}",
            preregistration["id"].as_str().expect("id").to_owned(),
        ),
        ("{invoice_id}", billed.invoice_id.clone()),
        (
            "{payment_id}",
            payment["id"].as_str().expect("id").to_owned(),
        ),
        ("{child_id}", child["id"].as_str().expect("id").to_owned()),
        (
            "{document_id}",
            document["id"].as_str().expect("id").to_owned(),
        ),
    ];

    let mut walked = 0;
    for (path, method, operation) in operations() {
        if !needs_token(&operation) || path.starts_with("/api/v1/staff") || !path.contains('{') {
            continue;
        }
        // A year alone names nothing of the owner's: the caller's own certificate answers.
        if !ids.iter().any(|(param, _)| path.contains(param)) {
            assert_eq!(
                path, "/api/v1/certificates/fiscal/{year}",
                "{path}: an id to walk"
            );
            continue;
        }
        let mut concrete = path.replace("{year}", "2026");
        for (param, id) in &ids {
            concrete = concrete.replace(param, id);
        }
        assert!(
            !concrete.contains('{'),
            "{path}: give this test an id of the owner's for its parameter"
        );
        let response = send(&app, &method, &concrete, &intruder.token).await;
        assert_eq!(
            response.status(),
            404,
            "{method} {path} with another family's token"
        );
        walked += 1;
    }
    assert!(walked >= 5, "only {walked} routes walked");
    // And the owner's data is untouched.
    let mine: Value = app
        .get_as(&format!("/api/v1/children/{}", ids[5].1), &owner.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["first_name"], "Léa");
}

#[tokio::test]
async fn a_family_token_opens_no_staff_route() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let mut walked = 0;
    for (path, method, operation) in operations() {
        if !path.starts_with("/api/v1/staff") || !needs_token(&operation) {
            continue;
        }
        let concrete = path
            .replace("{family_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{document_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{staff_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{requirement_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{period_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{unit_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{announcement_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{tariff_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{invoice_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{payment_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{child_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{key_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{webhook_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{delivery_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{appointment_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{conversation_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{batch_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{debit_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{message_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{date}", "2026-11-02")
            .replace("{year}", "2026")
            .replace("{service}", "alja")
            .replace("{slug}", "mentions-legales");
        assert!(
            !concrete.contains('{'),
            "{path}: give this test a value for its parameter"
        );
        let response = send(&app, &method, &concrete, &family.token).await;
        assert_eq!(
            response.status(),
            403,
            "{method} {path} with a family token"
        );
        walked += 1;
    }
    assert!(walked >= 10, "only {walked} routes walked");
}

#[tokio::test]
async fn a_family_cannot_set_what_only_staff_may_set() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;

    let mut household = crate::family_helpers::complete_household();
    household["dossier_status"] = json!("validated");
    household["validated_at"] = json!("2026-01-01T00:00:00Z");
    assert_eq!(
        app.put_as("/api/v1/household", &family.token, &household)
            .await
            .status(),
        200
    );
    let child = app
        .post_as(
            "/api/v1/children",
            &family.token,
            &json!({"first_name": "Léa", "medical_redacted": true, "status": "accepte"}),
        )
        .await;
    assert_eq!(child.status(), 201);
    let response = app
        .client
        .post(app.url("/api/v1/documents"))
        .query(&[
            ("document_type", "autre"),
            ("filename", "a.pdf"),
            ("status", "accepte"),
        ])
        .bearer_auth(&family.token)
        .body(PDF.to_vec())
        .send()
        .await
        .expect("sent");
    let document: Value = response.json().await.expect("json");
    assert_eq!(document["status"], "en_attente");
    let account: Value = app
        .get_as("/api/v1/account", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(account["dossier_status"], "incomplete");
    let mut update = json!({"civility": "madame", "last_name": "Durand", "first_name": "Marie", "birth_date": "1988-04-02", "address_line1": "1 rue", "postal_code": "03000", "city": "Avermes", "mobile_phone": "0612345678", "dossier_status": "validated", "email": "autre@exemple.fr"});
    assert_eq!(
        app.put_as("/api/v1/account", &family.token, &update)
            .await
            .status(),
        200
    );
    update["dossier_status"] = json!(null);
    let account: Value = app
        .get_as("/api/v1/account", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(account["dossier_status"], "incomplete");
    assert_eq!(
        account["email"], family.email,
        "the e-mail changes only through its own confirmation"
    );
}
