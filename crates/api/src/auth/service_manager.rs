//! `ServiceManager`: a staff member acting on services' planning, with the services they
//! manage. The use-cases of `portail_service::planning::staff` take its [`Actor`] and check
//! every id against the service of the **stored** row; a handler cannot skip that check,
//! since it cannot call them without an actor.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use portail_domain::auth::ServiceScope;
use portail_service::planning::staff::Actor;

use crate::error::ApiError;

#[derive(Debug, Clone)]
pub struct ServiceManager(pub Actor);

impl FromRequest for ServiceManager {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let staff = super::reviewer::with_services(req, payload);
        Box::pin(async move {
            let (staff, services) = staff.await?;
            Ok(Self(Actor {
                staff_id: staff.staff_id,
                scope: ServiceScope::of(staff.role, services),
            }))
        })
    }
}
