//! The legal pages: `GET /api/v1/legal/{slug}` (public), `PUT /api/v1/staff/legal/{slug}`
//! (administrators), and the same pages as plain HTML at `/mentions-legales`,
//! `/donnees-personnelles` and `/accessibilite`, which every page's footer links (readable
//! without JavaScript, and no weight added to the parents' app).

use actix_web::http::header;
use actix_web::{HttpResponse, get, put, web};
use portail_domain::api::{LegalPageRequest, LegalPageResponse, Problem};
use portail_domain::legal::{Block, LegalPage, blocks};

use crate::auth::AdminUser;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::spa::escape_html;
use crate::state::AppState;

fn page_of(slug: &str) -> Result<LegalPage, ApiError> {
    LegalPage::parse(slug).ok_or_else(ApiError::not_found)
}

/// Une page légale : « mentions-legales », « donnees-personnelles » ou « accessibilite ».
#[utoipa::path(
    tag = "Commune",
    params(("slug" = String, Path, description = "`mentions-legales`, `donnees-personnelles` ou `accessibilite`.")),
    responses(
        (status = 200, description = "La page.", body = LegalPageResponse),
        problem::LegalPageUnknown,
    )
)]
#[get("/legal/{slug}")]
pub async fn get_legal_page(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let page = page_of(&path)?;
    let text = portail_service::legal::page(&state.ctx, page, state.config.retention).await?;
    Ok(HttpResponse::Ok().json(text))
}

/// Remplacer le texte d'une page légale (administrateurs) ; un texte vide revient à celui que
/// le portail rédige à partir des réglages de la commune.
#[utoipa::path(
    tag = "Commune",
    security(("jeton" = [])),
    params(("slug" = String, Path, description = "`mentions-legales`, `donnees-personnelles` ou `accessibilite`.")),
    request_body = LegalPageRequest,
    responses(
        (status = 200, description = "La page telle qu'elle est désormais.", body = LegalPageResponse),
        problem::AdministratorsOnly,
        problem::LegalPageUnknown,
        (status = 422, description = "Texte trop long (`errors`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/legal/{slug}")]
pub async fn set_legal_page(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<LegalPageRequest>,
) -> Result<HttpResponse, ApiError> {
    let page = page_of(&path)?;
    let text = body.validate()?;
    portail_service::legal::set(&state.ctx, page, text, admin.staff_id.uuid()).await?;
    let text = portail_service::legal::page(&state.ctx, page, state.config.retention).await?;
    Ok(HttpResponse::Ok().json(text))
}

/// The page as HTML, for the footer's links.
pub async fn legal_html(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let page = page_of(req.path().trim_start_matches('/'))?;
    let text = portail_service::legal::page(&state.ctx, page, state.config.retention).await?;
    let mut html = String::with_capacity(text.body.len().saturating_mul(2));
    for block in blocks(&text.body) {
        match block {
            Block::Heading(h) => html.push_str(&format!("<h2>{}</h2>\n", escape_html(&h))),
            Block::Paragraph(p) => html.push_str(&format!("<p>{}</p>\n", escape_html(&p))),
            Block::List(items) => {
                html.push_str("<ul>\n");
                for item in items {
                    html.push_str(&format!("<li>{}</li>\n", escape_html(&item)));
                }
                html.push_str("</ul>\n");
            }
        }
    }
    let links: String = LegalPage::ALL
        .iter()
        .map(|p| {
            let current = if *p == page {
                " aria-current=\"page\""
            } else {
                ""
            };
            format!(
                "<a href=\"/{}\"{current}>{}</a>",
                p.slug(),
                escape_html(p.title())
            )
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let updated = text
        .updated_at
        .map(|at| {
            format!(
                "<p class=\"maj\">Mise à jour le {}.</p>",
                portail_domain::format::date_fr(at.date_naive())
            )
        })
        .unwrap_or_default();
    let body = format!(
        "<!doctype html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} — Portail Famille</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <a class=\"evitement\" href=\"#contenu\">Aller au contenu</a>\n\
         <header><a href=\"/\">Portail Famille</a></header>\n\
         <main id=\"contenu\">\n<h1>{title}</h1>\n{html}{updated}</main>\n\
         <footer><nav aria-label=\"Pages légales\">{links}</nav></footer>\n</body>\n</html>\n",
        title = escape_html(&text.title),
    );
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body))
}

const STYLE: &str = "body{margin:0;font:1rem/1.6 system-ui,sans-serif;color:#1b1f24;background:#f5f6f8}\
header{background:#1d3f72;padding:.75rem 1rem}header a{color:#fff;font-weight:700;text-decoration:none}\
main{max-width:46rem;margin:0 auto;padding:1rem 1rem 2rem}h1{font-size:1.6rem;line-height:1.25}\
h2{font-size:1.2rem;margin-top:1.75rem}a{color:#1d3f72}.maj{color:#4a5563;font-size:.9rem}\
footer{border-top:1px solid #d5d9e0;padding:1rem;text-align:center}\
.evitement{position:absolute;left:-999px}.evitement:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}";
