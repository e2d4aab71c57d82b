//! The OpenAPI document: general information here, paths and schemas collected from the routes
//! by `utoipa-actix-web`. `openapi/openapi.json` is this document, committed; a test fails when
//! they drift (`scripts/openapi` regenerates it).

use actix_web::{App, web};
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, scope};

use crate::error::ApiError;
use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Portail Famille",
        description = "API du portail famille : comptes des familles, dossier, réservations, préinscriptions, factures.\n\nLes erreurs sont au format `application/problem+json` (RFC 9457), avec un `code` stable et un `detail` en français.\n\n## Pour les intégrateurs\n\n1. **Une clé** : un administrateur la crée dans `/admin` → Intégrations, avec ses permissions ; elle n'est affichée qu'une fois (`pf_live_…`).\n2. **Le premier appel** : `curl https://portail.example.fr/api/v1/staff/invoices -H \"Authorization: Bearer pf_live_…\"`.\n3. **Permissions** : chaque opération ouverte aux clés nomme la sienne (exigence de sécurité `cle_api`) ; sans elle, 403 `missing_scope` ; les autres opérations sont fermées aux clés (403 `forbidden`).\n4. **Pages** : `page` et `per_page` (200 au plus) ; pour synchroniser les réservations, `GET /api/v1/staff/bookings` avec `cursor` (le `next_cursor` de la page précédente) ou `updated_since`.\n5. **Limites** : 600 appels par minute et par clé ; au-delà 429 `rate_limited` avec `Retry-After`.\n6. **Webhooks** : des POST JSON signés `Portail-Signature: t=…,v1=…` (HMAC-SHA256 de `t.corps` avec le secret de l'abonnement), renvoyés 24 heures tant que le destinataire ne répond pas 2xx.\n7. **Versions** : `/api/v1` reste compatible (ajouts seulement : opérations, champs, valeurs, événements) ; un changement incompatible irait dans `/api/v2`.\n\nLe guide complet, avec la vérification de la signature en Python : `docs/integrators.md`.",
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
        (name = "Facturation", description = "Tarifs, paramètres PSU, passages de facturation, factures et avoirs, paiements, restes dus (personnel)."),
        (name = "Mes factures", description = "Les factures, les paiements et le solde de la famille ; le paiement en ligne et la notification du prestataire."),
        (name = "Aide aux démarches", description = "En mairie : créer le compte d'une famille avec le parent (avec ou sans adresse e-mail), et agir pour une famille 30 minutes au plus, chaque requête journalisée avec l'agent et la famille."),
        (name = "Messages", description = "Écrire aux services : la famille écrit au service de son choix (ceux qui reçoivent des messages), avec un fichier si besoin ; le personnel du service lit sa boîte de réception, répond, clôt. La famille est prévenue par e-mail qu'un message l'attend, jamais de son contenu. Fermé aux clés d'API."),
        (name = "Rendez-vous", description = "L'aide aux démarches sur rendez-vous en mairie (CCAS ou affaires scolaires) : les créneaux libres et la prise de rendez-vous, publiques et sans compte ; pour le personnel du guichet, l'ouverture des créneaux, l'agenda du jour, le rendez-vous pris au téléphone, venu ou absent."),
        (name = "Mes attestations", description = "L'attestation fiscale des frais de garde d'une année terminée et l'attestation de présence d'un enfant, en JSON et en PDF."),
        (name = "Préinscriptions en crèche", description = "Les préinscriptions pour l'accueil régulier à la crèche : celles de la famille (brouillon, envoi, réponse à une place proposée), et la commission de la crèche (décisions, liste d'attente)."),
        (name = "Intégrations", description = "Pour les logiciels de la commune et de ses partenaires (docs/integrators.md) : clés d'API à permissions, webhooks signés et leur journal d'envois, réservations modifiées depuis un instant, exports CSV. Une opération ouverte aux clés le dit par son exigence de sécurité `cle_api` et la permission qu'elle demande."),
        (name = "Personnel", description = "Connexion du personnel de la mairie et gestion des comptes du personnel."),
    ),
    modifiers(&BearerToken),
    // `Instant` is only named by query parameters, which utoipa does not collect on its own.
    components(schemas(
        portail_domain::api::Problem,
        portail_domain::ErrorCode,
        portail_domain::api::wire::Instant
    ))
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
        components.add_security_scheme(
            crate::route_table::SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("pf_live_…")
                    .description(Some(
                        "Une clé d'API créée par un administrateur («\u{a0}Intégrations\u{a0}»), en `Authorization: Bearer pf_live_…`. L'exigence d'une opération nomme la permission qu'elle demande ; une clé sans elle reçoit 403 `missing_scope`, une opération sans exigence `cle_api` est fermée aux clés. 600 appels par minute et par clé par défaut (429 `rate_limited` avec `Retry-After`).",
                    ))
                    .build(),
            ),
        );
    }
}

/// The answers many operations share, said once here rather than on each route (a route's own
/// description of a status wins): 401 and 403 on every operation that takes a token; 400 on
/// every operation with a query string, a header parameter or a JSON body (malformed); 404 on
/// every operation with a path parameter (a malformed id is an unknown one); 413 and 415 on
/// every operation with a body (too large, not the documented media type); 422 on every
/// operation with a body or a query string (a value refused, with per-field errors); 500 on
/// every operation; 503 on those that wait for a password-hashing slot or the booking writer.
struct CommonProblems;

impl CommonProblems {
    /// Operations that can answer 503: they wait for an argon2 slot (login, anything that sets
    /// or checks a password), or hand the recap to the booking writer (closed at shutdown).
    const BUSY: [&str; 11] = [
        "login",
        "staff_login",
        "register_family",
        "reset_password",
        "reset_staff_password",
        "change_password",
        "change_staff_password",
        "request_email_change",
        "submit_booking_batch",
        "submit_week_pattern",
        "create_staff_booking",
    ];
}

impl utoipa::Modify for CommonProblems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
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
                let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                let parameters = operation.parameters.as_deref().unwrap_or_default();
                let has = |place: ParameterIn| {
                    parameters.iter().any(
                        |p| matches!(p, utoipa::openapi::RefOr::T(p) if p.parameter_in == place),
                    )
                };
                let has_body = operation.request_body.is_some();
                let malformed = has_body || has(ParameterIn::Query) || has(ParameterIn::Header);
                let by_path = has(ParameterIn::Path);
                let mut add = |status: &str, description: &str| {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| problem(description).into());
                };
                if malformed {
                    add(
                        "400",
                        "Requête mal formée : JSON illisible (`invalid_body`), paramètre ou en-tête invalide (`invalid_parameter`).",
                    );
                }
                if secured {
                    add("401", "Jeton absent, expiré ou révoqué : reconnectez-vous.");
                    add(
                        "403",
                        "Ce compte n'a pas accès à cette opération (famille ou personnel, rôle, service confié).",
                    );
                }
                if by_path {
                    add("404", "Introuvable (ou appartenant à une autre famille).");
                }
                let keyed = operation
                    .security
                    .iter()
                    .flatten()
                    .any(|requirement| crate::route_table::scope_in(requirement).is_some());
                if keyed {
                    add(
                        "429",
                        "Trop d'appels avec cette clé d'API cette minute (`rate_limited`, avec `Retry-After`).",
                    );
                }
                if has_body || has(ParameterIn::Query) {
                    add(
                        "422",
                        "Une valeur est refusée : `errors` donne, champ par champ, la raison en français.",
                    );
                }
                if Self::BUSY.contains(&operation.operation_id.as_deref().unwrap_or_default()) {
                    add(
                        "503",
                        "Serveur momentanément occupé (`service_unavailable`, avec `Retry-After`) : le calcul des mots de passe est saturé, ou le serveur s'arrête.",
                    );
                }
                add(
                    "500",
                    "Erreur inattendue (`internal`), consignée dans le journal du serveur.",
                );
                if has_body {
                    add(
                        "413",
                        "Corps de la requête trop volumineux (`payload_too_large`).",
                    );
                    add(
                        "415",
                        "Le corps n'est pas du type documenté (`Content-Type`).",
                    );
                }
            }
        }
    }
}

/// Files go as bytes (`type: string, format: binary`, not an array of integers): an upload is
/// any bytes (its type is recognised from its content, not from `Content-Type`), a download is
/// one of the three types an upload can be, and the attendance sheet is CSV text.
struct Files;

impl Files {
    const DOWNLOADS: [&str; 2] = ["download_document", "download_family_document"];
    const UPLOADS: [&str; 1] = ["upload_document"];
}

impl utoipa::Modify for Files {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        use utoipa::openapi::{ContentBuilder, RefOr};
        let binary = || {
            ContentBuilder::new()
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary))),
                ))
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [&mut item.get, &mut item.post].into_iter().flatten() {
                let id = operation.operation_id.as_deref().unwrap_or_default();
                if Self::DOWNLOADS.contains(&id)
                    && let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200")
                {
                    // The media types a stored document can have.
                    ok.content = portail_service::family::inspect::Kind::ALL
                        .iter()
                        .map(|kind| (kind.content_type().to_owned(), RefOr::T(binary())))
                        .collect();
                }
                if Self::UPLOADS.contains(&id)
                    && let Some(RefOr::T(body)) = operation.request_body.as_mut()
                {
                    for content in body.content.values_mut() {
                        *content = RefOr::T(binary());
                    }
                }
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
        .default_service(web::to(unrouted))
}

/// What answers a request no route took: `405` with `Allow` when the path is an operation's
/// with another method (`OPTIONS` answers `204` with the same `Allow`), `404` otherwise. The
/// paths and their methods are read from this document, so they cannot drift from the routes.
async fn unrouted(req: actix_web::HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    use actix_web::http::{Method, header};
    let allowed = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .and_then(|state| state.routes.methods_of(req.path()));
    let Some(allowed) = allowed else {
        return crate::spa::api_not_found(req).await;
    };
    let allow = allowed.join(", ");
    if req.method() == Method::OPTIONS {
        return Ok(actix_web::HttpResponse::NoContent()
            .insert_header((header::ALLOW, allow))
            .finish());
    }
    tracing::debug!(method = %req.method(), path = %req.path(), "method not allowed");
    let mut response = actix_web::ResponseError::error_response(&ApiError::new(
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        portail_domain::ErrorCode::MethodNotAllowed,
        format!(
            "La méthode {} n'est pas permise sur cette adresse (méthodes permises : {allow}).",
            req.method()
        ),
    ));
    if let Ok(value) = header::HeaderValue::from_str(&allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    Ok(response)
}

/// The complete document, built without a database or a server.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(api_v1_scope())
        .split_for_parts();
    utoipa::Modify::modify(&CommonProblems, &mut api);
    utoipa::Modify::modify(&Files, &mut api);
    api
}

/// The document as committed: pretty JSON with a final newline.
pub fn spec_json() -> anyhow::Result<String> {
    let mut json = spec().to_pretty_json()?;
    json.push('\n');
    Ok(json)
}
