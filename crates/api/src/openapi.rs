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
        (name = "Comptes famille", description = "Inscription, confirmation de l'adresse, connexion, mot de passe oublié."),
        (name = "Mon compte", description = "Le compte de la famille connectée."),
        (name = "Dossier famille", description = "Mon foyer, Mes enfants, Mes documents, l'envoi du dossier."),
        (name = "Dossiers (personnel)", description = "La file de travail, le dossier d'une famille, les décisions."),
        (name = "Planning", description = "Mon planning : la grille du mois, l'état récapitulatif, les réservations."),
        (name = "Planning (personnel)", description = "Règles, périodes, prestations, capacités, feuilles de présence, souhaits."),
        (name = "Administration", description = "Journal d'audit, pièces exigées, réglages, services des agents."),
        (name = "Personnel", description = "Connexion du personnel de la mairie et gestion des comptes du personnel."),
    ),
    modifiers(&BearerToken),
    components(schemas(portail_domain::api::Problem, portail_domain::ErrorCode))
)]
pub struct ApiDoc;

/// The `jeton` security scheme: the access token from a login, as `Authorization: Bearer …`.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "jeton",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Le jeton d'accès renvoyé par la connexion (15 minutes).",
                    ))
                    .build(),
            ),
        );
    }
}

/// Every operation that takes a token may answer 401 (no token, or an expired or revoked one)
/// and 403 (a token of the other realm, or a role or service that does not allow it): said
/// once here rather than on each route.
struct AuthProblems;

impl utoipa::Modify for AuthProblems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    crate::error::PROBLEM_JSON,
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                if operation.security.as_ref().is_none_or(Vec::is_empty) {
                    continue;
                }
                let responses = &mut operation.responses.responses;
                responses.entry("401".to_owned()).or_insert_with(|| {
                    problem("Jeton absent, expiré ou révoqué : reconnectez-vous.").into()
                });
                responses.entry("403".to_owned()).or_insert_with(|| {
                    problem("Ce compte n'a pas accès à cette opération (famille ou personnel, rôle, service confié).").into()
                });
            }
        }
    }
}

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
        .wrap(actix_web::middleware::from_fn(crate::auth::caller::resolve))
        .wrap(actix_web::middleware::from_fn(crate::error::catch_panics))
        .configure(routes::configure)
        .default_service(web::to(crate::spa::api_not_found))
}

/// The complete document, built without a database or a server.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(api_v1_scope())
        .split_for_parts();
    utoipa::Modify::modify(&AuthProblems, &mut api);
    api
}

/// The document as committed: pretty JSON with a final newline.
pub fn spec_json() -> anyhow::Result<String> {
    let mut json = spec().to_pretty_json()?;
    json.push('\n');
    Ok(json)
}
