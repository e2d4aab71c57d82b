use crate::helpers::spawn_app;

#[tokio::test]
async fn the_home_page_and_deep_links_serve_the_spa() {
    let app = spawn_app().await;

    for path in [
        "/",
        "/mon-planning/2027-07",
        "/index.html",
        "/administration",
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
async fn admin_pages_start_the_staff_bundle_with_its_own_policy() {
    let app = spawn_app().await;

    for path in ["/admin", "/admin/familles/12", "/admin/anything"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .expect("ascii")
            .to_owned();
        let body = response.text().await.expect("body");
        assert!(body.contains("espace du personnel"), "{path}: {body}");
        assert!(body.contains("/staff/app-0123456789abcdef.js"), "{path}");
        assert_eq!(policy.matches("'sha256-").count(), 1, "{policy}");
    }
}

#[tokio::test]
async fn the_registration_wizard_is_its_own_bundle_and_names_the_commune_too() {
    let app = spawn_app().await;
    app.seed_demo();

    for path in ["/inscription", "/inscription/3"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let body = response.text().await.expect("body");
        assert!(body.contains("Créer mon compte"), "{path}: {body}");
        assert!(
            body.contains("/inscription-app/app-0123456789abcdef.js"),
            "{path}"
        );
        assert!(
            body.contains("data-commune>Commune d'Avermes</span>"),
            "{path}: {body}"
        );
    }
    let parents = app.get("/inscriptions").await.text().await.expect("body");
    assert!(
        parents.contains("<title>Portail Famille</title>"),
        "{parents}"
    );
}

#[tokio::test]
async fn the_loading_shell_names_the_commune_before_the_app_has_loaded() {
    let app = spawn_app().await;
    app.seed_demo();

    let body = app.get("/mon-planning").await.text().await.expect("body");

    assert!(
        body.contains("data-commune>Commune d'Avermes</span>"),
        "{body}"
    );
}

#[tokio::test]
async fn the_loading_shell_is_sent_without_a_name_until_the_commune_is_configured() {
    let app = spawn_app().await;

    let body = app.get("/mon-planning").await.text().await.expect("body");

    assert!(body.contains("data-commune></span>"), "{body}");
}

#[tokio::test]
async fn assets_are_sent_as_compressed_at_build_time_when_the_browser_accepts_it() {
    let app = spawn_app().await;
    let original = std::fs::read(app.static_dir.join("app-0123456789abcdef.js")).expect("js");
    portail_api::assets::compress_dir(&app.static_dir).expect("compressed");

    let brotli = app
        .client
        .get(format!("{}/app-0123456789abcdef.js", app.address))
        .header("Accept-Encoding", "gzip, deflate, br, zstd")
        .send()
        .await
        .expect("response");
    assert_eq!(brotli.status(), 200);
    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert_eq!(brotli.headers()["vary"], "accept-encoding");
    assert!(
        brotli.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .contains("javascript")
    );
    assert_eq!(
        brotli.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let bytes = brotli.bytes().await.expect("body");
    assert_eq!(
        bytes.as_ref(),
        std::fs::read(app.static_dir.join("app-0123456789abcdef.js.br")).expect("br"),
        "the file written at build time, not a new compression"
    );
    let mut decoded = Vec::new();
    std::io::Read::read_to_end(
        &mut brotli::Decompressor::new(bytes.as_ref(), 4096),
        &mut decoded,
    )
    .expect("brotli");
    assert_eq!(decoded, original);

    let gzip = app
        .client
        .get(format!("{}/app-0123456789abcdef.js", app.address))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .expect("response");
    assert_eq!(gzip.headers()["content-encoding"], "gzip");

    let plain = app
        .client
        .get(format!("{}/app-0123456789abcdef.js", app.address))
        .header("Accept-Encoding", "identity")
        .send()
        .await
        .expect("response");
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.expect("body").as_ref(), original);

    let traversal = app
        .client
        .get(format!("{}/..%2f..%2fetc%2fpasswd", app.address))
        .header("Accept-Encoding", "br")
        .send()
        .await
        .expect("response");
    assert_eq!(
        traversal.status(),
        400,
        "a path that leaves the folder is refused, never a file"
    );
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

    let response = app.get("/mes-enfants").await;

    assert_eq!(response.status(), 503);
    let body = response.text().await.expect("body");
    assert!(body.contains("pas encore construite"), "{body}");
}
