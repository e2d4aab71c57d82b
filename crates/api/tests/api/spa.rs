use crate::helpers::spawn_app;

#[tokio::test]
async fn the_home_page_and_deep_links_serve_the_spa() {
    let app = spawn_app().await;

    for path in [
        "/",
        "/admin",
        "/admin/anything",
        "/mon-planning/2027-07",
        "/index.html",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .expect("ascii")
                .starts_with("text/html"),
            "{path}"
        );
        let body = response.text().await.expect("body");
        assert!(body.contains("<title>Portail Famille</title>"), "{path}");
    }
}

#[tokio::test]
async fn the_spa_is_sent_with_a_policy_that_allows_only_its_own_inline_script() {
    let app = spawn_app().await;

    let response = app.get("/").await;

    let policy = response.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(policy.contains("default-src 'self'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert_eq!(policy.matches("'sha256-").count(), 1, "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
}

#[tokio::test]
async fn hashed_assets_are_cached_for_good() {
    let app = spawn_app().await;

    let response = app.get("/app-0123456789abcdef.js").await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn a_missing_spa_build_says_so_in_french() {
    let app = spawn_app().await;
    std::fs::remove_file(app.static_dir.join("index.html")).expect("removed");

    let response = app.get("/admin").await;

    assert_eq!(response.status(), 503);
    let body = response.text().await.expect("body");
    assert!(body.contains("pas encore construite"), "{body}");
}
