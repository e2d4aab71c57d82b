//! Dates and times as the API writes them, read strictly: `AAAA-MM-JJ`, `HH:MM[:SS]`,
//! `AAAA-MM-JJTHH:MM[:SS]` (local time in Europe/Paris, no offset) and instants
//! `AAAA-MM-JJTHH:MM:SS[.fraction](Z|±HH:MM)` (RFC 3339), years 1900 to 2100.
//! chrono alone also reads `2027-1-5` and `0000-01-01`; a request with those is refused (400)
//! instead of being understood as something the caller may not have meant. The patterns below
//! are the ones the OpenAPI document shows (`schema(pattern = …)` on each field).

use chrono::{DateTime, Datelike as _, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Deserializer, de::Error as _};

/// The first and last years a date sent to the API may have.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// A date that exists, years 1900 to 2100 (days per month, 29 February in leap years only),
/// as a regular expression: what `parse_date` accepts, said in the OpenAPI document (a local
/// date and time has no `format` to say it otherwise).
macro_rules! date_body {
    () => {
        r"(?:(?:19|20)[0-9]{2}|2100)-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:19(?:0[48]|[2468][048]|[13579][26])|20(?:0[048]|[2468][048]|[13579][26]))-02-29"
    };
}

/// `AAAA-MM-JJ`, a date that exists, years 1900 to 2100.
pub const DATE_PATTERN: &str = concat!("^(?:", date_body!(), ")$");
/// `HH:MM` or `HH:MM:SS`.
pub const TIME_PATTERN: &str = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$";
/// `AAAA-MM-JJTHH:MM[:SS]`, local time without offset.
pub const LOCAL_DATE_TIME_PATTERN: &str = concat!(
    "^(?:",
    date_body!(),
    r")T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
);

/// An instant, RFC 3339 with a four-digit year from 1900 to 2100: `AAAA-MM-JJTHH:MM:SS`, an
/// optional fraction of a second (1 to 9 digits), then `Z` or an offset `±HH:MM`.
pub const INSTANT_PATTERN: &str = concat!(
    "^(?:",
    date_body!(),
    r")T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
);

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `AAAA-MM-JJ` with a year in [`YEARS`], or `None`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    parse_calendar_date(text).filter(|date| YEARS.contains(&date.year()))
}

/// `AAAA-MM-JJ` for a day that exists, any four-digit year, or `None`. Written by hand rather
/// than with `NaiveDate::parse_from_str`, whose format machinery the web app would carry.
pub fn parse_calendar_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || year.len() != 4
        || month.len() != 2
        || day.len() != 2
        || ![year, month, day].into_iter().all(digits)
    {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// `HH:MM` or `HH:MM:SS`, or `None`.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let parts: Vec<&str> = text.split(':').collect();
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(|p| p.len() == 2 && digits(p)) {
        return None;
    }
    let number = |i: usize| parts.get(i).map_or(Some(0), |p| p.parse::<u32>().ok());
    NaiveTime::from_hms_opt(number(0)?, number(1)?, number(2)?)
}

/// `AAAA-MM-JJTHH:MM[:SS]`, or `None`.
pub fn parse_local_date_time(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = text.split_once('T')?;
    Some(parse_date(date)?.and_time(parse_time(time)?))
}

/// An instant as [`INSTANT_PATTERN`] says (RFC 3339, years 1900 to 2100, `Z` or `±HH:MM`),
/// in UTC, or `None`. chrono alone also reads `+10000-01-01T00:00:00Z`, lower-case `t` and `z`
/// and a space for `T`: compared as text on SQLite, such a value would select every row.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let (date, rest) = text.split_once('T')?;
    parse_date(date)?;
    let bytes = rest.as_bytes();
    // HH:MM:SS
    let clock = rest.get(..8)?;
    let shaped = clock.len() == 8
        && bytes.get(2) == Some(&b':')
        && bytes.get(5) == Some(&b':')
        && [&clock[..2], &clock[3..5], &clock[6..8]]
            .into_iter()
            .all(digits);
    if !shaped {
        return None;
    }
    let mut tail = &rest[8..];
    if let Some(fraction) = tail.strip_prefix('.') {
        let length = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=9).contains(&length) {
            return None;
        }
        tail = &fraction[length..];
    }
    let zone_ok = tail == "Z"
        || (tail.len() == 6
            && matches!(tail.as_bytes()[0], b'+' | b'-')
            && tail.as_bytes()[3] == b':'
            && digits(&tail[1..3])
            && digits(&tail[4..6])
            && tail[1..3] < *"24"
            && tail[4..6] < *"60");
    if !zone_ok {
        return None;
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

fn read<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    parse: fn(&str) -> Option<T>,
    expected: &'static str,
) -> Result<T, D::Error> {
    let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
    parse(&text).ok_or_else(|| D::Error::custom(expected))
}

const DATE_EXPECTED: &str = "une date AAAA-MM-JJ entre 1900 et 2100";
const TIME_EXPECTED: &str = "une heure HH:MM ou HH:MM:SS";
const DATE_TIME_EXPECTED: &str = "une date et heure locales AAAA-MM-JJTHH:MM:SS";
const INSTANT_EXPECTED: &str = "un instant RFC 3339 AAAA-MM-JJTHH:MM:SS suivi de Z ou d'un décalage ±HH:MM, entre 1900 et 2100";

pub fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    read(deserializer, parse_date, DATE_EXPECTED)
}

pub fn option_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    match Option::<std::borrow::Cow<str>>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) => parse_date(&text)
            .map(Some)
            .ok_or_else(|| D::Error::custom(DATE_EXPECTED)),
    }
}

pub fn dates<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<NaiveDate>, D::Error> {
    Vec::<std::borrow::Cow<str>>::deserialize(deserializer)?
        .iter()
        .map(|text| parse_date(text).ok_or_else(|| D::Error::custom(DATE_EXPECTED)))
        .collect()
}

pub fn time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveTime, D::Error> {
    read(deserializer, parse_time, TIME_EXPECTED)
}

pub fn option_time<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveTime>, D::Error> {
    match Option::<std::borrow::Cow<str>>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) => parse_time(&text)
            .map(Some)
            .ok_or_else(|| D::Error::custom(TIME_EXPECTED)),
    }
}

pub fn local_date_time<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<NaiveDateTime, D::Error> {
    read(deserializer, parse_local_date_time, DATE_TIME_EXPECTED)
}

pub fn option_instant<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<std::borrow::Cow<str>>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) => parse_instant(&text)
            .map(Some)
            .ok_or_else(|| D::Error::custom(INSTANT_EXPECTED)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_read_strictly_and_in_utc() {
        let at = |text: &str| parse_instant(text).map(|t| t.to_rfc3339());
        assert_eq!(
            at("2027-03-10T09:00:00+01:00").as_deref(),
            Some("2027-03-10T08:00:00+00:00")
        );
        assert_eq!(
            at("2027-03-10T08:00:00.5Z").as_deref(),
            Some("2027-03-10T08:00:00.500+00:00")
        );
        assert!(parse_instant("2100-12-31T23:59:59.123456789-12:00").is_some());
        for loose in [
            "+10000-01-01T00:00:00Z",
            "10000-01-01T00:00:00Z",
            "-2027-01-01T00:00:00Z",
            "2101-01-01T00:00:00Z",
            "1899-12-31T23:59:59Z",
            "2027-03-10t08:00:00z",
            "2027-03-10 08:00:00Z",
            "2027-03-10T08:00Z",
            "2027-03-10T08:00:00",
            "2027-03-10T08:00:00.Z",
            "2027-03-10T08:00:00.1234567890Z",
            "2027-03-10T08:00:00+0100",
            "2027-03-10T08:00:00+24:00",
            "2027-02-29T08:00:00Z",
            "2027-3-10T08:00:00Z",
            "2027-03-10T24:00:00Z",
            "",
        ] {
            assert_eq!(parse_instant(loose), None, "{loose}");
        }
    }

    /// The pattern the document shows and the parser agree, on accepted and refused texts.
    #[test]
    fn the_instant_pattern_says_what_the_parser_reads() {
        let pattern = regex_lite::Regex::new(INSTANT_PATTERN).expect("a valid pattern");
        for text in [
            "2027-03-10T08:00:00Z",
            "2027-03-10T09:00:00+01:00",
            "2028-02-29T08:00:00.123-05:30",
            "+10000-01-01T00:00:00Z",
            "2027-03-10T08:00:00",
            "2027-02-29T08:00:00Z",
            "2027-03-10T08:00:00+24:00",
        ] {
            assert_eq!(
                pattern.is_match(text),
                parse_instant(text).is_some(),
                "{text}"
            );
        }
    }

    #[test]
    fn dates_are_read_strictly() {
        assert_eq!(
            parse_date("2027-01-05"),
            NaiveDate::from_ymd_opt(2027, 1, 5)
        );
        for loose in [
            "2027-1-5",
            "0000-01-01",
            "1899-12-31",
            "2101-01-01",
            "2027-02-30",
            "+2027-01-05",
            "2027-01-05T00:00",
            " 2027-01-05",
            "2027/01/05",
            "",
            "２０２７-01-05",
        ] {
            assert_eq!(parse_date(loose), None, "{loose}");
        }
        assert!(parse_date("1900-01-01").is_some());
        assert!(parse_date("2100-12-31").is_some());
    }

    #[test]
    fn times_and_local_date_times_are_read_strictly() {
        assert_eq!(parse_time("08:30"), NaiveTime::from_hms_opt(8, 30, 0));
        assert_eq!(parse_time("23:59:59"), NaiveTime::from_hms_opt(23, 59, 59));
        for loose in [
            "8:30",
            "24:00",
            "08:60",
            "08:30:60",
            "08:30:00.5",
            "08",
            "08:30Z",
        ] {
            assert_eq!(parse_time(loose), None, "{loose}");
        }
        assert!(parse_local_date_time("2027-05-03T09:00:00").is_some());
        assert!(parse_local_date_time("2027-05-03T09:00").is_some());
        for loose in [
            "2027-05-03T09:00:00Z",
            "2027-05-03 09:00:00",
            "2027-05-03T09:00:00+02:00",
        ] {
            assert_eq!(parse_local_date_time(loose), None, "{loose}");
        }
    }
}

/// The OpenAPI schemas of these formats, built from the patterns above: fields use them with
/// `schema(value_type = Day)` (or `Option<Day>`, `Vec<Day>`), so the document and the parser
/// cannot disagree.
#[cfg(feature = "openapi")]
mod schemas {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    use utoipa::openapi::{RefOr, schema::Schema};

    fn string(format: Option<KnownFormat>, pattern: &str, description: &str) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(format.map(SchemaFormat::KnownFormat))
            .pattern(Some(pattern))
            .description(Some(description))
            .into()
    }

    /// A date, `AAAA-MM-JJ`.
    pub struct Day;
    impl utoipa::PartialSchema for Day {
        fn schema() -> RefOr<Schema> {
            string(
                Some(KnownFormat::Date),
                super::DATE_PATTERN,
                "Une date `AAAA-MM-JJ`, de 1900 à 2100.",
            )
        }
    }
    impl utoipa::ToSchema for Day {}

    /// A local time of day, `HH:MM[:SS]`.
    pub struct LocalTime;
    impl utoipa::PartialSchema for LocalTime {
        fn schema() -> RefOr<Schema> {
            string(
                None,
                super::TIME_PATTERN,
                "Une heure locale (Europe/Paris) `HH:MM` ou `HH:MM:SS` ; renvoyée `HH:MM:SS`.",
            )
        }
    }
    impl utoipa::ToSchema for LocalTime {}

    /// A local date and time, `AAAA-MM-JJTHH:MM[:SS]`, without offset.
    pub struct LocalDateTime;
    impl utoipa::PartialSchema for LocalDateTime {
        fn schema() -> RefOr<Schema> {
            string(
                None,
                super::LOCAL_DATE_TIME_PATTERN,
                "Une date et heure locales (Europe/Paris), `AAAA-MM-JJTHH:MM:SS`, sans décalage horaire (pas de `Z` ni de `+02:00`).",
            )
        }
    }
    impl utoipa::ToSchema for LocalDateTime {}

    /// An instant, RFC 3339 (`Z` or `±HH:MM`), years 1900 to 2100.
    pub struct Instant;
    impl utoipa::PartialSchema for Instant {
        fn schema() -> RefOr<Schema> {
            string(
                Some(KnownFormat::DateTime),
                super::INSTANT_PATTERN,
                "Un instant RFC 3339, `AAAA-MM-JJTHH:MM:SS` (fraction de seconde facultative) suivi de `Z` ou d'un décalage `±HH:MM`, de 1900 à 2100.",
            )
        }
    }
    impl utoipa::ToSchema for Instant {}
}
#[cfg(feature = "openapi")]
pub use schemas::{Day, Instant, LocalDateTime, LocalTime};
