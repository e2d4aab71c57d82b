//! The demo data of `portail seed-demo`: the commune of Avermes, its five services, and a demo
//! administrator. Running it again changes nothing and creates no second administrator.

use anyhow::Context as _;
use chrono::Utc;
use portail_domain::ServiceCode;
use portail_domain::api::CreateDocumentRequirementRequest;
use portail_domain::auth::StaffRole;
use portail_domain::dossier::DocumentType;
use portail_domain::parse::Email;
use portail_entity::document_requirement;
use portail_entity::{commune, service, staff};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use secrecy::SecretString;
use uuid::Uuid;

use crate::Context;
use crate::accounts::staff::{CreateStaffError, NewStaff};
use portail_domain::ids::StaffId;

pub const DEMO_ADMIN_EMAIL: &str = "admin@avermes.example";

/// What `seed-demo` did; the password is there only when the administrator was just created.
pub struct SeedReport {
    pub admin_email: String,
    pub admin_password: Option<SecretString>,
    pub services_created: usize,
    /// The demo families' shared password, when they were just created.
    pub families_password: Option<SecretString>,
    pub families_created: usize,
    /// Last month's invoices issued for the demo families.
    pub invoices_created: usize,
}

const DEFAULT_REQUIREMENTS: [(DocumentType, bool); 3] = [
    (DocumentType::ProofOfAddress, false),
    (DocumentType::InsuranceCertificate, false),
    (DocumentType::VaccinationRecord, true),
];

struct ServiceSeed {
    code: ServiceCode,
    /// Mode, cut-off days (at 10:00), weekday rule, minimum and maximum age in months.
    rules: (
        &'static str,
        Option<i32>,
        Option<&'static str>,
        Option<i32>,
        Option<i32>,
    ),
    name: &'static str,
    structure_name: &'static str,
    phone: Option<&'static str>,
    description: &'static str,
    /// Demo contacts (`.example` addresses): staff set the real ones in « Réglages ».
    email: Option<&'static str>,
    hours: Option<&'static str>,
}

const SERVICES: [ServiceSeed; 5] = [
    ServiceSeed {
        code: ServiceCode::Creche,
        rules: (
            "request",
            None,
            Some("monday_for_next_week"),
            Some(2),
            Some(47),
        ),
        name: "Multi-accueil «\u{a0}La Souris Verte\u{a0}»",
        structure_name: "Multi-accueil La Souris Verte",
        phone: Some("04 70 45 61 51"),
        email: Some("souris-verte@avermes.example"),
        hours: Some("Du lundi au vendredi, de 7 h 30 à 18 h 30"),
        description: "Accueil occasionnel (souhaits de réservation saisis chaque lundi pour la semaine suivante uniquement) et préinscriptions en accueil régulier pour les enfants de 0 à 4 ans. Merci de prendre contact avec la structure avant de saisir votre préinscription.",
    },
    ServiceSeed {
        code: ServiceCode::Rpe,
        rules: ("request", None, None, None, None),
        name: "Relais petite enfance (RPE)",
        structure_name: "Relais petite enfance",
        phone: None,
        email: Some("rpe@avermes.example"),
        hours: Some("Sur rendez-vous, du mardi au vendredi"),
        description: "Information des parents et des assistantes maternelles, demandes de rendez-vous et inscriptions aux ateliers.",
    },
    ServiceSeed {
        code: ServiceCode::Alja,
        rules: ("instant", Some(2), None, Some(36), Some(143)),
        name: "Accueil de loisirs (ALJA)",
        structure_name: "Accueil de Loisirs des Jeunes Avermois",
        phone: None,
        email: Some("alja@avermes.example"),
        hours: Some("Les mercredis et pendant les vacances, de 7 h 30 à 18 h 30"),
        description: "Réservations à la journée ou à la demi-journée, avec ou sans repas, pendant les vacances et les mercredis.",
    },
    ServiceSeed {
        code: ServiceCode::Restauration,
        // From the « toute petite section » (2 years) to the end of the elementary school,
        // a year repeated included (12 years and 11 months).
        rules: ("instant", Some(2), None, Some(24), Some(155)),
        name: "Restauration scolaire",
        structure_name: "Restauration scolaire",
        phone: None,
        email: Some("restauration@avermes.example"),
        hours: Some("Du lundi au vendredi, de 8 h 30 à 12 h"),
        description: "Réservation et annulation des repas des jours d'école, jusqu'au délai fixé par le service.",
    },
    ServiceSeed {
        code: ServiceCode::Scolaire,
        rules: ("request", None, None, None, None),
        name: "Affaires scolaires",
        structure_name: "Service des affaires scolaires",
        phone: None,
        email: Some("affaires-scolaires@avermes.example"),
        hours: Some("En mairie, du lundi au vendredi, de 8 h 30 à 12 h et de 13 h 30 à 17 h"),
        description: "Demandes d'inscription scolaire pour l'année à venir.",
    },
];

/// The year considered already re-verified when the commune is set up on `today` (1 August).
fn first_reverification_done(today: chrono::NaiveDate) -> i32 {
    use chrono::Datelike as _;
    let this_year = crate::family::dossier::reverification_date(today.year(), 8, 1);
    if this_year.is_some_and(|date| today >= date) {
        today.year()
    } else {
        today.year().saturating_sub(1)
    }
}

pub async fn demo(ctx: &Context) -> anyhow::Result<SeedReport> {
    let db = &ctx.db;
    let hasher = &ctx.hasher;
    let now = Utc::now();
    if commune::Entity::find_by_id(1).one(db).await?.is_none() {
        commune::ActiveModel {
            id: Set(1),
            name: Set("Avermes".to_owned()),
            timezone: Set("Europe/Paris".to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            reverification_month: Set(8),
            reverification_day: Set(1),
            // A commune set up after this year's date starts with next year's re-verification.
            last_reverification_year: Set(Some(first_reverification_done(ctx.clock.today()))),
            postal_codes: Set("03000".to_owned()),
            address: Set("Hôtel de ville, 03000 Avermes".to_owned()),
            invoice_due_day: Set(15),
            blocking_threshold_cents: Set(None),
            // Made-up but well-formed: the demo's invoices show where each goes.
            siret: Set("21300013900013".to_owned()),
            iban: Set("FR7630006000011234567890189".to_owned()),
            bic: Set("TRPUFRP1".to_owned()),
            // The SEPA examples' identifier: the demo offers direct debit.
            creditor_id: Set("FR72ZZZ123456".to_owned()),
            billing_contact: Set(
                "Régie enfance : 04 70 46 80 00, enfance@avermes.example".to_owned()
            ),
        }
        .insert(db)
        .await?;
    }

    let mut services_created = 0_usize;
    for (order, seed) in SERVICES.iter().enumerate() {
        let existing = service::Entity::find()
            .filter(service::Column::Code.eq(seed.code.as_str()))
            .one(db)
            .await?;
        if existing.is_some() {
            continue;
        }
        service::ActiveModel {
            id: Set(Uuid::now_v7()),
            code: Set(seed.code.as_str().to_owned()),
            name: Set(seed.name.to_owned()),
            structure_name: Set(seed.structure_name.to_owned()),
            phone: Set(seed.phone.map(str::to_owned)),
            description: Set(seed.description.to_owned()),
            email: Set(seed.email.map(str::to_owned)),
            hours: Set(seed.hours.map(str::to_owned)),
            sort_order: Set(i32::try_from(order)?),
            created_at: Set(now),
            updated_at: Set(now),
            booking_mode: Set(seed.rules.0.to_owned()),
            cutoff_days: Set(seed.rules.1),
            cutoff_time: Set(seed.rules.1.map(|_| "10:00:00".to_owned())),
            cutoff_working_days: Set(false),
            weekday_rule: Set(seed.rules.2.map(str::to_owned)),
            min_age_months: Set(seed.rules.3),
            max_age_months: Set(seed.rules.4),
            // The holiday centre fills up: its full days take a waiting list.
            waiting_list: Set(if seed.code == ServiceCode::Alja {
                "auto"
            } else {
                "off"
            }
            .to_owned()),
            offer_hours: Set(24),
            accepts_messages: Set(true),
        }
        .insert(db)
        .await?;
        services_created = services_created.saturating_add(1);
    }

    let admin_exists = staff::Entity::find()
        .filter(staff::Column::Email.eq(DEMO_ADMIN_EMAIL))
        .one(db)
        .await?
        .is_some();
    let admin_password = if admin_exists {
        None
    } else {
        let password = crate::accounts::staff::generate_password();
        let created = crate::accounts::staff::create(
            db,
            hasher,
            NewStaff {
                email: Email::parse(DEMO_ADMIN_EMAIL)?,
                display_name: "Administrateur de démonstration".to_owned(),
                role: StaffRole::Admin,
                password: password.clone(),
            },
        )
        .await;
        match created {
            Ok(_) => Some(password),
            // Another seed ran at the same time: the administrator exists, which is what we want.
            Err(CreateStaffError::EmailTaken) => None,
            Err(error) => return Err(anyhow::Error::new(error)),
        }
    };

    if document_requirement::Entity::find().count(db).await? == 0 {
        for (document_type, per_child) in DEFAULT_REQUIREMENTS {
            crate::family::review::create_requirement(
                db,
                &CreateDocumentRequirementRequest {
                    service: None,
                    document_type,
                    per_child,
                },
            )
            .await?;
        }
        // The crèche's commission weighs the household's resources: a pre-registration comes
        // with the tax notice.
        crate::family::review::create_requirement(
            db,
            &CreateDocumentRequirementRequest {
                service: Some(ServiceCode::Creche),
                document_type: DocumentType::TaxNotice,
                per_child: false,
            },
        )
        .await?;
    }

    let admin = staff::Entity::find()
        .filter(staff::Column::Email.eq(DEMO_ADMIN_EMAIL))
        .one(db)
        .await?
        .context("the demo administrator")?;
    let families_password = crate::accounts::staff::generate_password();
    let families_hash = hasher.hash(&families_password).await?;
    let families_created =
        crate::seed_families::seed(ctx, StaffId::from(admin.id), &families_hash).await?;
    crate::seed_planning::seed(ctx, StaffId::from(admin.id)).await?;
    let invoices_created = crate::seed_billing::seed(ctx, StaffId::from(admin.id)).await?;

    Ok(SeedReport {
        invoices_created,
        admin_email: DEMO_ADMIN_EMAIL.to_owned(),
        admin_password,
        services_created,
        families_password: (families_created > 0).then_some(families_password),
        families_created,
    })
}
