//! The problems the OpenAPI document lists under several operations, each written once:
//! `responses((status = 200, …), problem::FamilyUnknown, …)` in a handler's `#[utoipa::path]`.
//! An answer only one operation gives stays written beside it.

use portail_domain::api::Problem;
use utoipa::IntoResponses;

#[derive(IntoResponses)]
#[response(
    status = 401,
    description = "Adresse ou mot de passe incorrect (`invalid_credentials`).",
    content_type = "application/problem+json"
)]
pub struct InvalidCredentials(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 401,
    description = "Pas de session, ou session fermée.",
    content_type = "application/problem+json"
)]
pub struct NoSession(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 401,
    description = "Non connecté.",
    content_type = "application/problem+json"
)]
pub struct NotLoggedIn(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "Réservé aux administrateurs.",
    content_type = "application/problem+json"
)]
pub struct AdministratorsOnly(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "La crèche n'est pas confiée à l'agent.",
    content_type = "application/problem+json"
)]
pub struct CrecheNotEntrusted(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "La crèche ne vous est pas confiée.",
    content_type = "application/problem+json"
)]
pub struct CrecheNotYours(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "La famille ne concerne pas vos services.",
    content_type = "application/problem+json"
)]
pub struct FamilyOutOfScope(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "Service non confié.",
    content_type = "application/problem+json"
)]
pub struct ServiceNotEntrusted(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "Un des services n'est pas confié à l'agent.",
    content_type = "application/problem+json"
)]
pub struct ServicesNotEntrusted(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Compte inconnu.",
    content_type = "application/problem+json"
)]
pub struct AccountUnknown(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Pas d'enfant de ce nom dans la famille.",
    content_type = "application/problem+json"
)]
pub struct ChildUnknown(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Pas de pièce de ce nom.",
    content_type = "application/problem+json"
)]
pub struct DocumentUnknown(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Pas de pièce de ce nom dans la famille.",
    content_type = "application/problem+json"
)]
pub struct FamilyDocumentUnknown(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Famille inconnue.",
    content_type = "application/problem+json"
)]
pub struct FamilyUnknown(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Pas de facture de ce nom dans la famille.",
    content_type = "application/problem+json"
)]
pub struct InvoiceUnknown(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Pas de telle page.",
    content_type = "application/problem+json"
)]
pub struct LegalPageUnknown(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Lien inconnu, déjà utilisé ou expiré (`invalid_token`).",
    content_type = "application/problem+json"
)]
pub struct LinkInvalid(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Pas de famille de ce nom.",
    content_type = "application/problem+json"
)]
pub struct NoSuchFamily(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Pas de préinscription de ce nom dans la famille.",
    content_type = "application/problem+json"
)]
pub struct PreRegistrationUnknown(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Service non confié.",
    content_type = "application/problem+json"
)]
pub struct ServiceNotEntrustedHidden(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Service inconnu.",
    content_type = "application/problem+json"
)]
pub struct ServiceUnknown(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Prestation inconnue (ou d'un service non confié).",
    content_type = "application/problem+json"
)]
pub struct UnitUnknown(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Inconnue.",
    content_type = "application/problem+json"
)]
pub struct Unknown(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Inconnue, ou d'aucun service de l'agent.",
    content_type = "application/problem+json"
)]
pub struct UnknownOrOutOfScope(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "Pas d'abonnement de ce nom.",
    content_type = "application/problem+json"
)]
pub struct WebhookUnknown(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 409,
    description = "Un tarif de la prestation commence déjà ce jour-là.",
    content_type = "application/problem+json"
)]
pub struct TariffSameDay(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 422,
    description = "Champs invalides (voir `errors`).",
    content_type = "application/problem+json"
)]
pub struct InvalidFields(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 422,
    description = "Tranches, prix ou dates incohérents.",
    content_type = "application/problem+json"
)]
pub struct TariffInconsistent(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 422,
    description = "Texte ou dates invalides.",
    content_type = "application/problem+json"
)]
pub struct TextOrDatesInvalid(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 429,
    description = "Trop de tentatives (`Retry-After`).",
    content_type = "application/problem+json"
)]
pub struct TooManyAttempts(#[allow(dead_code)] Problem);

#[derive(IntoResponses)]
#[response(
    status = 429,
    description = "Trop de demandes depuis cette adresse IP.",
    content_type = "application/problem+json"
)]
pub struct TooManyFromThisAddress(#[allow(dead_code)] Problem);
