//! Serving the built single-page app: real files when they exist, `index.html` for every other
//! path (so `/admin/...` and deep links survive a reload), never for `/api/...`.
//!
//! `index.html` is sent with a Content-Security-Policy that allows only our own scripts: Trunk's
//! one inline loader script is allowed by its SHA-256, computed from the file being served.

use std::path::{Path, PathBuf};

use actix_files::Files;
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// `/api/...` paths that match no route.
pub async fn api_not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    tracing::debug!(path = %req.path(), "no API route for this path");
    Err(ApiError::not_found())
}

/// `/` and `/index.html`.
pub async fn index(state: web::Data<AppState>) -> HttpResponse {
    serve_index(&state.config.static_dir).await
}

/// The built files, with `index.html` for any path that is not one.
pub fn files(static_dir: PathBuf) -> Files {
    let fallback_dir = static_dir.clone();
    Files::new("/", static_dir)
        .use_etag(true)
        .default_handler(fn_service(move |req: ServiceRequest| {
            let dir = fallback_dir.clone();
            async move {
                let (req, _) = req.into_parts();
                Ok(ServiceResponse::new(req, serve_index(&dir).await))
            }
        }))
}

async fn serve_index(static_dir: &Path) -> HttpResponse {
    let path = static_dir.join("index.html");
    match tokio::fs::read(&path).await {
        Ok(html) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .insert_header((
                header::CONTENT_SECURITY_POLICY,
                content_security_policy(&html),
            ))
            .body(html),
        Err(error) => {
            tracing::warn!(path = %path.display(), error = %error, "the SPA is not built");
            HttpResponse::ServiceUnavailable()
                .content_type("text/html; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body(NOT_BUILT_PAGE)
        }
    }
}

/// The policy for a page: our own origin only, plus the page's inline scripts by hash.
/// `'wasm-unsafe-eval'` lets the page compile its own WebAssembly, nothing else.
pub fn content_security_policy(html: &[u8]) -> String {
    let hashes: String = inline_scripts(html)
        .map(|script| {
            let digest = Sha256::digest(script);
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The bodies of the `<script>` elements that have no `src`.
fn inline_scripts(html: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let start = find(rest, b"<script")?;
            let after_tag = &rest[start..];
            let open_end = find(after_tag, b">")?;
            let open_tag = &after_tag[..open_end];
            let body = &after_tag[open_end + 1..];
            let close = find(body, b"</script>")?;
            rest = &body[close..];
            if find(open_tag, b"src=").is_none() {
                return Some(&body[..close]);
            }
        }
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Trunk names assets by content hash: those can be cached forever; everything else is
/// revalidated, so a new release is seen at the next load.
pub fn cache_control_for(path: &str) -> HeaderValue {
    let file = path.rsplit('/').next().unwrap_or_default();
    let has_content_hash = [".wasm", ".js", ".css"]
        .iter()
        .any(|ext| file.ends_with(ext))
        && file
            .rsplit_once('-')
            .map(|(_, tail)| tail.split(['.', '_']).next().unwrap_or_default())
            .is_some_and(|hash| hash.len() >= 16 && hash.chars().all(|c| c.is_ascii_hexdigit()));
    if has_content_hash {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("no-cache")
    }
}

const NOT_BUILT_PAGE: &str = "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Portail Famille</title><p>L'application web n'est pas encore construite. Lancez <code>scripts/run</code> (ou <code>trunk build --release</code>) puis rechargez la page.</p></html>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_immutable_and_the_rest_is_revalidated() {
        assert_eq!(
            cache_control_for("/portail-frontend-b5c630b027415a59_bg.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control_for("/main-59494533e0120095.css"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control_for("/index.html"), "no-cache");
        assert_eq!(cache_control_for("/admin/familles"), "no-cache");
        assert_eq!(cache_control_for("/favicon.svg"), "no-cache");
        assert_eq!(cache_control_for("/mon-planning.js"), "no-cache");
    }

    #[test]
    fn only_inline_scripts_are_hashed_into_the_policy() {
        let html = b"<html><script type=module>import init from '/a.js';</script>\
            <script src=/b.js></script><script>x()</script></html>";
        let scripts: Vec<&[u8]> = inline_scripts(html).collect();
        assert_eq!(
            scripts,
            vec![&b"import init from '/a.js';"[..], &b"x()"[..]]
        );
        let policy = content_security_policy(html);
        assert_eq!(policy.matches("'sha256-").count(), 2, "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn a_page_without_inline_script_allows_none() {
        let policy = content_security_policy(b"<html><script src=/a.js></script></html>");
        assert!(!policy.contains("sha256"), "{policy}");
    }
}
