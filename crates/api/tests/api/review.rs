use chrono::Datelike as _;
use serde_json::{Value, json};

use crate::client::Answer as _;
use crate::family_helpers::PDF;
use crate::helpers::spawn_app;

#[tokio::test]
async fn staff_review_a_file_ask_for_more_then_validate_it() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let (family, _child) = app.submitted_family().await;
    let family_id = app.family_id(&family).await;

    // The work queue: submitted files, oldest first, with counts.
    let queue: Value = app
        .get_as("/api/v1/staff/families?status=submitted", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    let ids: Vec<&str> = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|f| f["family_id"].as_str())
        .collect();
    assert_eq!(
        ids.last(),
        Some(&family_id.as_str()),
        "the newest file comes last (the demo's Bernard family was sent first)"
    );
    assert!(queue["counts"]["submitted"].as_u64() >= Some(2));

    let detail: Value = app
        .get_as(&format!("/api/v1/staff/families/{family_id}"), &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(detail["account"]["email"], family.email);
    assert_eq!(detail["children"][0]["allergies"], "Arachide");
    let document_id = detail["documents"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let no_reason = app
        .post_as(
            &format!("/api/v1/staff/documents/{document_id}/review"),
            &admin.token,
            &json!({"decision": "refuse"}),
        )
        .await;
    assert_eq!(no_reason.status(), 422);
    let refused = app
        .post_as(
            &format!("/api/v1/staff/documents/{document_id}/review"),
            &admin.token,
            &json!({"decision": "refuse", "reason": "Document illisible."}),
        )
        .await;
    assert_eq!(refused.status(), 200);
    // The refusal is e-mailed: which document, why, and where to send another.
    let mail = app
        .token_from_email_subject(&family.email, "Un document de votre dossier a été refusé")
        .await;
    assert!(mail.contains("Document illisible."), "{mail}");
    assert!(mail.contains("/mes-documents"), "{mail}");
    // The same decision again (a double click) writes no second e-mail.
    let again = app
        .post_as(
            &format!("/api/v1/staff/documents/{document_id}/review"),
            &admin.token,
            &json!({"decision": "refuse", "reason": "Document illisible."}),
        )
        .await;
    assert_eq!(again.status(), 200);
    app.outbox_drained().await;
    assert_eq!(
        app.smtp
            .messages()
            .iter()
            .filter(|m| m.to.contains(&family.email) && m.subject.starts_with("Un document"))
            .count(),
        1
    );
    let asked = app
        .post_as(
            &format!("/api/v1/staff/families/{family_id}/request-info"),
            &admin.token,
            &json!({"message": "Merci de déposer une pièce lisible."}),
        )
        .await;
    assert_eq!(asked.status(), 200);

    // The family sees the message, on the dashboard and by e-mail.
    let dossier: Value = app
        .get_as("/api/v1/dossier", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(dossier["status"], "info_requested");
    assert_eq!(
        dossier["info_request_message"],
        "Merci de déposer une pièce lisible."
    );
    assert_eq!(
        dossier["can_submit"], false,
        "the refused document must be replaced"
    );
    let mail = app
        .token_from_email_subject(&family.email, "Complément d'information")
        .await;
    assert!(mail.contains("Merci de déposer une pièce lisible."));
    let documents: Value = app
        .get_as("/api/v1/documents", &family.token)
        .await
        .json()
        .await
        .expect("json");
    let refused_doc = documents["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|d| d["id"] == document_id.as_str())
        .expect("the refused one")
        .clone();
    assert_eq!(refused_doc["status"], "refuse");
    assert_eq!(refused_doc["refusal_reason"], "Document illisible.");

    // It sends a new one and resubmits; staff validate.
    let kind = refused_doc["document_type"].as_str().expect("type");
    let child = refused_doc["child_id"].as_str();
    assert_eq!(
        app.upload(&family.token, kind, child, "nouvelle.pdf", PDF.to_vec())
            .await
            .status(),
        201
    );
    let resent: Value = app
        .post_as("/api/v1/dossier/submit", &family.token, &json!({}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(resent["status"], "submitted");
    assert_eq!(resent["history"][0]["kind"], "resubmitted");
    let validated = app
        .post_as(
            &format!("/api/v1/staff/families/{family_id}/validate"),
            &admin.token,
            &json!({}),
        )
        .await;
    assert_eq!(validated.status(), 200);
    let twice = app
        .post_as(
            &format!("/api/v1/staff/families/{family_id}/validate"),
            &admin.token,
            &json!({}),
        )
        .await;
    assert_eq!(twice.status(), 409);

    let account: Value = app
        .get_as("/api/v1/account", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(account["dossier_status"], "validated");
    app.token_from_email_subject(&family.email, "Votre dossier est validé")
        .await;

    // Every read and decision is in the audit log.
    let audit: Value = app
        .get_as(
            &format!("/api/v1/staff/audit-events?family_id={family_id}"),
            &admin.token,
        )
        .await
        .json()
        .await
        .expect("json");
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in [
        "view_family",
        "review_document",
        "request_family_info",
        "validate_family",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    // …and the journal says it in French, never with a code.
    let summaries: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["summary"].as_str())
        .collect();
    for said in &summaries {
        assert!(said.starts_with("a ") && !said.contains('_'), "« {said} »");
        assert!(
            !said.contains("(accept)") && !said.contains("(refuse)"),
            "« {said} »"
        );
    }
    let kind = detail["documents"][0]["document_type"]
        .as_str()
        .expect("type");
    let label = portail_domain::dossier::DocumentType::parse(kind)
        .expect("known type")
        .label_fr();
    let refusal = format!("a refusé la pièce «\u{a0}{label}\u{a0}»");
    assert!(
        summaries.contains(&refusal.as_str()),
        "{refusal} in {summaries:?}"
    );
    assert!(summaries.contains(&"a validé le dossier de la famille"));
}

#[tokio::test]
async fn the_list_searches_names_emails_and_children_and_filters_by_status() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let search = |q: &str| {
        let app = &app;
        let token = admin.token.clone();
        let q = q.to_owned();
        async move {
            let body: Value = app
                .client
                .get(app.url("/api/v1/staff/families"))
                .query(&[("q", q)])
                .bearer_auth(token)
                .send()
                .await
                .expect("sent")
                .json()
                .await
                .expect("json");
            body["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|f| f["holder_name"].as_str().unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("BERNARD").await, ["Bernard Julien"]);
    assert_eq!(search("famille.petit@").await, ["Petit Camille"]);
    assert_eq!(
        search("lucas").await,
        ["Durand Marie"],
        "a child's first name finds the family"
    );
    let validated: Value = app
        .get_as("/api/v1/staff/families?status=validated", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(validated["total"], 1);
    assert_eq!(validated["counts"]["info_requested"], 1);
    assert_eq!(validated["counts"]["incomplete"], 1);
}

#[tokio::test]
async fn agents_see_files_only_through_their_services_and_medical_details_only_if_they_care_for_children()
 {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let (family, _) = app.submitted_family().await;
    let family_id = app.family_id(&family).await;
    let agent = app.agent().await;
    let agent_id: Value = app
        .get_as("/api/v1/staff/me", &agent.token)
        .await
        .json()
        .await
        .expect("json");
    let agent_id = agent_id["id"].as_str().expect("id").to_owned();

    let without = app.get_as("/api/v1/staff/families", &agent.token).await;
    assert!(
        without
            .problem(403)
            .await
            .detail
            .as_str()
            .contains("Aucun service")
    );

    let services_path = format!("/api/v1/staff/accounts/{agent_id}/services");
    let set = |services: Value| {
        let app = &app;
        let path = services_path.clone();
        let token = admin.token.clone();
        async move {
            app.put_as(&path, &token, &json!({ "services": services }))
                .await
        }
    };

    assert_eq!(set(json!(["restauration"])).await.status(), 200);
    let canteen: Value = app
        .get_as(&format!("/api/v1/staff/families/{family_id}"), &agent.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(canteen["children"][0]["allergies"], "Arachide");

    assert_eq!(
        app.get_as("/api/v1/staff/audit-events", &agent.token)
            .await
            .status(),
        403,
        "the audit log is for admins"
    );
    assert_eq!(
        app.put_as(
            &format!("/api/v1/staff/accounts/{agent_id}/services"),
            &agent.token,
            &json!({"services": []})
        )
        .await
        .status(),
        403
    );
}

#[tokio::test]
async fn once_a_year_validated_files_are_reverified_and_confirmed() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let (unchanged, _) = app.submitted_family().await;
    let (changed, _) = app.submitted_family().await;
    for family in [&unchanged, &changed] {
        let id = app.family_id(family).await;
        assert_eq!(
            app.post_as(
                &format!("/api/v1/staff/families/{id}/validate"),
                &admin.token,
                &json!({})
            )
            .await
            .status(),
            200
        );
    }
    let today = app.state.ctx.clock.today();
    let settings = json!({"name": "Avermes", "reverification_month": today.month(), "reverification_day": today.day()});
    assert_eq!(
        app.put_as("/api/v1/staff/settings", &admin.token, &settings)
            .await
            .status(),
        200
    );
    let bad = json!({"name": "Avermes", "reverification_month": 2, "reverification_day": 30});
    assert_eq!(
        app.put_as("/api/v1/staff/settings", &admin.token, &bad)
            .await
            .status(),
        422
    );

    // The server's own daily run has already done this year (the test starts after the default
    // date): the next run is next year, on the day set.
    let next_year = today
        .with_year(today.year() + 1)
        .unwrap_or(today + chrono::Duration::days(365));
    let run = app.portail(&["reverify", "--today", &next_year.to_string()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let said = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(
        said.contains("3 dossiers passés"),
        "two test families and the demo's validated one: {said}"
    );
    let again = app.portail(&["reverify", "--today", &next_year.to_string()]);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains(" 0 dossier passé"),
        "once a year"
    );

    let dossier: Value = app
        .get_as("/api/v1/dossier", &unchanged.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(dossier["status"], "to_reverify");
    app.token_from_email_subject(&unchanged.email, "Vérifiez votre dossier")
        .await;

    let confirmed: Value = app
        .post_as(
            "/api/v1/dossier/confirm-reverification",
            &unchanged.token,
            &json!({}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        confirmed["status"], "validated",
        "nothing changed: no new review"
    );

    let mut household: Value = app
        .get_as("/api/v1/household", &changed.token)
        .await
        .json()
        .await
        .expect("json");
    household["family_quotient"] = json!(640);
    app.put_as("/api/v1/household", &changed.token, &household)
        .await;
    let reviewed: Value = app
        .post_as(
            "/api/v1/dossier/confirm-reverification",
            &changed.token,
            &json!({}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        reviewed["status"], "submitted",
        "a change goes back to staff"
    );
}

/// The same decision twice (a double click, a retried request, two agents at once) is one
/// decision: one history line, one audit line.
#[tokio::test]
async fn deciding_a_document_twice_records_it_once() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let (family, _child) = app.submitted_family().await;
    let family_id = app.family_id(&family).await;
    let detail: Value = app
        .get_as(&format!("/api/v1/staff/families/{family_id}"), &admin.token)
        .await
        .json()
        .await
        .expect("json");
    let document_id = detail["documents"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let path = format!("/api/v1/staff/documents/{document_id}/review");
    let refuse = json!({"decision": "refuse", "reason": "Document illisible."});
    let (a, b) = tokio::join!(
        app.post_as(&path, &admin.token, &refuse),
        app.post_as(&path, &admin.token, &refuse)
    );
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (200, 200));
    let again = app.post_as(&path, &admin.token, &refuse).await;
    assert_eq!(again.status(), 200);
    assert_eq!(
        again.json::<Value>().await.expect("json")["status"],
        "refuse"
    );
    // Another reason is another decision; accepting after is one more.
    let other = json!({"decision": "refuse", "reason": "Date dépassée."});
    assert_eq!(app.post_as(&path, &admin.token, &other).await.status(), 200);
    let accept = json!({"decision": "accept"});
    assert_eq!(
        app.post_as(&path, &admin.token, &accept).await.status(),
        200
    );
    assert_eq!(
        app.post_as(&path, &admin.token, &accept).await.status(),
        200
    );

    let detail: Value = app
        .get_as(&format!("/api/v1/staff/families/{family_id}"), &admin.token)
        .await
        .json()
        .await
        .expect("json");
    let kinds: Vec<&str> = detail["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .filter(|k| k.starts_with("document_"))
        .collect();
    assert_eq!(
        kinds.len(),
        3,
        "refused, refused for another reason, accepted: {kinds:?}"
    );
    let audit: Value = app
        .get_as(
            &format!("/api/v1/staff/audit-events?family_id={family_id}"),
            &admin.token,
        )
        .await
        .json()
        .await
        .expect("json");
    let reviews = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["action"] == "review_document")
        .count();
    assert_eq!(reviews, 3);
}
