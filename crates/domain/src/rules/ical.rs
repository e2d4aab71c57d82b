//! A family's calendar feed (issue 14, point 5), pure: its bookings as an RFC 5545 calendar —
//! CRLF line ends, lines folded at 75 octets (never inside a UTF-8 character), text escaped,
//! local times in Europe/Paris with the zone's definition included, stable UIDs (a booking
//! keeps its UID when it changes), cancelled bookings marked `STATUS:CANCELLED`.

use chrono::{NaiveDate, NaiveTime};

/// One booking in the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// The booking's id: the UID is built from it, so it never changes.
    pub id: uuid::Uuid,
    pub date: NaiveDate,
    /// Local (Paris) hours; a unit without hours is an all-day event.
    pub hours: Option<(NaiveTime, NaiveTime)>,
    /// « ALJA — Matin — Léa ».
    pub summary: String,
    pub cancelled: bool,
}

/// Europe/Paris as the feed describes it (CET/CEST, the EU rules since 1996).
const PARIS: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (continuations start with a space), never splitting a
/// character; ends it with CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0_usize;
    for c in line.chars() {
        let len = c.len_utf8();
        if width.saturating_add(len) > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width = width.saturating_add(len);
    }
    out.push_str("\r\n");
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn local(d: NaiveDate, t: NaiveTime) -> String {
    format!("{}T{}", date(d), t.format("%H%M%S"))
}

/// The whole calendar. `stamp` is the feed's time of generation (UTC, `DTSTAMP`), `host` the
/// portal's host name (UIDs are `<id>@<host>`).
pub fn calendar(
    name: &str,
    host: &str,
    stamp: chrono::DateTime<chrono::Utc>,
    events: &[CalendarEvent],
) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Portail Famille//Calendrier des réservations//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(line, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", escape(name)), &mut out);
    fold("X-WR-TIMEZONE:Europe/Paris", &mut out);
    out.push_str(PARIS);
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for e in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}@{host}", e.id), &mut out);
        fold(&format!("DTSTAMP:{stamp}"), &mut out);
        match e.hours {
            Some((start, end)) => {
                fold(
                    &format!("DTSTART;TZID=Europe/Paris:{}", local(e.date, start)),
                    &mut out,
                );
                fold(
                    &format!("DTEND;TZID=Europe/Paris:{}", local(e.date, end)),
                    &mut out,
                );
            }
            None => {
                fold(&format!("DTSTART;VALUE=DATE:{}", date(e.date)), &mut out);
                let next = e.date.succ_opt().unwrap_or(e.date);
                fold(&format!("DTEND;VALUE=DATE:{}", date(next)), &mut out);
            }
        }
        fold(&format!("SUMMARY:{}", escape(&e.summary)), &mut out);
        fold(
            if e.cancelled {
                "STATUS:CANCELLED"
            } else {
                "STATUS:CONFIRMED"
            },
            &mut out,
        );
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn event(summary: &str, hours: Option<(u32, u32)>, cancelled: bool) -> CalendarEvent {
        CalendarEvent {
            id: uuid::Uuid::from_u128(42),
            date: NaiveDate::from_ymd_opt(2027, 3, 28).expect("date"),
            hours: hours.map(|(a, b)| {
                (
                    NaiveTime::from_hms_opt(a, 0, 0).expect("time"),
                    NaiveTime::from_hms_opt(b, 30, 0).expect("time"),
                )
            }),
            summary: summary.to_owned(),
            cancelled,
        }
    }

    fn stamp() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc
            .with_ymd_and_hms(2027, 1, 4, 8, 0, 0)
            .single()
            .expect("instant")
    }

    #[test]
    fn lines_end_with_crlf_and_never_exceed_75_octets_nor_split_a_character() {
        let long =
            "ALJA — Journée avec repas, sortie à la forêt de Tronçais ; retour à 18 h — Léa-Éloïse";
        let ics = calendar(
            "Réservations de la famille Durand",
            "portail.avermes.fr",
            stamp(),
            &[event(long, Some((8, 17)), false)],
        );
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
            assert!(!line.contains('\n') && !line.contains('\r'));
        }
        // Unfolded again, the summary is the escaped text, whole.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("SUMMARY:ALJA — Journée avec repas\\, sortie à la forêt de Tronçais \\; retour à 18 h — Léa-Éloïse\r\n"), "{unfolded}");
    }

    #[test]
    fn times_are_paris_local_with_the_zone_and_a_day_without_hours_is_all_day() {
        let ics = calendar(
            "x",
            "h",
            stamp(),
            &[
                event("Matin", Some((8, 11)), false),
                event("Repas", None, true),
            ],
        );
        assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"));
        // 28 March 2027 is the day Paris changes to summer time: the local hours are written as
        // such, the zone's rules say the offset.
        assert!(ics.contains("DTSTART;TZID=Europe/Paris:20270328T080000\r\n"));
        assert!(ics.contains("DTEND;TZID=Europe/Paris:20270328T113000\r\n"));
        assert!(ics.contains("DTSTART;VALUE=DATE:20270328\r\nDTEND;VALUE=DATE:20270329\r\n"));
        assert!(ics.contains("STATUS:CANCELLED\r\n"));
        assert!(ics.contains("STATUS:CONFIRMED\r\n"));
        assert!(ics.contains("DTSTAMP:20270104T080000Z\r\n"));
    }

    #[test]
    fn a_booking_keeps_its_uid() {
        let one = calendar(
            "x",
            "portail.avermes.fr",
            stamp(),
            &[event("Matin", None, false)],
        );
        let two = calendar(
            "x",
            "portail.avermes.fr",
            stamp(),
            &[event("Matin", None, true)],
        );
        let uid = "UID:00000000-0000-0000-0000-00000000002a@portail.avermes.fr\r\n";
        assert!(one.contains(uid) && two.contains(uid));
    }
}
