//! Waiting lists (issue 13), pure: a full day of « Mon planning » (and the crèche's
//! pre-registrations) keep their waiting children in order — first come, first served, or the
//! position staff set with a reason — ranked from 1 without gaps; a service says whether its
//! full days take a waiting list and what a freed place does (`auto`: the first waiting child
//! is booked in the transaction that frees it; `offer`: the place is kept for them a few hours).

use crate::string_enum;

string_enum! {
    /// Ce qu'une place libérée fait pour la liste d'attente d'un service.
    pub enum WaitingListMode {
        Off => ("off", "Pas de liste d'attente"),
        Auto => ("auto", "Le premier enfant en attente est inscrit d'office"),
        Offer => ("offer", "La place est proposée au premier enfant en attente"),
    }
}

/// The longest a freed place may be kept for the first waiting child (a week).
pub const MAX_OFFER_HOURS: u32 = 168;

/// An entry on a waiting list: when it joined, and staff's manual position if they moved it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting<Id> {
    pub id: Id,
    /// When it joined (first come, first served).
    pub joined: chrono::DateTime<chrono::Utc>,
    /// A position staff set (with a reason, audited): 1 is first.
    pub placed_at: Option<u32>,
}

/// The waiting list in order, ranked from 1 without gaps: the entries staff placed at their
/// position, the others by arrival around them (ties by id).
pub fn waiting_order<Id: Ord + Copy>(list: &[Waiting<Id>]) -> Vec<(Id, u32)> {
    let mut by_arrival: Vec<&Waiting<Id>> = list.iter().filter(|w| w.placed_at.is_none()).collect();
    by_arrival.sort_by(|a, b| a.joined.cmp(&b.joined).then(a.id.cmp(&b.id)));
    let mut placed: Vec<&Waiting<Id>> = list.iter().filter(|w| w.placed_at.is_some()).collect();
    placed.sort_by(|a, b| a.placed_at.cmp(&b.placed_at).then(a.id.cmp(&b.id)));
    let mut order: Vec<Id> = Vec::with_capacity(list.len());
    let mut arrivals = by_arrival.into_iter();
    let mut placed = placed.into_iter().peekable();
    while order.len() < list.len() {
        let position = u32::try_from(order.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let next_placed = placed
            .peek()
            .is_some_and(|w| w.placed_at.is_some_and(|p| p <= position));
        let next = if next_placed {
            placed.next()
        } else {
            arrivals.next().or_else(|| placed.next())
        };
        match next {
            Some(w) => order.push(w.id),
            None => break,
        }
    }
    order.into_iter().zip(1_u32..).collect()
}

/// Why a child may not join a day's waiting list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinRefusal {
    /// The service keeps no waiting list.
    NoWaitingList,
    /// There are places left: book instead.
    PlacesLeft,
    /// The child already holds the day (booked or requested).
    AlreadyBooked,
}

impl JoinRefusal {
    pub fn message_fr(self) -> &'static str {
        match self {
            Self::NoWaitingList => "Ce service ne tient pas de liste d'attente.",
            Self::PlacesLeft => "Il reste des places ce jour : réservez-le directement.",
            Self::AlreadyBooked => "Cet enfant a déjà ce jour dans son planning.",
        }
    }
}

/// May a child join the waiting list of a day, the booking rules (period, window, cut-off,
/// age, opening day) having been met?
pub fn may_join(
    mode: WaitingListMode,
    places_left: u32,
    holds_the_day: bool,
) -> Result<(), JoinRefusal> {
    if mode == WaitingListMode::Off {
        Err(JoinRefusal::NoWaitingList)
    } else if holds_the_day {
        Err(JoinRefusal::AlreadyBooked)
    } else if places_left > 0 {
        Err(JoinRefusal::PlacesLeft)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    fn at(second: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, 4, 9, 0, second)
            .single()
            .expect("instant")
    }

    #[test]
    fn first_come_first_served_with_ties_by_id() {
        let list = [
            Waiting {
                id: 3,
                joined: at(5),
                placed_at: None,
            },
            Waiting {
                id: 1,
                joined: at(9),
                placed_at: None,
            },
            Waiting {
                id: 2,
                joined: at(5),
                placed_at: None,
            },
        ];
        assert_eq!(waiting_order(&list), vec![(2, 1), (3, 2), (1, 3)]);
    }

    #[test]
    fn joining_needs_a_list_a_full_day_and_a_day_not_held() {
        use WaitingListMode::*;
        assert_eq!(may_join(Off, 0, false), Err(JoinRefusal::NoWaitingList));
        assert_eq!(may_join(Auto, 1, false), Err(JoinRefusal::PlacesLeft));
        assert_eq!(may_join(Offer, 0, true), Err(JoinRefusal::AlreadyBooked));
        assert_eq!(may_join(Auto, 0, false), Ok(()));
        assert_eq!(may_join(Offer, 0, false), Ok(()));
    }

    proptest! {
        #[test]
        fn ranks_are_one_to_n_and_arrivals_keep_their_order(
            joined in proptest::collection::vec(0_u32..50, 0..30),
            placed in proptest::collection::vec(proptest::option::weighted(0.2, 1_u32..40), 30),
        ) {
            let list: Vec<Waiting<usize>> = joined
                .iter()
                .enumerate()
                .map(|(i, s)| Waiting { id: i, joined: at(*s), placed_at: placed[i] })
                .collect();
            let order = waiting_order(&list);
            let ranks: Vec<u32> = order.iter().map(|(_, r)| *r).collect();
            prop_assert_eq!(ranks, (1..=u32::try_from(list.len()).unwrap_or(0)).collect::<Vec<_>>());
            let arrivals: Vec<usize> = order.iter().map(|(id, _)| *id).filter(|id| list[*id].placed_at.is_none()).collect();
            let mut sorted = arrivals.clone();
            sorted.sort_by_key(|id| (list[*id].joined, *id));
            prop_assert_eq!(arrivals, sorted);
        }
    }
}
