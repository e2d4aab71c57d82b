//! Who may do what: roles and the pure functions that decide access.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_code() {
        for role in [StaffRole::Admin, StaffRole::Agent] {
            assert_eq!(StaffRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(StaffRole::parse("root"), None);
    }
}
