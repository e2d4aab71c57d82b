//! Messages between a family and a service (issue 24, point 2), pure: a conversation's state,
//! who has something unread after a message, who may read a service's conversations (the
//! retention's `message_months` says when one is deleted).
//!
//! A conversation belongs to one family and one service; the family writes from its space (or
//! an agent at the counter writes for it, which the message keeps), the service's staff answer
//! from their inbox. Closing says « nothing more to do »: a new message from either side opens
//! it again, so nothing written is ever lost in a closed thread.

use crate::ServiceCode;
use crate::auth::ServiceScope;
use crate::string_enum;

string_enum! {
    /// Où en est une conversation.
    pub enum ConversationStatus {
        Open => ("open", "Ouverte"),
        Closed => ("closed", "Close"),
    }
}

/// The longest subject.
pub const SUBJECT_MAX: usize = 120;
/// The longest message.
pub const BODY_MAX: usize = 5_000;
/// The longest attachment caption (the message written with a file).
pub const CAPTION_MAX: usize = 1_000;

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The family, from its space (or an agent at the counter, for it).
    Family,
    /// The service's staff, from the inbox.
    Staff,
}

/// What is unread after a message from `side`: (by the staff, by the family). The writer has
/// read everything; the other side has this one to read.
pub fn unread_after(side: Side) -> (bool, bool) {
    match side {
        Side::Family => (true, false),
        Side::Staff => (false, true),
    }
}

/// A new message opens a closed conversation again (nothing is lost in a closed thread).
pub fn status_after_message(_before: ConversationStatus) -> ConversationStatus {
    ConversationStatus::Open
}

/// Whether a staff member of `scope` reads and answers `service`'s conversations: its agents
/// and the administrators, never another service's agent.
pub fn reads_inbox_of(scope: &ServiceScope, service: ServiceCode) -> bool {
    scope.allows(service)
}

/// The services whose inbox a staff member of `scope` reads, in the portal's order.
pub fn inboxes(scope: &ServiceScope) -> Vec<ServiceCode> {
    ServiceCode::ALL
        .into_iter()
        .filter(|service| reads_inbox_of(scope, *service))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::StaffRole;

    #[test]
    fn the_other_side_has_the_message_to_read() {
        assert_eq!(unread_after(Side::Family), (true, false));
        assert_eq!(unread_after(Side::Staff), (false, true));
    }

    #[test]
    fn a_message_opens_a_closed_conversation_again() {
        for &before in ConversationStatus::ALL {
            assert_eq!(status_after_message(before), ConversationStatus::Open);
        }
    }

    #[test]
    fn an_agent_reads_only_the_inboxes_of_the_services_given_to_them() {
        let agent = ServiceScope::of(StaffRole::Agent, vec![ServiceCode::Rpe]);
        assert!(reads_inbox_of(&agent, ServiceCode::Rpe));
        for other in ServiceCode::ALL
            .into_iter()
            .filter(|s| *s != ServiceCode::Rpe)
        {
            assert!(!reads_inbox_of(&agent, other), "{other:?}");
        }
        assert_eq!(inboxes(&agent), vec![ServiceCode::Rpe]);
        let nobody = ServiceScope::of(StaffRole::Agent, Vec::new());
        assert!(inboxes(&nobody).is_empty());
        let admin = ServiceScope::of(StaffRole::Admin, Vec::new());
        assert_eq!(inboxes(&admin), ServiceCode::ALL.to_vec());
    }
}
