use actix_web::{HttpResponse, get, post, web};
use portail_domain::api::{DossierResponse, Problem};
use portail_service::family::dossier::{self};

use crate::auth::AuthenticatedFamily;
use crate::error::ApiError;
use crate::state::AppState;

/// L'état du dossier : statut, ce qui manque, le message de la mairie, l'historique, et
/// « À faire » (comme `GET /to-do`).
#[utoipa::path(tag = "Dossier famille", security(("jeton" = [])), responses((status = 200, description = "Le dossier.", body = DossierResponse)))]
#[get("/dossier")]
pub async fn get_dossier(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let mut overview = dossier::overview(&state.ctx.db, family.family_id).await?;
    overview.to_do = portail_service::family::to_do::list(&state.ctx, family.family_id)
        .await?
        .items;
    Ok(HttpResponse::Ok().json(overview))
}

/// « Envoyer mon dossier » (ou le renvoyer après un complément).
#[utoipa::path(
    tag = "Dossier famille", security(("jeton" = [])),
    responses(
        (status = 200, description = "Envoyé : le dossier attend la validation.", body = DossierResponse),
        (status = 409, description = "Déjà envoyé ou validé (`invalid_transition`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Incomplet (`dossier_incomplete`) : `errors` liste ce qui manque, par section.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/dossier/submit")]
pub async fn submit_dossier(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(
        dossier::submit(&state.ctx, family.family_id)
            .await
            .map_err(ApiError::from)?,
    ))
}

/// « Je confirme l'exactitude de mes informations » (vérification annuelle).
///
/// Si rien n'a changé depuis la dernière validation, le dossier redevient validé ; sinon il
/// repart en vérification.
#[utoipa::path(
    tag = "Dossier famille", security(("jeton" = [])),
    responses(
        (status = 200, description = "Confirmé.", body = DossierResponse),
        (status = 409, description = "Aucune vérification en attente.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Le dossier modifié est incomplet.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/dossier/confirm-reverification")]
pub async fn confirm_reverification(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(
        dossier::confirm_reverification(&state.ctx, family.family_id)
            .await
            .map_err(ApiError::from)?,
    ))
}

/// « À faire » : ce que le tableau de bord montre à la famille, le plus urgent d'abord (place
/// en crèche proposée, reste à régler, réponses des services non lues, prochaines réservations).
#[utoipa::path(tag = "Dossier famille", security(("jeton" = [])), responses((status = 200, description = "Les lignes, en français, chacune avec la page où agir.", body = portail_domain::api::ToDoList)))]
#[get("/to-do")]
pub async fn get_my_to_do(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .json(portail_service::family::to_do::list(&state.ctx, family.family_id).await?))
}
