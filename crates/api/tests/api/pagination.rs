//! Lists with pages: a page or a size out of range is refused in French (422, per field),
//! never clamped, and a huge page cannot overflow the offset (it dropped the connection).

use crate::helpers::{problem, spawn_app};

#[tokio::test]
async fn a_huge_page_or_a_page_size_over_the_maximum_is_refused_by_field() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for path in ["/api/v1/staff/families", "/api/v1/staff/audit-events"] {
        let huge = app
            .get_as(&format!("{path}?page=9223372036854775807"), &admin.token)
            .await;
        assert_eq!(huge.status(), 422, "{path}");
        let body = problem(huge).await;
        assert_eq!(body.code.as_str(), "validation_failed");
        assert_eq!(body.errors[0].field, "page");
        let wide = app
            .get_as(&format!("{path}?per_page=1000"), &admin.token)
            .await;
        assert_eq!(wide.status(), 422, "{path}: refused, not clamped to 200");
        assert_eq!(problem(wide).await.errors[0].field, "per_page");
        let fine = app
            .get_as(&format!("{path}?page=2&per_page=200"), &admin.token)
            .await;
        assert_eq!(fine.status(), 200, "{path}");
    }
}
