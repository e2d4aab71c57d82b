//! Typed identifiers: a family's id cannot be passed where a child's is expected. Each is a
//! UUID on the wire (serde-transparent) and in the database; the service crate's signatures
//! take them, the API turns the path's and the session's UUIDs into them at the edge.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            pub const fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl PartialEq<Uuid> for $name {
            fn eq(&self, other: &Uuid) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for Uuid {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::from_str(s).map(Self)
            }
        }

        #[cfg(feature = "sea-query")]
        impl From<$name> for sea_query::Value {
            fn from(id: $name) -> Self {
                id.0.into()
            }
        }

        #[cfg(feature = "sea-query")]
        impl sea_query::Nullable for $name {
            fn null() -> sea_query::Value {
                <Uuid as sea_query::Nullable>::null()
            }
        }
    )+};
}

typed_id! {
    /// A family (its file, its account).
    FamilyId,
    /// A child of a family.
    ChildId,
    /// A staff account (agent or administrator).
    StaffId,
    /// A unit of a service (« Journée », « Repas »…).
    UnitId,
    /// An invoice or a credit note.
    InvoiceId,
    /// A payment received.
    PaymentId,
    /// A booking (a child, a unit, a day).
    BookingId,
    /// A document a family sent.
    DocumentId,
    /// A crèche pre-registration.
    PreRegistrationId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_uuid_on_the_wire_and_in_text() {
        let uuid = Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0001);
        let id = FamilyId::from(uuid);
        assert_eq!(
            serde_json::to_string(&id).expect("json"),
            format!("\"{uuid}\"")
        );
        assert_eq!(
            serde_json::from_str::<FamilyId>(&format!("\"{uuid}\"")).expect("json"),
            id
        );
        assert_eq!(id.to_string(), uuid.to_string());
        assert_eq!(uuid.to_string().parse::<FamilyId>().expect("parse"), id);
        assert_eq!(id, uuid);
        assert_eq!(uuid, id);
        assert_eq!(Uuid::from(id), uuid);
    }
}
