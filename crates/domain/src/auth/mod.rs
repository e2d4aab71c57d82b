//! Who may do what: roles and the pure functions that decide access.

pub mod api_key;
pub mod forwarded;

use serde::{Deserialize, Serialize};

/// Which kind of account a session belongs to: a family's or a staff member's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    Family,
    Staff,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Family => "family",
            Self::Staff => "staff",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "family" => Some(Self::Family),
            "staff" => Some(Self::Staff),
            _ => None,
        }
    }
}

/// A staff member's role. `admin` does everything; `agent` works on the services given to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Admin,
    Agent,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Agent => "agent",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "admin" => Some(Self::Admin),
            "agent" => Some(Self::Agent),
            _ => None,
        }
    }

    /// The role's name in French, for screens.
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Admin => "Administrateur",
            Self::Agent => "Agent",
        }
    }
}

use crate::ServiceCode;

/// Which services look after children on site, and so need their allergies, PAI, doctor and
/// vaccinations: the crèche, the holiday centre and the school canteen.
pub fn service_needs_medical_details(service: ServiceCode) -> bool {
    matches!(
        service,
        ServiceCode::Creche | ServiceCode::Alja | ServiceCode::Restauration
    )
}

/// May this staff member open family files at all? Admins always; agents once they have been
/// given at least one service (validating files is the town hall's shared work).
pub fn can_review_families(role: StaffRole, services: &[ServiceCode]) -> bool {
    role == StaffRole::Admin || !services.is_empty()
}

/// The services a staff member manages: every one for an admin, the ones given to an agent.
/// Staff use-cases that change or read a service's planning take a scope and check it against
/// the **stored** row (the unit, the period, the booking), never against the request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceScope {
    All,
    Only(Vec<ServiceCode>),
}

impl ServiceScope {
    pub fn of(role: StaffRole, services: Vec<ServiceCode>) -> Self {
        match role {
            StaffRole::Admin => Self::All,
            StaffRole::Agent => Self::Only(services),
        }
    }

    /// May this staff member manage `service` (its rules, periods, units, capacities,
    /// attendance, requests and bookings made for families)?
    pub fn allows(&self, service: ServiceCode) -> bool {
        match self {
            Self::All => true,
            Self::Only(services) => services.contains(&service),
        }
    }

    /// Every service (an administrator).
    pub fn allows_all(&self) -> bool {
        matches!(self, Self::All)
    }
}

/// May this staff member manage a service? Admins every one; agents those given to them.
pub fn can_manage_service(role: StaffRole, services: &[ServiceCode], service: ServiceCode) -> bool {
    ServiceScope::of(role, services.to_vec()).allows(service)
}

/// May this staff member read a child's medical details (allergies, PAI, doctor, vaccinations)?
/// Admins, and agents of a service that looks after children on site.
pub fn can_view_medical(role: StaffRole, services: &[ServiceCode]) -> bool {
    role == StaffRole::Admin || services.iter().any(|s| service_needs_medical_details(*s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_without_services_see_no_family_and_admins_see_all() {
        assert!(!can_review_families(StaffRole::Agent, &[]));
        assert!(can_review_families(
            StaffRole::Agent,
            &[ServiceCode::Scolaire]
        ));
        assert!(can_review_families(StaffRole::Admin, &[]));
    }

    #[test]
    fn only_services_caring_for_children_read_medical_details() {
        assert!(!can_view_medical(
            StaffRole::Agent,
            &[ServiceCode::Scolaire, ServiceCode::Rpe]
        ));
        assert!(can_view_medical(
            StaffRole::Agent,
            &[ServiceCode::Scolaire, ServiceCode::Restauration]
        ));
        assert!(can_view_medical(StaffRole::Admin, &[]));
    }

    #[test]
    fn an_agent_manages_only_the_services_given_to_them() {
        let services = [ServiceCode::Restauration];
        assert!(can_manage_service(
            StaffRole::Agent,
            &services,
            ServiceCode::Restauration
        ));
        assert!(!can_manage_service(
            StaffRole::Agent,
            &services,
            ServiceCode::Alja
        ));
        assert!(!can_manage_service(
            StaffRole::Agent,
            &[],
            ServiceCode::Alja
        ));
        assert!(can_manage_service(
            StaffRole::Admin,
            &[],
            ServiceCode::Creche
        ));
        assert!(ServiceScope::of(StaffRole::Admin, vec![]).allows(ServiceCode::Rpe));
    }

    #[test]
    fn roles_round_trip_through_their_code() {
        for role in [StaffRole::Admin, StaffRole::Agent] {
            assert_eq!(StaffRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(StaffRole::parse("root"), None);
    }
}
