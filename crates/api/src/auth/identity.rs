//! Who a request is made by, once the caller middleware (`caller.rs`) or an API key
//! (`api_key.rs`) has resolved it: the types both write and every extractor reads.

use portail_domain::auth::StaffRole;
use portail_domain::ids::{FamilyId, StaffId};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyCaller {
    /// The family's account (nil while an agent acts for the family).
    pub account_id: Uuid,
    pub family_id: FamilyId,
    pub session_id: Uuid,
    /// The agent acting for the family (« aide aux démarches »), if it is one.
    pub acting: Option<StaffId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffCaller {
    pub staff_id: StaffId,
    pub role: StaffRole,
    pub session_id: Uuid,
    /// An integrator's API key (`pf_live_…`): then `staff_id` is the admin who created it and
    /// `session_id` the key's id; only the operations of the key's scopes reach a handler.
    pub key: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    Family(FamilyCaller),
    Staff(StaffCaller),
}
