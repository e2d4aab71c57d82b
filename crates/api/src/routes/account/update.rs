use actix_web::{HttpResponse, get, post, put, web};
use portail_domain::api::{
    AccountResponse, ChangeEmailRequest, DataExport, HolderDetails, MessageResponse, Problem,
    TokenRequest, UpdateAccountRequest,
};
use portail_service::family::account::{self};

use crate::auth::FamilyOwner;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// Modifier le titulaire du compte : identité, coordonnées, informations professionnelles.
#[utoipa::path(
    tag = "Mon compte", security(("jeton" = [])), request_body = HolderDetails,
    responses(
        (status = 200, description = "Le compte modifié.", body = AccountResponse),
        problem::InvalidFields,
    )
)]
#[put("/account")]
pub async fn update_account(
    FamilyOwner(family): FamilyOwner,
    state: web::Data<AppState>,
    body: Json<UpdateAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    account::update_holder(&state.ctx, family.family_id, &body).await?;
    let updated = portail_service::accounts::profile::get(&state.ctx.db, family.account_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(updated))
}

/// Changer d'adresse e-mail : un lien part vers la nouvelle adresse ; rien ne change avant
/// qu'il soit ouvert. Le mot de passe actuel est demandé.
#[utoipa::path(
    tag = "Mon compte", security(("jeton" = [])), request_body = ChangeEmailRequest,
    responses(
        (status = 202, description = "Un lien de confirmation est envoyé à la nouvelle adresse.", body = MessageResponse),
        (status = 422, description = "Adresse invalide ou mot de passe faux (voir `errors`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/account/email")]
pub async fn request_email_change(
    FamilyOwner(family): FamilyOwner,
    state: web::Data<AppState>,
    body: Json<ChangeEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    account::request_email_change(&state.ctx, family.account_id, &body)
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Accepted().json(MessageResponse {
        message: "Un lien de confirmation vient d'être envoyé à la nouvelle adresse. Votre adresse actuelle reste valable tant qu'il n'est pas ouvert.".to_owned(),
    }))
}

/// Confirmer une nouvelle adresse e-mail avec le jeton reçu.
#[utoipa::path(
    tag = "Mon compte", request_body = TokenRequest,
    responses(
        (status = 200, description = "La nouvelle adresse est celle du compte.", body = MessageResponse),
        problem::LinkInvalid,
        (status = 409, description = "Un autre compte utilise déjà cette adresse.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/email-change/confirm")]
pub async fn confirm_email_change(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    body: Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    state.ip_limiter.check(&req)?;
    account::confirm_email_change(&state.ctx, &body.token)
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(MessageResponse {
        message: "Votre nouvelle adresse e-mail est enregistrée : utilisez-la pour vous connecter."
            .to_owned(),
    }))
}

/// « Télécharger mes données » : toutes les données de la famille, en JSON.
#[utoipa::path(tag = "Mon compte", security(("jeton" = [])), responses((status = 200, description = "Les données (fichier `mes-donnees.json`).", body = DataExport)))]
#[get("/account/export")]
pub async fn export_my_data(
    FamilyOwner(family): FamilyOwner,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let mut export = account::export(&state.ctx, family.account_id, family.family_id).await?;
    export.week_patterns =
        portail_service::planning::pattern::kept(&state.ctx, family.family_id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"mes-donnees-portail-famille.json\"",
        ))
        .json(export))
}

/// « Demander la suppression de mon compte » : la demande est transmise à la mairie ; rien
/// n'est effacé tout de suite.
#[utoipa::path(tag = "Mon compte", security(("jeton" = [])), responses((status = 202, description = "Demande enregistrée.", body = MessageResponse)))]
#[post("/account/deletion-request")]
pub async fn request_account_deletion(
    FamilyOwner(family): FamilyOwner,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    account::request_deletion(&state.ctx, family.family_id).await?;
    Ok(HttpResponse::Accepted().json(MessageResponse {
        message: "Votre demande de suppression est transmise à la mairie. Elle vous contactera si des factures restent à régler ; les données sont ensuite effacées dans les délais légaux.".to_owned(),
    }))
}
