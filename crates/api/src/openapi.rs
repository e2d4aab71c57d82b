//! The OpenAPI document: general information here, paths and schemas collected from the routes
//! by `utoipa-actix-web`. `openapi/openapi.json` is this document, committed; a test fails when
//! they drift (`scripts/openapi` regenerates it).

use actix_web::{App, web};
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, scope};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Portail Famille",
        description = "API du portail famille : comptes des familles, dossier, réservations, préinscriptions, factures.\n\nLes erreurs sont au format `application/problem+json` (RFC 9457), avec un `code` stable et un `detail` en français.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    tags(
        (name = "Système", description = "État du service."),
        (name = "Commune", description = "La commune et ses services."),
    ),
    components(schemas(portail_domain::api::Problem, portail_domain::ErrorCode))
)]
pub struct ApiDoc;

/// The API scope with its routes; unknown paths under it answer a 404 problem.
pub fn api_v1_scope() -> utoipa_actix_web::scope::Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    scope::scope("/api/v1")
        .configure(routes::configure)
        .default_service(web::to(crate::spa::api_not_found))
}

/// The complete document, built without a database or a server.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(api_v1_scope())
        .split_for_parts();
    api
}

/// The document as committed: pretty JSON with a final newline.
pub fn spec_json() -> anyhow::Result<String> {
    let mut json = spec().to_pretty_json()?;
    json.push('\n');
    Ok(json)
}
