//! The certificates' PDFs (issue 24, point 3): the attestation fiscale, one page per child
//! (a family's, or the whole commune's for staff), and the attestation de présence.

use chrono::{Datelike as _, NaiveDate};
use portail_domain::api::{
    AttendanceCertificateResponse, FiscalCertificateChild, FiscalCertificateResponse,
};
use portail_domain::format::{date_fr, day_of_month_fr, de, euros, month_fr, numeric_date};

use super::layout::{Layout, wrap, write};
use super::{BLUE, Letterhead, MARGIN, WIDTH, top};
use crate::billing::certificates::Addressee;

/// A paragraph wrapped to the page's width.
fn paragraph(l: &mut Layout, size: f32, text: &str) {
    for line in wrap(size, text, WIDTH - 2.0 * MARGIN) {
        l.text(MARGIN, size, false, line);
        l.y += size + 4.0;
    }
}

/// « Fait à Avermes, le 4 janvier 2027 » and who signs.
fn signature(l: &mut Layout, head: &Letterhead<'_>, today: NaiveDate) {
    l.y += 18.0;
    l.text(
        MARGIN,
        10.0,
        false,
        format!(
            "Fait à {}, le {} {} {}",
            head.commune,
            day_of_month_fr(today),
            month_fr(today.month()),
            today.year()
        ),
    );
    l.y += 16.0;
    l.text(
        MARGIN,
        10.0,
        false,
        "Le régisseur des services de l'enfance",
    );
}

/// The attestations fiscales of `certificates`: a page for each child `pick` keeps.
pub fn render_fiscal(
    certificates: &[(FiscalCertificateResponse, Addressee)],
    pick: impl Fn(&FiscalCertificateChild) -> bool,
    head: &Letterhead<'_>,
    today: NaiveDate,
) -> anyhow::Result<Vec<u8>> {
    let mut l = Layout::new();
    let mut first = true;
    let mut year = 0;
    for (certificate, addressee) in certificates {
        year = certificate.year;
        for child in certificate.children.iter().filter(|c| pick(c)) {
            if !first {
                l.new_page();
            }
            first = false;
            fiscal_page(&mut l, certificate, addressee, child, head, today);
        }
    }
    if first {
        anyhow::bail!("no certificate to render");
    }
    write(
        &l,
        &format!("Attestation fiscale {year}"),
        &format!("Attestation fiscale {year} — frais de garde"),
    )
}

fn fiscal_page(
    l: &mut Layout,
    certificate: &FiscalCertificateResponse,
    addressee: &Addressee,
    child: &FiscalCertificateChild,
    head: &Letterhead<'_>,
    today: NaiveDate,
) {
    let year = certificate.year;
    top(l, head, "ATTESTATION FISCALE", &format!("Année {year}"));
    l.y += 34.0;
    l.colored(
        MARGIN,
        12.0,
        true,
        BLUE,
        "Frais de garde des enfants de moins de 6 ans",
    );
    l.y += 22.0;
    let payer = if addressee.name.is_empty() {
        format!("la famille {}", certificate.family_name)
    } else {
        addressee.name.clone()
    };
    let living = if addressee.address.is_empty() {
        String::new()
    } else {
        format!(", demeurant {},", addressee.address)
    };
    paragraph(
        l,
        10.0,
        &format!(
            "La commune {} atteste que {payer}{living} a payé au cours de l'année {year}, pour la garde de l'enfant {} {} (date de naissance : {}), les sommes suivantes :",
            portail_domain::format::of_place(head.commune),
            child.first_name,
            child.last_name,
            numeric_date(child.birth_date),
        ),
    );
    l.y += 6.0;
    l.rule();
    for s in &child.by_service {
        l.y += 15.0;
        l.text(MARGIN, 10.0, false, &s.service_name);
        l.right(WIDTH - MARGIN, 10.0, false, &euros(s.amount_cents));
    }
    l.y += 8.0;
    l.rule();
    l.y += 16.0;
    l.text(MARGIN, 11.0, true, format!("Total payé en {year}"));
    l.right(WIDTH - MARGIN, 11.0, true, &euros(child.amount_cents));
    l.y += 24.0;
    paragraph(
        l,
        9.0,
        &format!(
            "Sommes effectivement payées en {year} (quel que soit le mois facturé), aides de la CAF déjà déduites. Les frais de repas (restauration scolaire) sont exclus. Montant à reporter sur la déclaration de revenus, rubrique «\u{a0}Frais de garde des enfants de moins de 6 ans\u{a0}» (cases 7GA à 7GC, une par enfant)."
        ),
    );
    signature(l, head, today);
}

/// The attestation de présence: the days, one per line, and how many.
pub fn render_attendance(
    certificate: &AttendanceCertificateResponse,
    head: &Letterhead<'_>,
    today: NaiveDate,
) -> anyhow::Result<Vec<u8>> {
    let mut l = Layout::new();
    top(
        &mut l,
        head,
        "ATTESTATION DE PRÉSENCE",
        &format!(
            "Du {} au {}",
            numeric_date(certificate.from),
            numeric_date(certificate.to)
        ),
    );
    l.y += 34.0;
    let count = certificate.days.len();
    paragraph(
        &mut l,
        10.0,
        &format!(
            "La commune {} atteste la présence de l'enfant {} (famille {}) au service {}, du {} au {}, {} :",
            portail_domain::format::of_place(head.commune),
            certificate.child_name,
            certificate.family_name,
            portail_domain::format::quoted(&certificate.service_name),
            date_fr(certificate.from),
            date_fr(certificate.to),
            portail_domain::format::count(u64::try_from(count).unwrap_or(0), "jour", "jours"),
        ),
    );
    l.y += 6.0;
    l.rule();
    for day in &certificate.days {
        l.down(15.0, None);
        l.text(MARGIN, 10.0, false, date_fr(day.date));
        l.text(MARGIN + 210.0, 10.0, false, day.units.join(", "));
    }
    if certificate.days.is_empty() {
        l.y += 15.0;
        l.text(
            MARGIN,
            10.0,
            false,
            "Aucune présence relevée sur cette période.",
        );
    }
    l.down(10.0, None);
    l.rule();
    l.down(8.0, None);
    signature(&mut l, head, today);
    let title = format!("Attestation de présence {}", de(&certificate.child_name));
    write(&l, &title, "Attestation de présence")
}

/// The SEPA direct-debit mandate (issue 24, point 4): the creditor, its identifier (ICS), the
/// mandate's reference (RUM), the debtor and the account, the mandate's text, the signature.
pub fn render_mandate(
    mandate: &portail_domain::api::MandateResponse,
    full_iban: &str,
    creditor_id: &str,
    head: &Letterhead<'_>,
) -> anyhow::Result<Vec<u8>> {
    let mut l = Layout::new();
    top(
        &mut l,
        head,
        "MANDAT DE PRÉLÈVEMENT SEPA",
        &format!("Référence unique du mandat (RUM) : {}", mandate.reference),
    );
    l.y += 34.0;
    let creditor = format!("Commune {}", portail_domain::format::of_place(head.commune));
    for (label, value) in [
        ("Créancier", creditor.clone()),
        ("Identifiant créancier SEPA (ICS)", creditor_id.to_owned()),
        ("Titulaire du compte à débiter", mandate.holder.clone()),
        ("IBAN", portail_domain::parse::iban_grouped(full_iban)),
        ("Type de paiement", "Récurrent".to_owned()),
    ] {
        l.text(MARGIN, 10.0, true, label);
        l.text(MARGIN + 200.0, 10.0, false, value);
        l.y += 16.0;
    }
    l.y += 10.0;
    paragraph(
        &mut l,
        10.0,
        &portail_domain::api::mandate_text(&creditor, creditor_id),
    );
    l.y += 12.0;
    let how = if mandate.signed_online {
        format!(
            "Signé en ligne sur le Portail Famille le {}.",
            date_fr(mandate.signed_on)
        )
    } else {
        format!(
            "Signé sur papier le {}, enregistré par la mairie.",
            date_fr(mandate.signed_on)
        )
    };
    paragraph(&mut l, 10.0, &how);
    write(
        &l,
        &format!("Mandat de prélèvement SEPA {}", mandate.reference),
        "Mandat de prélèvement SEPA",
    )
}
