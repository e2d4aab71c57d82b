use actix_web::{HttpResponse, get, post, web};
use portail_domain::api::{DossierResponse, Problem};
use portail_service::family::dossier::{self};

use crate::auth::AuthenticatedFamily;
use crate::error::ApiError;
use crate::state::AppState;

/// L'état du dossier : statut, ce qui manque, le message de la mairie, l'historique.
#[utoipa::path(tag = "Dossier famille", security(("jeton" = [])), responses((status = 200, description = "Le dossier.", body = DossierResponse)))]
#[get("/dossier")]
pub async fn get_dossier(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(dossier::overview(&state.ctx.db, family.family_id).await?))
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
