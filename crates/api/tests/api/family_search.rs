//! The staff's search of families (`GET /staff/families?q=`): by a guardian's or a child's
//! name, or the account's e-mail, in part and whatever the case; kept right by the database's
//! triggers when a name changes; one bounded statement whatever the number of matches (50,000
//! families on both databases: it answered 500 « too many SQL variables » before).

use serde_json::{Value, json};

use crate::family_helpers::complete_child;
use crate::helpers::{TestApp, spawn_app};

async fn search(app: &TestApp, token: &str, query: &str) -> Value {
    let response = app
        .get_as(&format!("/api/v1/staff/families?{query}"), token)
        .await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.expect("json")
}

fn holders(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|f| f["holder_name"].as_str().expect("holder").to_owned())
        .collect()
}

#[tokio::test]
async fn a_family_is_found_by_a_guardian_a_child_or_its_e_mail_and_after_a_rename() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;

    for (query, holder) in [
        ("q=bern", "Bernard Julien"),
        ("q=HUGO", "Bernard Julien"),
        ("q=%20famille.petit%40", "Petit Camille"),
        ("q=durand%20marie", "Durand Marie"),
        ("q=Lucas&status=validated", "Durand Marie"),
    ] {
        let found = search(&app, &admin.token, query).await;
        assert_eq!(holders(&found), [holder], "{query}");
        assert_eq!(found["total"], 1, "{query}");
    }
    // A status narrows the search; the counts by status stay those of every file.
    let none = search(&app, &admin.token, "q=Lucas&status=submitted").await;
    assert_eq!(none["total"], 0);
    assert_eq!(none["counts"]["validated"], 1);
    assert_eq!(none["counts"]["submitted"], 1);
    // The pattern's own wildcards are looked for as written.
    for query in ["q=%25", "q=_", "q=%5C"] {
        assert_eq!(
            search(&app, &admin.token, query).await["total"],
            0,
            "{query}"
        );
    }

    // A family renames its child: the search follows at once (a trigger keeps the line).
    let (family, child_id) = app.submitted_family().await;
    let family_id = app.family_id(&family).await;
    let found = search(&app, &admin.token, "q=L%C3%A9a").await;
    assert!(
        found["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|f| f["family_id"] == family_id.as_str()),
        "Léa is found: {found}"
    );
    let renamed = app
        .put_as(
            &format!("/api/v1/children/{child_id}"),
            &family.token,
            &complete_child("Zoéline"),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let found = search(&app, &admin.token, "q=zo%C3%A9line").await;
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["items"][0]["family_id"], family_id.as_str());
    // Removed from the line with the child.
    assert_eq!(
        app.delete_as(&format!("/api/v1/children/{child_id}"), &family.token)
            .await
            .status(),
        204
    );
    assert_eq!(
        search(&app, &admin.token, "q=zo%C3%A9line").await["total"],
        0
    );
    // A second guardian added to the household, then renamed.
    let mut household = crate::family_helpers::complete_household();
    household["second_guardian"] = json!({"civility": "monsieur", "last_name": "Quintavalle", "first_name": "Paul", "mobile_phone": "06 98 76 54 32"});
    assert_eq!(
        app.put_as("/api/v1/household", &family.token, &household)
            .await
            .status(),
        200
    );
    let found = search(&app, &admin.token, "q=quintaval").await;
    assert_eq!(
        found["items"][0]["family_id"],
        family_id.as_str(),
        "{found}"
    );
    household["second_guardian"]["last_name"] = json!("Ortolani");
    assert_eq!(
        app.put_as("/api/v1/household", &family.token, &household)
            .await
            .status(),
        200
    );
    assert_eq!(search(&app, &admin.token, "q=quintaval").await["total"], 0);
    assert_eq!(search(&app, &admin.token, "q=ortolani").await["total"], 1);
}

#[tokio::test]
async fn a_search_matching_fifty_thousand_families_is_counted_and_paged() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    assert_eq!(app.seeded_families("grande", 50_000).len(), 50_000);

    // Every family matches (« grande » is in each e-mail): counted, one page sent.
    let all = search(&app, &admin.token, "q=grande").await;
    assert_eq!(all["total"], 50_000);
    assert_eq!(all["items"].as_array().map(Vec::len), Some(50));
    assert!(all["counts"]["validated"].as_u64() >= Some(50_000));
    // The last page, far down the list.
    let last = search(&app, &admin.token, "q=grande&page=250&per_page=200").await;
    assert_eq!(last["items"].as_array().map(Vec::len), Some(200));
    let beyond = search(&app, &admin.token, "q=grande&page=251&per_page=200").await;
    assert_eq!(beyond["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(beyond["total"], 50_000);
    // One family among them, by its whole address.
    let one = search(&app, &admin.token, "q=grande.4242%40").await;
    assert_eq!(one["total"], 1);
    assert_eq!(one["items"][0]["email"], "grande.4242@bench.example");
    // Nobody.
    assert_eq!(search(&app, &admin.token, "q=dupont").await["total"], 0);
}
