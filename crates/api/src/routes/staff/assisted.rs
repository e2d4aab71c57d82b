//! « Aide aux démarches » at the town hall's counter: an agent creates a family's account with
//! the parent, and acts for a family for 30 minutes at most (docs/assisted.md).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, put, web};
use portail_domain::ErrorCode;
use portail_domain::api::{
    ActingResponse, AssistedFamilyRequest, AssistedFamilyResponse, EmailRequest, Problem,
    StopActingResponse,
};
use portail_service::assisted::{self, AssistedError};
use uuid::Uuid;

use crate::auth::{Caller, ServiceManager, StaffUser};
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;
use portail_domain::ids::FamilyId;

/// Créer en mairie le compte d'une famille, avec le parent : les étapes de l'inscription,
/// sans mot de passe. Avec une adresse, le parent reçoit un lien pour choisir le sien (valable
/// 7 jours) ; sans, la famille est suivie par la mairie seule. L'agent coche «\u{a0}Accepter\u{a0}»
/// pour le parent après lui avoir lu le texte sur la protection des données (journalisé).
#[utoipa::path(
    tag = "Aide aux démarches", security(("jeton" = [])), request_body = AssistedFamilyRequest,
    responses(
        (status = 201, description = "La famille est créée.", body = AssistedFamilyResponse),
        (status = 409, description = "Un compte existe déjà avec cette adresse.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Champs invalides, chacun avec sa raison.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/families")]
pub async fn create_family_assisted(
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    body: Json<AssistedFamilyRequest>,
) -> Result<HttpResponse, ApiError> {
    let created = assisted::create_family(&state.ctx, staff.staff_id, &body).await?;
    Ok(HttpResponse::Created().json(AssistedFamilyResponse {
        family_id: created.family_id,
        invitation_sent: created.invitation_sent,
    }))
}

/// Ajouter l'adresse e-mail d'une famille créée en mairie sans adresse : son compte est créé
/// et le parent reçoit un lien pour choisir son mot de passe (valable 7 jours). Pour les agents
/// que la famille concerne (comme « agir pour »).
#[utoipa::path(
    tag = "Aide aux démarches", security(("jeton" = [])), request_body = EmailRequest,
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses(
        (status = 200, description = "L'adresse est ajoutée, le lien envoyé.", body = AssistedFamilyResponse),
        problem::FamilyOutOfScope,
        problem::NoSuchFamily,
        (status = 409, description = "La famille a déjà une adresse, ou un autre compte a celle-ci.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Une adresse invalide.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/families/{family_id}/email")]
pub async fn set_family_email(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let family_id = path.into_inner();
    if !assisted::concerns(&state.ctx, &actor, FamilyId::from(family_id)).await? {
        return Err(AssistedError::OutOfScope.into());
    }
    assisted::add_email(
        &state.ctx,
        actor.staff_id,
        FamilyId::from(family_id),
        &body.email,
    )
    .await?;
    Ok(HttpResponse::Ok().json(AssistedFamilyResponse {
        family_id,
        invitation_sent: true,
    }))
}

/// Agir pour une famille (30 minutes au plus) : un jeton à présenter sur les routes de la
/// famille (Mon foyer, Mes enfants, Mes documents, Mon planning…), chaque requête journalisée
/// avec l'agent et la famille. Un administrateur, l'agent qui a créé la famille en mairie, ou
/// un agent d'un service où elle réserve.
#[utoipa::path(
    tag = "Aide aux démarches", security(("jeton" = [])),
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses(
        (status = 201, description = "L'accès commence.", body = ActingResponse),
        problem::FamilyOutOfScope,
        problem::NoSuchFamily,
    )
)]
#[post("/staff/families/{family_id}/acting")]
pub async fn start_acting_as_family(
    ServiceManager(actor): ServiceManager,
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let acting =
        assisted::start_acting(&state.ctx, &actor, FamilyId::from(path.into_inner())).await?;
    let access_token = state.jwt.issue_acting(
        staff.staff_id.uuid(),
        staff.role,
        acting.session_id,
        acting.family_id,
        acting.expires_at,
        state.ctx.clock.now(),
    )?;
    Ok(HttpResponse::Created().json(ActingResponse {
        access_token,
        family_id: acting.family_id,
        family_label: acting.family_label,
        expires_at: acting.expires_at,
    }))
}

/// « Terminer » : avec le jeton d'un accès en cours, cet accès ; avec le jeton de l'agent,
/// tous ses accès en cours.
#[utoipa::path(
    tag = "Aide aux démarches", security(("jeton" = [])),
    responses(
        (status = 200, description = "Les accès terminés.", body = StopActingResponse),
        problem::NotLoggedIn,
        (status = 403, description = "Le jeton d'une famille.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/acting/stop")]
pub async fn stop_acting_as_family(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (staff_id, session) = match crate::auth::caller::caller(&req) {
        Caller::Family(family) => match family.acting {
            Some(staff_id) => (staff_id, Some(family.session_id)),
            None => {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    ErrorCode::Forbidden,
                    ErrorCode::Forbidden.message_fr(),
                ));
            }
        },
        Caller::Staff(staff) => (staff.staff_id, None),
        Caller::Anonymous => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
                ErrorCode::Unauthorized.message_fr(),
            ));
        }
    };
    let ended = assisted::stop_acting(&state.ctx, staff_id, session).await?;
    Ok(HttpResponse::Ok().json(StopActingResponse {
        ended: u32::try_from(ended).unwrap_or(u32::MAX),
    }))
}
