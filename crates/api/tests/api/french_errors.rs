//! Malformed requests are answered in French only: no library text (serde's « EOF while
//! parsing », « unknown variant », « invalid digit ») reaches the caller.

use crate::accounts::TestFamily;
use crate::client::Answer as _;
use crate::helpers::{problem, spawn_app};

const ENGLISH: [&str; 8] = [
    "EOF",
    "parsing",
    "unknown variant",
    "expected",
    "invalid digit",
    "invalid type",
    "deserialize",
    "line 1 column",
];

fn assert_french(detail: &str) {
    for word in ENGLISH {
        assert!(!detail.contains(word), "English in « {detail} »");
    }
}

#[tokio::test]
async fn a_body_or_a_query_that_cannot_be_read_is_refused_in_french() {
    let app = spawn_app().await;
    let family = TestFamily::confirmed(&app).await;
    let send = |body: &'static str| {
        app.client
            .post(app.url("/api/v1/children"))
            .bearer_auth(&family.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    for (body, says) in [
        (r#"{"first_name": "Léa""#, "incomplet"),
        (r#"{"first_name": Léa}"#, "pas du JSON valide"),
        (
            r#"{"first_name": "Léa", "sex": "Girl"}"#,
            "type ou le format attendu",
        ),
    ] {
        let response = send(body).await.expect("sent");
        assert_eq!(response.status(), 400, "{body}");
        let problem = problem(response).await;
        assert_eq!(problem.code.as_str(), "invalid_body");
        let detail = problem.detail.as_str();
        assert!(detail.contains(says), "« {detail} » for {body}");
        assert_french(detail);
    }
    let admin = app.admin().await;
    let bad = app
        .get_as("/api/v1/staff/families?page=abc", &admin.token)
        .await;
    let problem = bad.problem(400).await;
    assert_eq!(problem.code.as_str(), "invalid_parameter");
    assert_french(problem.detail.as_str());
}
