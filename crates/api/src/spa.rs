//! Serving the built single-page app: real files when they exist (their `.br`/`.gz` twin when
//! the browser accepts it, see [`precompressed`]), else the page of the path's bundle:
//! `staff/index.html` for `/admin/...`, `inscription-app/index.html` for `/inscription/...`,
//! `index.html` for every other path (so deep links
//! survive a reload), never for `/api/...`.
//!
//! `index.html` is sent with a Content-Security-Policy that allows only our own scripts: Trunk's
//! one inline loader script is allowed by its SHA-256, computed from the file being served.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::Method;
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::middleware::Next;
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

/// A page of the app: the bundle's `index.html` for the path.
pub async fn index(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    serve_index(&state, req.path()).await
}

/// The built files, with the bundle's `index.html` for any path that is not one.
pub fn files(static_dir: PathBuf) -> Files {
    Files::new("/", static_dir)
        .use_etag(true)
        .default_handler(fn_service(|req: ServiceRequest| async move {
            let (req, _) = req.into_parts();
            let response = match req.app_data::<web::Data<AppState>>() {
                Some(state) => serve_index(state, req.path()).await,
                None => HttpResponse::NotFound().finish(),
            };
            Ok(ServiceResponse::new(req, response))
        }))
}

/// The page that starts the bundle a path belongs to: the staff's for `/admin` (and the staff
/// bundle's own folder), registration and account recovery's for `/inscription`,
/// `/confirmer-email`, `/mot-de-passe-oublie`, `/mot-de-passe/…` (and its folder) — and the
/// crèche pre-registrations' `/mes-preinscriptions` (a form filled once, like registration) and
/// `/confirmer-nouvel-email`, and « Mon calendrier » `/mon-calendrier` (set up once) —,
/// the parents' for everything else. The browser app agrees: a path its bundle does not draw is
/// loaded from the server (`app::FullLoad`).
pub fn index_file(path: &str) -> &'static str {
    let under = |roots: &[&str]| {
        roots
            .iter()
            .any(|root| path == *root || path.starts_with(&format!("{root}/")))
    };
    if under(&["/admin", "/staff"]) {
        "staff/index.html"
    } else if under(&[
        "/inscription",
        "/inscription-app",
        "/confirmer-email",
        "/mot-de-passe-oublie",
        "/mot-de-passe",
        "/mes-preinscriptions",
        "/confirmer-nouvel-email",
        "/rendez-vous",
    ]) {
        "inscription-app/index.html"
    } else if under(&[
        "/espace-app",
        "/mon-compte",
        "/mon-calendrier",
        "/ma-semaine-type",
        "/mes-attestations",
        "/mes-messages",
        "/mon-prelevement",
    ]) {
        "espace-app/index.html"
    } else {
        "index.html"
    }
}

async fn serve_index(state: &AppState, request_path: &str) -> HttpResponse {
    let path = state.config.static_dir.join(index_file(request_path));
    match tokio::fs::read(&path).await {
        Ok(html) => {
            // Only a shell that shows the name costs a database read (not the staff's).
            let commune = if find(&html, COMMUNE_MARK).is_none() {
                None
            } else {
                match portail_service::commune::name(&state.ctx.db).await {
                    Ok(name) => name,
                    Err(error) => {
                        tracing::warn!(error = %error, "the page shell is sent without the commune's name");
                        None
                    }
                }
            };
            let html = with_commune_name(html, commune.as_deref());
            HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, "no-cache"))
                .insert_header((
                    header::CONTENT_SECURITY_POLICY,
                    content_security_policy(&html),
                ))
                .body(html)
        }
        Err(error) => {
            tracing::warn!(path = %path.display(), error = %error, "the SPA is not built");
            HttpResponse::ServiceUnavailable()
                .content_type("text/html; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body(NOT_BUILT_PAGE)
        }
    }
}

/// Where the loading shell of `index.html` takes the commune's name.
const COMMUNE_MARK: &[u8] = b"data-commune></span>";

/// Writes « Commune d'Avermes » into the loading shell's `data-commune` element, so the page
/// names the commune before the app has loaded.
fn with_commune_name(html: Vec<u8>, commune: Option<&str>) -> Vec<u8> {
    const MARK: &[u8] = COMMUNE_MARK;
    let (Some(name), Some(at)) = (commune, find(&html, MARK)) else {
        return html;
    };
    let text = escape_html(&format!(
        "Commune {}",
        portail_domain::format::of_place(name)
    ));
    let insert_at = at + MARK.len() - b"</span>".len();
    let mut out = Vec::with_capacity(html.len() + text.len());
    out.extend_from_slice(&html[..insert_at]);
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&html[insert_at..]);
    out
}

/// Escapes text for an element's content (not for an attribute).
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Sends `file.br` (or `file.gz`) for `file` when the browser accepts that encoding and
/// `portail compress-assets` wrote it; every other request goes on to the plain files.
pub async fn precompressed(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if let Some(response) = precompressed_response(&req).await {
        return Ok(req.into_response(response));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

async fn precompressed_response(req: &ServiceRequest) -> Option<HttpResponse> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return None;
    }
    let state = req.app_data::<web::Data<AppState>>()?;
    let relative = safe_asset_path(req.path())?;
    let extension = relative.rsplit_once('.')?.1;
    if !crate::assets::COMPRESSIBLE.contains(&extension) {
        return None;
    }
    let accepted = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let original = state.config.static_dir.join(relative);
    for (coding, suffix, encoding) in [
        ("br", "br", ContentEncoding::Brotli),
        ("gzip", "gz", ContentEncoding::Gzip),
    ] {
        if !accepts_encoding(accepted, coding) {
            continue;
        }
        let compressed = crate::assets::with_suffix(&original, suffix);
        let Ok(Ok(file)) = web::block(move || NamedFile::open(compressed)).await else {
            continue;
        };
        let mut response = file
            .set_content_type(actix_files::file_extension_to_mime(extension))
            .set_content_encoding(encoding)
            .disable_content_disposition()
            .use_etag(true)
            .into_response(req.request());
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        return Some(response);
    }
    None
}

/// The path of an asset below the static folder, when it is a plain one: letters, digits,
/// `-`, `_`, `.` and `/`, no `..`, no hidden file. Anything else is left to `actix-files`.
fn safe_asset_path(path: &str) -> Option<&str> {
    let relative = path.strip_prefix('/')?;
    let plain = !relative.is_empty()
        && relative
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
        && relative
            .split('/')
            .all(|segment| !segment.is_empty() && !segment.starts_with('.'));
    plain.then_some(relative)
}

/// Whether an `Accept-Encoding` value accepts `coding` (listed, with a non-zero `q`).
pub fn accepts_encoding(header: &str, coding: &str) -> bool {
    header.split(',').any(|item| {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let refused = parts.any(|param| {
            let param = param.trim();
            param
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        name.eq_ignore_ascii_case(coding) && !refused
    })
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
    fn admin_paths_start_the_staff_bundle_and_the_others_the_parents_one() {
        for path in [
            "/admin",
            "/admin/",
            "/admin/familles/3",
            "/staff/index.html",
        ] {
            assert_eq!(index_file(path), "staff/index.html", "{path}");
        }
        for path in [
            "/inscription",
            "/inscription/3",
            "/inscription-app/index.html",
            "/confirmer-email",
            "/mot-de-passe-oublie",
            "/mot-de-passe/nouveau",
            "/mes-preinscriptions",
            "/mes-preinscriptions/nouvelle",
            "/confirmer-nouvel-email",
            "/rendez-vous",
        ] {
            assert_eq!(index_file(path), "inscription-app/index.html", "{path}");
        }
        for path in [
            "/espace-app/index.html",
            "/mon-compte",
            "/mon-calendrier",
            "/ma-semaine-type",
            "/mes-attestations",
            "/mes-messages",
            "/mes-messages/0193f3c2-7a1e-7b3c-9d2e-5f6a7b8c9d0e",
            "/mon-prelevement",
        ] {
            assert_eq!(index_file(path), "espace-app/index.html", "{path}");
        }
        for path in [
            "/",
            "/index.html",
            "/administration",
            "/mon-planning",
            "/staffing",
            "/inscriptions",
            "/mes-preinscriptionsX",
        ] {
            assert_eq!(index_file(path), "index.html", "{path}");
        }
    }

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts_encoding("gzip, deflate, br, zstd", "br"));
        assert!(accepts_encoding("br;q=0.5", "br"));
        assert!(accepts_encoding("BR", "br"));
        assert!(!accepts_encoding("br;q=0", "br"));
        assert!(!accepts_encoding("gzip", "br"));
        assert!(!accepts_encoding("", "br"));
        assert!(!accepts_encoding("brotli", "br"));
    }

    #[test]
    fn only_plain_asset_paths_are_looked_up() {
        assert_eq!(
            safe_asset_path("/staff/app-1_bg.wasm"),
            Some("staff/app-1_bg.wasm")
        );
        for path in [
            "/",
            "/../secret.js",
            "/a/../b.js",
            "/.hidden.js",
            "//x.js",
            "/a%2e.js",
            "/a b.js",
        ] {
            assert_eq!(safe_asset_path(path), None, "{path}");
        }
    }

    #[test]
    fn the_commune_is_named_in_the_shell_escaped() {
        let html = b"<span class=c data-commune></span>".to_vec();
        let out = with_commune_name(html.clone(), Some("Avermes"));
        assert_eq!(
            out,
            b"<span class=c data-commune>Commune d'Avermes</span>".to_vec()
        );
        let out = with_commune_name(html.clone(), Some("<b>&"));
        assert_eq!(
            out,
            b"<span class=c data-commune>Commune de &lt;b&gt;&amp;</span>".to_vec()
        );
        assert_eq!(with_commune_name(html.clone(), None), html);
    }

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
