//! The monthly invoice run, pure: what a family's month costs, line by line (`price_month`),
//! and what a later run must add or credit so that the invoices of a month always add up to
//! what was consumed (`corrections`), without ever editing an issued invoice.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::invoice::sibling_ranks;
use super::mul_div_round;
use super::psu::{self, PsuParameters};
use super::tariff::{self, Attendance, FamilyQuotient, LineContext, Tariff};
use crate::ServiceCode;
use crate::format::euros;

/// What the run knows of a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FamilyFacts {
    pub quotient: FamilyQuotient,
    pub resident: bool,
    /// Monthly resources for the crèche (cents); the ceiling applies when unknown (CNAF).
    pub resources_cents: Option<i64>,
    pub dependent_children: u32,
    pub aeeh: bool,
}

/// One thing that may be billed: a child at a unit on a day, and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub child_id: Uuid,
    pub child_name: String,
    pub child_birth: Option<NaiveDate>,
    pub service: ServiceCode,
    pub service_name: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub date: NaiveDate,
    pub attendance: Attendance,
    /// The unit's length in hundredths of an hour (crèche: billed by the hour).
    pub hours_hundredths: Option<i64>,
}

/// How a unit is priced.
#[derive(Debug, Clone, Copy)]
pub enum Pricing<'a> {
    /// The unit's dated tariffs.
    Tariffs(&'a [Tariff]),
    /// The crèche's hourly PSU rate, from the dated parameters.
    Psu(&'a [PsuParameters]),
}

/// Why a line cannot be priced: the run refuses to issue until staff fix it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PricingGap {
    NoTariff { unit_id: Uuid, date: NaiveDate },
    NoPsuParameters { date: NaiveDate },
    NoHours { unit_id: Uuid },
}

impl PricingGap {
    pub fn label_fr(&self, unit_name: &str) -> String {
        match self {
            Self::NoTariff { date, .. } => format!(
                "Aucun tarif de «\u{a0}{unit_name}\u{a0}» ne couvre le {}.",
                crate::format::numeric_date(*date)
            ),
            Self::NoPsuParameters { date } => format!(
                "Aucun paramètre PSU n'est en vigueur le {}.",
                crate::format::numeric_date(*date)
            ),
            Self::NoHours { .. } => {
                format!(
                    "«\u{a0}{unit_name}\u{a0}» n'a pas d'horaires : ses heures ne peuvent être facturées."
                )
            }
        }
    }
}

/// A priced line (or a correction of one: negative quantity and amount on a credit note).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Which booking and price this line is: `child|unit|date|unit price|rule`.
    pub key: String,
    pub child_id: Uuid,
    pub child_name: String,
    pub service: ServiceCode,
    pub service_name: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub date: NaiveDate,
    /// Hundredths: 1 meal = 100, 3 h 30 = 350.
    pub quantity_hundredths: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
    pub rule: String,
}

/// The amount of a line: `quantity × unit price`, rounded once as everywhere.
pub fn amount(quantity_hundredths: i64, unit_price_cents: i64) -> i64 {
    mul_div_round(unit_price_cents, quantity_hundredths, 100).unwrap_or(i64::MAX)
}

/// Prices a family's facts of a month. Children of the family on the same day and service
/// are ranked eldest first for the sibling rate (an excused child does not count). Lines come
/// out by child, service, date, unit; gaps (no tariff, no PSU parameters, no hours) are
/// returned beside them, once each.
pub fn price_month<'a>(
    family: &FamilyFacts,
    facts: &[Fact],
    pricing: impl Fn(Uuid) -> Option<Pricing<'a>>,
) -> (Vec<Line>, Vec<PricingGap>) {
    let mut groups: HashMap<(NaiveDate, ServiceCode), Vec<(Uuid, NaiveDate)>> = HashMap::new();
    for f in facts.iter().filter(|f| f.attendance != Attendance::Excused) {
        let birth = f.child_birth.unwrap_or(NaiveDate::MAX);
        let group = groups.entry((f.date, f.service)).or_default();
        if !group.iter().any(|(id, _)| *id == f.child_id) {
            group.push((f.child_id, birth));
        }
    }
    let ranks: HashMap<(NaiveDate, ServiceCode, Uuid), u32> = groups
        .iter()
        .flat_map(|((date, service), children)| {
            sibling_ranks(children)
                .into_iter()
                .map(move |(id, rank)| ((*date, *service, id), rank))
        })
        .collect();

    let mut lines = Vec::with_capacity(facts.len());
    let mut gaps = Vec::new();
    for f in facts {
        let priced = match pricing(f.unit_id) {
            None => Err(PricingGap::NoTariff {
                unit_id: f.unit_id,
                date: f.date,
            }),
            Some(Pricing::Tariffs(tariffs)) => tariff::in_force(tariffs, f.date)
                .map(|t| {
                    let price = t.price(LineContext {
                        quotient: family.quotient,
                        year: f.date.year(),
                        resident: family.resident,
                        sibling_rank: ranks
                            .get(&(f.date, f.service, f.child_id))
                            .copied()
                            .unwrap_or(1),
                        attendance: f.attendance,
                    });
                    (100, price.unit_price_cents, price.label_fr())
                })
                .ok_or(PricingGap::NoTariff {
                    unit_id: f.unit_id,
                    date: f.date,
                }),
            Some(Pricing::Psu(parameters)) => psu_line(family, f, parameters),
        };
        match priced {
            Ok((quantity, unit_price, rule)) => lines.push(Line {
                key: format!(
                    "{}|{}|{}|{}|{}",
                    f.child_id, f.unit_id, f.date, unit_price, rule
                ),
                child_id: f.child_id,
                child_name: f.child_name.clone(),
                service: f.service,
                service_name: f.service_name.clone(),
                unit_id: f.unit_id,
                unit_name: f.unit_name.clone(),
                date: f.date,
                quantity_hundredths: quantity,
                unit_price_cents: unit_price,
                amount_cents: amount(quantity, unit_price),
                rule,
            }),
            Err(gap) => {
                if !gaps.contains(&gap) {
                    gaps.push(gap);
                }
            }
        }
    }
    sort_lines(&mut lines);
    gaps.sort();
    (lines, gaps)
}

/// A crèche line: the unit's hours at the family's hourly rate; not charged when excused.
fn psu_line(
    family: &FamilyFacts,
    f: &Fact,
    parameters: &[PsuParameters],
) -> Result<(i64, i64, String), PricingGap> {
    let hours = f
        .hours_hundredths
        .filter(|h| *h > 0)
        .ok_or(PricingGap::NoHours { unit_id: f.unit_id })?;
    let p =
        psu::in_force(parameters, f.date).ok_or(PricingGap::NoPsuParameters { date: f.date })?;
    if f.attendance == Attendance::Excused {
        return Ok((hours, 0, "Absence justifiée, non facturée".to_owned()));
    }
    let resources = family.resources_cents.unwrap_or(p.ceiling_cents);
    let children = family.dependent_children.max(1);
    let rate = p
        .hourly_rate_cents(resources, children, family.aeeh)
        .unwrap_or(0);
    let mut rule = format!(
        "Tarif horaire PSU : {} de ressources, {} ({} %)",
        euros(resources.clamp(p.floor_cents, p.ceiling_cents)),
        crate::format::count(
            children.saturating_add(u32::from(family.aeeh)),
            "enfant à charge",
            "enfants à charge"
        ),
        percent_of_ppm(p.rate_ppm(children, family.aeeh).unwrap_or(0)),
    );
    if family.resources_cents.is_none() {
        rule.push_str(", ressources non communiquées : plafond");
    }
    match f.attendance {
        Attendance::Absent => rule.push_str(", absence non justifiée"),
        Attendance::CancelledLate => rule.push_str(", annulation tardive"),
        _ => {}
    }
    Ok((hours, rate, rule))
}

/// 516 millionths → « 0,0516 ».
fn percent_of_ppm(ppm: i64) -> String {
    format!("{},{:04}", ppm / 10_000, ppm % 10_000)
}

fn sort_lines(lines: &mut [Line]) {
    lines.sort_by(|a, b| {
        (
            &a.child_name,
            a.child_id,
            a.service.as_str(),
            a.date,
            &a.unit_name,
        )
            .cmp(&(
                &b.child_name,
                b.child_id,
                b.service.as_str(),
                b.date,
                &b.unit_name,
            ))
    });
}

/// What a new run issues for a family's month, given the lines of the invoices and credit
/// notes already issued for it (credit lines negative): an invoice for what is new or grew,
/// a credit note for what went away or shrank. Nothing when nothing changed, so running the
/// month again issues nothing twice. Keys say which line is which; a price that changed is
/// a new key: the old line is credited and the new one invoiced.
pub fn corrections(current: &[Line], issued: &[Line]) -> (Vec<Line>, Vec<Line>) {
    let mut net: BTreeMap<&str, (i64, i64, &Line)> = BTreeMap::new();
    for line in issued {
        let entry = net.entry(&line.key).or_insert((0, 0, line));
        entry.0 = entry.0.saturating_add(line.quantity_hundredths);
        entry.1 = entry.1.saturating_add(line.amount_cents);
    }
    let mut invoice = Vec::new();
    let mut credit = Vec::new();
    for line in current {
        let (quantity, amount, _) = net.remove(line.key.as_str()).unwrap_or((0, 0, line));
        let delta = Line {
            quantity_hundredths: line.quantity_hundredths.saturating_sub(quantity),
            amount_cents: line.amount_cents.saturating_sub(amount),
            ..line.clone()
        };
        if delta.quantity_hundredths > 0
            || (delta.quantity_hundredths == 0 && delta.amount_cents > 0)
        {
            invoice.push(delta);
        } else if delta.quantity_hundredths < 0 || delta.amount_cents < 0 {
            credit.push(delta);
        }
    }
    for (quantity, amount, line) in net.into_values() {
        if quantity != 0 || amount != 0 {
            credit.push(Line {
                quantity_hundredths: quantity.saturating_neg(),
                amount_cents: amount.saturating_neg(),
                ..line.clone()
            });
        }
    }
    // A supplementary invoice of nothing but free lines (an absence now excused) is not
    // worth a number: its lines go out with the next one that costs something.
    if invoice.iter().all(|l| l.amount_cents == 0) {
        invoice.clear();
    }
    sort_lines(&mut invoice);
    sort_lines(&mut credit);
    (invoice, credit)
}

/// What an invoice run is asked (`InvoiceRunRequest`), checked: a month written `AAAA-MM`
/// and one to five services; its first and last days.
pub fn check_request(
    month: &str,
    services: &[ServiceCode],
) -> Result<(NaiveDate, NaiveDate), crate::parse::FieldErrors> {
    crate::rules::planning::calendar::month_bounds(month)
        .filter(|_| month.len() == 7 && !services.is_empty() && services.len() <= 5)
        .ok_or_else(|| {
            crate::parse::FieldErrors::one(
                "month",
                crate::parse::InvalidValue::new(
                    "invalid_format",
                    "Choisissez un mois (AAAA-MM) et au moins un service.",
                ),
            )
        })
}

/// The days of a month (`first`..=`last`) not over on `today`: from today (its day is not
/// over either) to the month's last day; `None` once the month has ended. Invoicing them now
/// prices their bookings without their attendance marks, and an issued invoice is never
/// changed (only credited): the run asks for a confirmation naming them.
pub fn days_not_over(
    first: NaiveDate,
    last: NaiveDate,
    today: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    (today <= last).then(|| (today.max(first), last))
}

/// What staff read before invoicing a month that has not ended (`days_not_over`).
pub fn unfinished_month_warning(month: &str, from: NaiveDate, to: NaiveDate) -> String {
    let days = if from == to {
        format!("le {} n'est pas encore passé", crate::format::day_fr(from))
    } else {
        format!(
            "les jours du {} au {} ne sont pas encore passés",
            crate::format::day_fr(from),
            crate::format::day_fr(to)
        )
    };
    format!(
        "Le mois {} n'est pas terminé : {days}. Leurs réservations seraient facturées sans les présences, et une facture émise ne se modifie plus (seul un avoir la corrige). Confirmez pour émettre quand même.",
        crate::format::de(&crate::format::month_label(month))
    )
}

/// The day an invoice of `month` (its first day) is due: `due_day` of the next month (the
/// last day of that month when it is shorter).
pub fn due_on(month_start: NaiveDate, due_day: u32) -> NaiveDate {
    let next = month_start
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(month_start);
    let day = due_day.clamp(1, 31);
    (0..4)
        .find_map(|back| next.with_day(day.saturating_sub(back)))
        .unwrap_or(next)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_month_not_over_names_its_remaining_days_and_an_ended_one_none() {
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).expect("date");
        let (first, last) = (day(12, 1), day(12, 31));
        assert_eq!(
            super::days_not_over(first, last, day(12, 7)),
            Some((day(12, 7), last))
        );
        assert_eq!(
            super::days_not_over(first, last, day(11, 20)),
            Some((first, last)),
            "a month not begun: every day"
        );
        assert_eq!(
            super::days_not_over(first, last, day(12, 31)),
            Some((last, last))
        );
        assert_eq!(
            super::days_not_over(day(11, 1), day(11, 30), day(12, 1)),
            None
        );
        let text = super::unfinished_month_warning("2026-12", day(12, 7), last);
        assert!(
            text.starts_with("Le mois de décembre 2026 n'est pas terminé : les jours du lundi 7 décembre au jeudi 31 décembre"),
            "{text}"
        );
        let text = super::unfinished_month_warning("2027-04", day(12, 31), day(12, 31));
        assert!(text.contains("Le mois d'avril 2027"), "{text}");
        assert!(
            text.contains("le jeudi 31 décembre n'est pas encore passé"),
            "{text}"
        );
    }

    use super::*;
    use crate::rules::billing::tariff::{Bracket, SiblingRate};
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn canteen() -> Tariff {
        Tariff {
            valid_from: d(2026, 9, 1),
            valid_to: None,
            brackets: vec![
                Bracket {
                    up_to: Some(600),
                    price_cents: 120,
                },
                Bracket {
                    up_to: None,
                    price_cents: 350,
                },
            ],
            non_resident_cents: None,
            sibling: Some(SiblingRate::PercentOff(10)),
            unbooked_cents: Some(549),
        }
    }

    fn fact(child: u128, born: NaiveDate, day: u32, attendance: Attendance) -> Fact {
        Fact {
            child_id: Uuid::from_u128(child),
            child_name: format!("Enfant {child}"),
            child_birth: Some(born),
            service: ServiceCode::Restauration,
            service_name: "Restauration scolaire".to_owned(),
            unit_id: Uuid::from_u128(100),
            unit_name: "Repas".to_owned(),
            date: d(2026, 11, day),
            attendance,
            hours_hundredths: None,
        }
    }

    fn family() -> FamilyFacts {
        FamilyFacts {
            quotient: FamilyQuotient {
                amount: Some(800),
                year: Some(2026),
                proof_accepted: true,
            },
            resident: true,
            resources_cents: Some(300_000),
            dependent_children: 2,
            aeeh: false,
        }
    }

    #[test]
    fn a_month_of_meals_siblings_unbooked_and_excused() {
        let tariffs = [canteen()];
        let facts = [
            fact(1, d(2016, 1, 1), 2, Attendance::Booked),
            fact(2, d(2018, 1, 1), 2, Attendance::Booked),
            fact(2, d(2018, 1, 1), 3, Attendance::Unbooked),
            fact(1, d(2016, 1, 1), 3, Attendance::Excused),
        ];
        let (lines, gaps) = price_month(&family(), &facts, |_| Some(Pricing::Tariffs(&tariffs)));
        assert!(gaps.is_empty());
        let got: Vec<(&str, u32, i64, &str)> = lines
            .iter()
            .map(|l| {
                (
                    l.child_name.as_str(),
                    l.date.day(),
                    l.amount_cents,
                    l.rule.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("Enfant 1", 2, 350, "Tranche 2"),
                ("Enfant 1", 3, 0, "Absence justifiée, non facturée"),
                ("Enfant 2", 2, 315, "Tranche 2, tarif fratrie"),
                // The elder is excused on the 3rd: the younger is the first child that day.
                ("Enfant 2", 3, 549, "Repas pris sans réservation"),
            ]
        );
    }

    #[test]
    fn the_worked_example_billed_by_the_hour() {
        let parameters = [PsuParameters {
            valid_from: d(2026, 1, 1),
            floor_cents: 80_000,
            ceiling_cents: 850_000,
            rates_ppm: psu::RATES_2026_PPM,
        }];
        let f = Fact {
            service: ServiceCode::Creche,
            hours_hundredths: Some(350),
            ..fact(1, d(2025, 3, 1), 4, Attendance::Booked)
        };
        let (lines, gaps) = price_month(&family(), std::slice::from_ref(&f), |_| {
            Some(Pricing::Psu(&parameters))
        });
        assert!(gaps.is_empty());
        // 1.55 €/h × 3.5 h = 5.425 € → 5.43 €.
        assert_eq!(
            (lines[0].unit_price_cents, lines[0].amount_cents),
            (155, 543)
        );
        assert_eq!(
            lines[0].rule,
            "Tarif horaire PSU : 3\u{a0}000,00\u{a0}€ de ressources, 2 enfants à charge (0,0516 %)"
        );
        let unknown = FamilyFacts {
            resources_cents: None,
            ..family()
        };
        let (lines, _) = price_month(&unknown, &[f], |_| Some(Pricing::Psu(&parameters)));
        assert_eq!(lines[0].unit_price_cents, 439); // 8,500 € × 0.0516 % = 4.386 €
        assert!(
            lines[0]
                .rule
                .ends_with("ressources non communiquées : plafond")
        );
    }

    #[test]
    fn gaps_are_said_once() {
        let facts = [
            fact(1, d(2016, 1, 1), 2, Attendance::Booked),
            fact(1, d(2016, 1, 1), 2, Attendance::Booked),
        ];
        let (lines, gaps) = price_month(&family(), &facts, |_| None);
        assert!(lines.is_empty());
        assert_eq!(gaps.len(), 1);
        let old = Tariff {
            valid_to: Some(d(2026, 10, 31)),
            ..canteen()
        };
        let tariffs = [old];
        let (_, gaps) = price_month(&family(), &facts, |_| Some(Pricing::Tariffs(&tariffs)));
        assert_eq!(
            gaps[0].label_fr("Repas"),
            "Aucun tarif de «\u{a0}Repas\u{a0}» ne couvre le 02/11/2026."
        );
    }

    #[test]
    fn a_second_run_issues_only_what_changed() {
        let tariffs = [canteen()];
        let price =
            |facts: &[Fact]| price_month(&family(), facts, |_| Some(Pricing::Tariffs(&tariffs))).0;
        let first = price(&[
            fact(1, d(2016, 1, 1), 2, Attendance::Booked),
            fact(1, d(2016, 1, 1), 3, Attendance::Booked),
        ]);
        let (again, credit) = corrections(&first, &first);
        assert!(again.is_empty() && credit.is_empty(), "nothing twice");
        // The 3rd is now excused (its price changes), the 4th is added.
        let second = price(&[
            fact(1, d(2016, 1, 1), 2, Attendance::Booked),
            fact(1, d(2016, 1, 1), 3, Attendance::Excused),
            fact(1, d(2016, 1, 1), 4, Attendance::Booked),
        ]);
        let (more, less) = corrections(&second, &first);
        assert_eq!(
            more.iter()
                .map(|l| (l.date.day(), l.amount_cents))
                .collect::<Vec<_>>(),
            vec![(3, 0), (4, 350)]
        );
        assert_eq!(
            less.iter()
                .map(|l| (l.date.day(), l.quantity_hundredths, l.amount_cents))
                .collect::<Vec<_>>(),
            vec![(3, -100, -350)]
        );
        let issued: Vec<Line> = first.iter().chain(&more).chain(&less).cloned().collect();
        let (third, fourth) = corrections(&second, &issued);
        assert!(third.is_empty() && fourth.is_empty());
    }

    #[test]
    fn due_dates() {
        assert_eq!(due_on(d(2026, 11, 1), 15), d(2026, 12, 15));
        assert_eq!(due_on(d(2027, 1, 1), 31), d(2027, 2, 28));
        assert_eq!(due_on(d(2026, 12, 1), 10), d(2027, 1, 10));
    }

    fn arb_facts() -> impl Strategy<Value = Vec<Fact>> {
        prop::collection::vec((1_u128..4, 1_u32..29, 0_usize..5), 0..30).prop_map(|raw| {
            let kinds = [
                Attendance::Booked,
                Attendance::Unbooked,
                Attendance::Excused,
                Attendance::Absent,
                Attendance::CancelledLate,
            ];
            let mut facts: Vec<Fact> = raw
                .into_iter()
                .map(|(child, day, kind)| {
                    fact(
                        child,
                        d(2015, 1, u32::try_from(child).unwrap_or(1)),
                        day,
                        kinds[kind],
                    )
                })
                .collect();
            facts.sort_by_key(|f| (f.child_id, f.date));
            facts.dedup_by_key(|f| (f.child_id, f.date));
            facts
        })
    }

    proptest! {
        /// Whatever happened between two runs, what was issued plus the corrections adds up
        /// to what is owed now, and correcting again issues nothing.
        #[test]
        fn corrections_always_add_up(before in arb_facts(), after in arb_facts()) {
            let tariffs = [canteen()];
            let price = |facts: &[Fact]| {
                price_month(&family(), facts, |_| Some(Pricing::Tariffs(&tariffs))).0
            };
            let (first, second) = (price(&before), price(&after));
            let (more, less) = corrections(&second, &first);
            prop_assert!(more.iter().all(|l| l.amount_cents >= 0));
            prop_assert!(less.iter().all(|l| l.amount_cents <= 0));
            let total = |lines: &[Line]| lines.iter().map(|l| l.amount_cents).sum::<i64>();
            prop_assert_eq!(total(&first) + total(&more) + total(&less), total(&second));
            let issued: Vec<Line> = first.iter().chain(&more).chain(&less).cloned().collect();
            let (again, again_less) = corrections(&second, &issued);
            prop_assert!(again.is_empty() && again_less.is_empty());
        }
    }
}
