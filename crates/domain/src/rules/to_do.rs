//! « À faire » on the family's dashboard (issue 24, point 6: a validated family's dashboard
//! showed nothing to act on), pure: from what the family owes, the crèche places offered to
//! it, its unread answers and its next bookings, the lines to show, most urgent first.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::api::{ToDoItem, ToDoKind};
use crate::format::{date_fr, euros};

/// What the dashboard is drawn from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToDoFacts {
    pub balance_cents: i64,
    pub overdue_cents: i64,
    /// Crèche places offered: the child, the first day, the answer's last day.
    pub offers: Vec<(String, NaiveDate, NaiveDate)>,
    /// Conversations with an answer not read: their id and the service's name.
    pub unread: Vec<(Uuid, String)>,
    /// The next bookings, soonest first: the child, the day, the unit.
    pub next_bookings: Vec<(String, NaiveDate, String)>,
}

/// How many next bookings the dashboard names.
pub const NEXT_BOOKINGS: usize = 3;

pub fn to_do(facts: &ToDoFacts) -> Vec<ToDoItem> {
    let mut items = Vec::new();
    for (child, from, answer_by) in &facts.offers {
        items.push(ToDoItem {
            kind: ToDoKind::PlaceOffered,
            text: format!(
                "Une place en crèche est proposée pour {child} à partir du {} : répondez avant le {}.",
                date_fr(*from),
                date_fr(*answer_by)
            ),
            href: "/mes-preinscriptions".to_owned(),
            urgent: true,
        });
    }
    if facts.balance_cents > 0 {
        let text = if facts.overdue_cents > 0 {
            format!(
                "Reste à régler : {}, dont {} après l'échéance.",
                euros(facts.balance_cents),
                euros(facts.overdue_cents)
            )
        } else {
            format!("Reste à régler : {}.", euros(facts.balance_cents))
        };
        items.push(ToDoItem {
            kind: ToDoKind::Balance,
            text,
            href: "/mes-factures".to_owned(),
            urgent: facts.overdue_cents > 0,
        });
    }
    for (id, service) in &facts.unread {
        items.push(ToDoItem {
            kind: ToDoKind::Message,
            text: format!("Le service «\u{a0}{service}\u{a0}» vous a répondu."),
            href: format!("/mes-messages/{id}"),
            urgent: false,
        });
    }
    if !facts.next_bookings.is_empty() {
        let next = facts
            .next_bookings
            .iter()
            .take(NEXT_BOOKINGS)
            .map(|(child, day, unit)| format!("{child}, {} ({unit})", date_fr(*day)))
            .collect::<Vec<_>>()
            .join(" ; ");
        items.push(ToDoItem {
            kind: ToDoKind::NextBookings,
            text: format!(
                "{} : {next}.",
                if facts.next_bookings.len() == 1 {
                    "Prochaine réservation"
                } else {
                    "Prochaines réservations"
                }
            ),
            href: "/mon-planning".to_owned(),
            urgent: false,
        });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, day).expect("date")
    }

    #[test]
    fn nothing_to_do_says_nothing() {
        assert!(to_do(&ToDoFacts::default()).is_empty());
    }

    #[test]
    fn an_offer_comes_first_then_what_is_owed_then_answers_and_bookings() {
        let items = to_do(&ToDoFacts {
            balance_cents: 3080,
            overdue_cents: 962,
            offers: vec![("Léa".to_owned(), d(9, 1), d(3, 20))],
            unread: vec![(Uuid::nil(), "Relais petite enfance".to_owned())],
            next_bookings: vec![
                ("Léa".to_owned(), d(3, 9), "Repas".to_owned()),
                ("Léa".to_owned(), d(3, 10), "Journée".to_owned()),
                ("Tom".to_owned(), d(3, 11), "Repas".to_owned()),
                ("Tom".to_owned(), d(3, 12), "Repas".to_owned()),
            ],
        });
        let kinds: Vec<ToDoKind> = items.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            [
                ToDoKind::PlaceOffered,
                ToDoKind::Balance,
                ToDoKind::Message,
                ToDoKind::NextBookings
            ]
        );
        assert_eq!(
            items[0].text,
            "Une place en crèche est proposée pour Léa à partir du mercredi 1er septembre 2027 : répondez avant le samedi 20 mars 2027."
        );
        assert!(items[1].urgent);
        assert!(items[1].text.contains("30,80") && items[1].text.contains("9,62"));
        assert_eq!(items[2].href, format!("/mes-messages/{}", Uuid::nil()));
        assert_eq!(
            items[3].text.matches(" ; ").count(),
            2,
            "three bookings named"
        );
        assert!(!items[3].text.contains("Tom, vendredi 12"));
    }

    #[test]
    fn a_balance_not_yet_due_is_not_urgent() {
        let items = to_do(&ToDoFacts {
            balance_cents: 500,
            ..ToDoFacts::default()
        });
        assert!(!items[0].urgent);
        assert_eq!(items[0].text, "Reste à régler : 5,00\u{a0}€.");
    }
}
