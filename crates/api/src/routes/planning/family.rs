use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use anyhow::Context as _;
use portail_domain::api::{
    BookableService, BookableServiceList, BookingBatchRequest, BookingBatchResponse,
    BookingListResponse, PlanningQuery, PlanningResponse, Problem, RecapAnswerListResponse,
    SavedWeekPatternList, WaitingListRequest, WaitingListResponse, WeekPatternRequest,
    WeekPatternResponse,
};
use portail_service::planning::grid::{self};
use portail_service::planning::pattern;
use portail_service::planning::submit::{self, SubmitError};
use portail_service::planning::waiting::{self};

use crate::auth::AuthenticatedFamily;
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;
use portail_domain::ids::ChildId;

/// Les services où l'on réserve des dates, avec leurs prestations.
#[utoipa::path(tag = "Planning", responses((status = 200, description = "Les services réservables.", body = BookableServiceList)))]
#[get("/services")]
pub async fn list_services(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let catalog = state.ctx.planning.catalog.get(&state.ctx.db).await?;
    let now = state.ctx.clock.now();
    let items: Vec<BookableService> = catalog
        .services
        .iter()
        .filter_map(|s| {
            let units: Vec<_> = catalog
                .units_of(s.code)
                .map(|u| portail_domain::api::UnitSummary {
                    id: u.id,
                    name: u.name.clone(),
                    price_cents: u.price_cents,
                    overlaps: u.overlaps.clone(),
                })
                .collect();
            (!units.is_empty()).then(|| BookableService {
                code: s.code,
                name: s.name.clone(),
                mode: s.rules.mode,
                min_age_months: s.rules.min_age_months,
                max_age_months: s.rules.max_age_months,
                units,
                first_month: portail_domain::rules::planning::month_to_open(
                    catalog
                        .periods
                        .iter()
                        .filter(|p| p.service == s.code)
                        .map(|p| &p.rules),
                    now,
                )
                .map(portail_domain::format::year_month),
            })
        })
        .collect();
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(BookableServiceList { items, total }))
}

/// Le planning d'un enfant pour un service et un mois : l'état de chaque jour et prestation,
/// et ce qu'il est possible de réserver ou d'annuler maintenant (et pourquoi pas).
#[utoipa::path(
    tag = "Planning", security(("jeton" = [])), params(PlanningQuery),
    responses(
        (status = 200, description = "Le planning du mois.", body = PlanningResponse),
        (status = 404, description = "Pas d'enfant de ce nom dans la famille, ou service sans réservation.", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Mois mal formé (`AAAA-MM`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/planning")]
pub async fn get_planning(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    query: web::Query<PlanningQuery>,
) -> Result<HttpResponse, ApiError> {
    let planning = grid::planning(
        &state.ctx,
        family.family_id,
        ChildId::from(query.child_id),
        query.service,
        &query.month,
    )
    .await
    .map_err(ApiError::from)?;
    // A month is 15-25 KB of JSON: written into a buffer of about that size at once, rather
    // than one that doubles its way there (a measurable copy in the grid's profile).
    let cells = planning.days.len() * planning.units.len();
    let mut body = Vec::with_capacity(1024 + cells * 200);
    serde_json::to_writer(&mut body, &planning).context("Failed to write a month grid")?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body))
}

/// Valider l'état récapitulatif : toutes les lignes en une fois.
///
/// Chaque ligne est vérifiée de nouveau (dossier validé, âge, période, fenêtre, délai, règle du
/// lundi, ouverture, capacité) ; les lignes acceptées sont enregistrées, les autres disent
/// pourquoi. L'en-tête `Idempotency-Key` est obligatoire : un nouvel envoi avec la même clé et
/// le même contenu renvoie la première réponse sans rien changer.
#[utoipa::path(
    tag = "Planning", security(("jeton" = [])), request_body = BookingBatchRequest,
    params(("Idempotency-Key" = String, Header, pattern = r"^[\x21-\x7E]{1,100}$", description = "Une clé unique par récapitulatif (par exemple un UUID) : 1 à 100 caractères ASCII visibles.")),
    responses(
        (status = 200, description = "Le résultat, ligne par ligne.", body = BookingBatchResponse),
        (status = 400, description = "Clé d'idempotence absente ou mal formée.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Le même envoi est en cours (`idempotency_in_progress`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Récapitulatif vide ou trop long, ou clé déjà utilisée pour un autre contenu (`idempotency_key_reused`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bookings/batch")]
pub async fn submit_booking_batch(
    AuthenticatedFamily(family): AuthenticatedFamily,
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<BookingBatchRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency_key(&req)?;
    let response = submit::submit(&state.ctx, family.family_id, &body, Some(key), None)
        .await
        .map_err(ApiError::from)?;
    state.metrics.booking_answer(&response);
    Ok(HttpResponse::Ok().json(response))
}

/// Aperçu d'une semaine type (« Réserver chaque semaine ») : chaque date de la période, et ce
/// qu'elle deviendrait — réservée, souhait envoyé, annulée, déjà faite, ou refusée et pourquoi
/// (fermeture, vacances, délai, complet, âge). Rien n'est enregistré.
#[utoipa::path(
    tag = "Planning", security(("jeton" = [])), request_body = WeekPatternRequest,
    responses(
        (status = 200, description = "L'aperçu, date par date.", body = WeekPatternResponse),
        (status = 404, description = "Un enfant d'une autre famille.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Période à l'envers ou trop longue (400 jours, 800 lignes), aucun jour choisi, une prestation d'un autre service, deux prestations qui se chevauchent un même jour.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bookings/pattern/preview")]
pub async fn preview_week_pattern(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    body: Json<WeekPatternRequest>,
) -> Result<HttpResponse, ApiError> {
    let preview = pattern::preview(&state.ctx, family.family_id, &body).await?;
    Ok(HttpResponse::Ok().json(preview))
}

/// Envoyer une semaine type : toutes ses lignes en un récapitulatif (une par date et
/// prestation), chacune acceptée ou refusée comme dans « Mon planning ». L'en-tête
/// `Idempotency-Key` est obligatoire : un nouvel envoi avec la même clé et la même semaine
/// type renvoie la première réponse sans rien changer.
#[utoipa::path(
    tag = "Planning", security(("jeton" = [])), request_body = WeekPatternRequest,
    params(("Idempotency-Key" = String, Header, pattern = r"^[\x21-\x7E]{1,100}$", description = "Une clé unique par envoi (par exemple un UUID) : 1 à 100 caractères ASCII visibles.")),
    responses(
        (status = 200, description = "Le résultat, date par date, et son résumé.", body = WeekPatternResponse),
        (status = 400, description = "Clé d'idempotence absente ou mal formée.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Un enfant d'une autre famille.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Le même envoi est en cours (`idempotency_in_progress`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Semaine type invalide, ou clé déjà utilisée pour un autre contenu (`idempotency_key_reused`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bookings/pattern")]
pub async fn submit_week_pattern(
    AuthenticatedFamily(family): AuthenticatedFamily,
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<WeekPatternRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency_key(&req)?;
    let answer = pattern::submit(&state.ctx, family.family_id, &body, key).await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// « Ma semaine type » : les semaines types envoyées pour les enfants de la famille (la
/// dernière par enfant et service), à appliquer de nouveau à la période suivante.
#[utoipa::path(tag = "Planning", security(("jeton" = [])), responses((status = 200, description = "Les semaines types gardées.", body = SavedWeekPatternList)))]
#[get("/bookings/patterns")]
pub async fn list_week_patterns(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items = pattern::kept(&state.ctx, family.family_id).await?;
    Ok(HttpResponse::Ok().json(SavedWeekPatternList { items }))
}

/// « Mes dernières demandes » : les réponses aux récapitulatifs récents qui ont refusé des
/// lignes, chacune avec sa raison (gardées aussi longtemps que la clé d'idempotence, 24 h par
/// défaut), les plus récentes d'abord.
#[utoipa::path(tag = "Planning", security(("jeton" = [])), responses((status = 200, description = "Au plus 5 réponses.", body = RecapAnswerListResponse)))]
#[get("/bookings/answers")]
pub async fn list_recent_answers(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items =
        portail_service::planning::answers::recent_refusals(&state.ctx, family.family_id, 5)
            .await?;
    Ok(HttpResponse::Ok().json(RecapAnswerListResponse { items }))
}

/// Les réservations et souhaits à venir de la famille, tous enfants et services confondus.
#[utoipa::path(tag = "Planning", security(("jeton" = [])), responses((status = 200, description = "À partir d'aujourd'hui.", body = BookingListResponse)))]
#[get("/bookings")]
pub async fn list_my_bookings(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items = grid::upcoming(&state.ctx, family.family_id, state.ctx.clock.today()).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(BookingListResponse { items, total }))
}

/// Inscrire un enfant en liste d'attente d'un jour complet (le service doit en tenir une, et
/// les règles de réservation être remplies). Quand une place se libère, le premier enfant
/// en attente la reçoit (ou elle lui est gardée quelques heures), et la famille est prévenue
/// par e-mail.
#[utoipa::path(
    tag = "Planning", security(("jeton" = [])), request_body = WaitingListRequest,
    responses(
        (status = 201, description = "Inscrit, avec son rang.", body = WaitingListResponse),
        (status = 409, description = "Il reste des places, le jour est déjà réservé, déjà en attente, hors des règles de réservation, ou le service ne tient pas de liste d'attente.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un enfant d'une autre famille, ou une prestation inconnue.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/planning/waiting-list")]
pub async fn join_waiting_list(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    body: Json<WaitingListRequest>,
) -> Result<HttpResponse, ApiError> {
    let joined = waiting::join(&state.ctx, family.family_id, &body).await?;
    Ok(HttpResponse::Created().json(joined))
}

/// Quitter la liste d'attente d'un jour (une place gardée pour l'enfant passe au suivant).
#[utoipa::path(
    tag = "Planning", security(("jeton" = [])), params(WaitingListRequest),
    responses(
        (status = 204, description = "L'enfant n'est plus en attente ce jour."),
        (status = 404, description = "L'enfant n'est pas en liste d'attente ce jour.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/planning/waiting-list")]
pub async fn leave_waiting_list(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    query: web::Query<WaitingListRequest>,
) -> Result<HttpResponse, ApiError> {
    waiting::leave(&state.ctx, family.family_id, &query).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The `Idempotency-Key` header a recap (or a typical week) must carry: missing or unreadable,
/// 400 (its shape is checked with the recap).
fn idempotency_key(req: &HttpRequest) -> Result<&str, ApiError> {
    req.headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::from(SubmitError::BadKey))
}
