//! Demo families for `portail seed-demo`, in every status, so a new user sees a populated
//! `/admin`. They are built through the same use-cases as real ones (history included).

use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::api::{
    ChildRequest, ContactPerson, DossierStatus, Household, UploadDocumentQuery,
};
use portail_domain::dossier::{
    AllocationRegime, Diet, DocumentType, FamilySituation, InvoicePayer, Sex,
};
use portail_domain::ids::{FamilyId, StaffId};
use portail_entity::{family, family_account, guardian};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use crate::Context;
use crate::family::{children, documents, dossier, household};

struct DemoFamily {
    email: &'static str,
    /// `madame` or `monsieur` (`parse::Civility`).
    civility: &'static str,
    last_name: &'static str,
    first_name: &'static str,
    /// First name, sex, and birthday as (years before the start of the current school year,
    /// month, day): the demo's children keep their ages whatever the year it is installed
    /// (in 2026-2027, Léa was born on 14 May 2019 and Lucas on 10 February 2024).
    children: &'static [(&'static str, Sex, (i32, u32, u32))],
    target: DossierStatus,
}

const FAMILIES: [DemoFamily; 4] = [
    DemoFamily {
        email: "famille.martin@avermes.example",
        civility: "madame",
        last_name: "Martin",
        first_name: "Sophie",
        children: &[("Jules", Sex::Boy, (8, 3, 12))],
        target: DossierStatus::Incomplete,
    },
    DemoFamily {
        email: "famille.bernard@avermes.example",
        civility: "monsieur",
        last_name: "Bernard",
        first_name: "Julien",
        children: &[
            ("Emma", Sex::Girl, (9, 9, 2)),
            ("Hugo", Sex::Boy, (6, 1, 20)),
        ],
        target: DossierStatus::Submitted,
    },
    DemoFamily {
        email: "famille.petit@avermes.example",
        civility: "madame",
        last_name: "Petit",
        first_name: "Camille",
        children: &[("Inès", Sex::Girl, (10, 6, 30))],
        target: DossierStatus::InfoRequested,
    },
    DemoFamily {
        email: "famille.durand@avermes.example",
        civility: "madame",
        last_name: "Durand",
        first_name: "Marie",
        children: &[
            ("Léa", Sex::Girl, (7, 5, 14)),
            ("Lucas", Sex::Boy, (2, 2, 10)),
        ],
        target: DossierStatus::Validated,
    },
];

/// A tiny but valid PDF, standing in for a scanned document.
fn demo_pdf(title: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {title}\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n").into_bytes()
}

/// Creates the demo families that do not exist yet; returns how many were created.
pub async fn seed(ctx: &Context, staff_id: StaffId, password_hash: &str) -> anyhow::Result<usize> {
    let mut created = 0_usize;
    for demo in &FAMILIES {
        let exists = family_account::Entity::find()
            .filter(family_account::Column::Email.eq(demo.email))
            .one(&ctx.db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        create(ctx, staff_id, password_hash, demo)
            .await
            .with_context(|| format!("Failed to seed {}", demo.email))?;
        created = created.saturating_add(1);
    }
    Ok(created)
}

async fn create(
    ctx: &Context,
    staff_id: StaffId,
    password_hash: &str,
    demo: &DemoFamily,
) -> anyhow::Result<()> {
    let now = ctx.clock.now();
    let family_id = Uuid::now_v7();
    family::ActiveModel {
        id: Set(family_id),
        dossier_status: Set(DossierStatus::Incomplete.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        last_activity_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?;
    family_account::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        email: Set(demo.email.to_owned()),
        password_hash: Set(password_hash.to_owned()),
        email_verified_at: Set(Some(now)),
        verification_sent_at: Set(None),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&ctx.db)
    .await?;
    guardian::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        rank: Set(1),
        civility: Set(demo.civility.to_owned()),
        last_name: Set(demo.last_name.to_owned()),
        first_name: Set(demo.first_name.to_owned()),
        birth_date: Set(NaiveDate::from_ymd_opt(1987, 4, 2)),
        address_line1: Set("3 place de la Mairie".to_owned()),
        address_line2: Set(None),
        postal_code: Set("03000".to_owned()),
        city: Set("Avermes".to_owned()),
        mobile_phone: Set(Some("06 12 34 56 78".to_owned())),
        home_phone: Set(None),
        email: Set(None),
        profession: Set(None),
        employer: Set(None),
        work_phone: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&ctx.db)
    .await?;
    if demo.target == DossierStatus::Incomplete {
        return Ok(());
    }
    let school_year = crate::seed_planning::school_year_start(ctx.clock.today());
    household::update(
        ctx,
        FamilyId::from(family_id),
        &Household {
            family_situation: Some(FamilySituation::Married),
            dependent_children: u8::try_from(demo.children.len()).ok(),
            allocation_regime: Some(AllocationRegime::Caf),
            beneficiary_number: "1234567".to_owned(),
            family_quotient: Some(780),
            family_quotient_year: Some(school_year),
            insurance_company: "MAIF".to_owned(),
            insurance_policy_number: "RC-2026-0042".to_owned(),
            invoice_payer: Some(InvoicePayer::AccountHolder),
            second_guardian: None,
            contacts: vec![ContactPerson {
                id: None,
                last_name: "Roux".to_owned(),
                first_name: "Monique".to_owned(),
                phone: "04 70 11 22 33".to_owned(),
                relationship: "Grand-mère".to_owned(),
                emergency_contact: true,
                can_pick_up: true,
            }],
        },
    )
    .await?;
    let mut child_ids = Vec::new();
    for (first_name, sex, (years, m, d)) in demo.children {
        let child = children::create(
            ctx,
            FamilyId::from(family_id),
            &ChildRequest {
                last_name: demo.last_name.to_owned(),
                first_name: (*first_name).to_owned(),
                sex: Some(*sex),
                birth_date: NaiveDate::from_ymd_opt(school_year.saturating_sub(*years), *m, *d),
                school: "École Jean-Jaurès".to_owned(),
                has_pai: Some(false),
                vaccinations_up_to_date: Some(true),
                diet: Some(Diet::Standard),
                photo_consent: Some(true),
                emergency_care_consent: Some(true),
                may_leave_alone: Some(false),
                outings_consent: Some(true),
                ..ChildRequest::default()
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        child_ids.push((child.id, *first_name));
    }
    let upload = |document_type: DocumentType, child_id: Option<Uuid>, filename: String| {
        let bytes = demo_pdf(&filename);
        async move {
            documents::upload(
                ctx,
                FamilyId::from(family_id),
                &UploadDocumentQuery {
                    document_type,
                    child_id,
                    filename,
                },
                &bytes,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
        }
    };
    upload(
        DocumentType::ProofOfAddress,
        None,
        "justificatif-domicile.pdf".to_owned(),
    )
    .await?;
    upload(
        DocumentType::InsuranceCertificate,
        None,
        "attestation-assurance.pdf".to_owned(),
    )
    .await?;
    // The quotient the demo declares comes with its attestation.
    upload(
        DocumentType::CafCertificate,
        None,
        "attestation-caf.pdf".to_owned(),
    )
    .await?;
    for (child_id, first_name) in &child_ids {
        upload(
            DocumentType::VaccinationRecord,
            Some(*child_id),
            format!("carnet-vaccination-{}.pdf", first_name.to_lowercase()),
        )
        .await?;
    }
    dossier::submit(ctx, FamilyId::from(family_id))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    match demo.target {
        DossierStatus::InfoRequested => {
            dossier::request_info(ctx, staff_id, FamilyId::from(family_id), "L'attestation d'assurance ne couvre pas l'année scolaire en cours : merci d'en déposer une nouvelle.")
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        DossierStatus::Validated => {
            dossier::validate(ctx, staff_id, FamilyId::from(family_id))
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        _ => {}
    }
    Ok(())
}

/// Many validated families with one child each, in one transaction: the bulk path of the
/// load benchmark and of the concurrency tests (realistic rows, no e-mails, no per-family
/// hashing). Returns `(e-mail, family id, child id)`. Tried again when a running server's
/// transaction keeps the SQLite database busy past the wait (a test seeds while two
/// instances run their jobs).
pub async fn bulk_validated(
    ctx: &Context,
    prefix: &str,
    count: usize,
    password_hash: &str,
) -> anyhow::Result<Vec<(String, Uuid, Uuid)>> {
    let created = crate::db::retry("seeding families", || {
        bulk_validated_once(ctx, prefix, count, password_hash)
    })
    .await?;
    // As after any bulk load, the planner's statistics and the visibility map are brought up
    // to date (index-only scans need it): a search right
    // after seeding 50,000 files otherwise walks the whole list (36 ms instead of 3).
    if ctx.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        ctx.db
            .execute_unprepared("VACUUM (ANALYZE) family, family_account, guardian, child")
            .await?;
    }
    Ok(created)
}

/// Rows a statement when seeding: 24 columns × 400 stays under SQLite's 32,766 variables.
const SEED_BATCH: usize = 400;

async fn bulk_validated_once(
    ctx: &Context,
    prefix: &str,
    count: usize,
    password_hash: &str,
) -> anyhow::Result<Vec<(String, Uuid, Uuid)>> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    let mut created = Vec::with_capacity(count);
    // Names are letters only, as a real name would be (« Banc-AB »).
    let letters = |mut n: usize| {
        let mut name = String::new();
        loop {
            name.insert(
                0,
                char::from(
                    b'A'.saturating_add(u8::try_from(n.checked_rem(26).unwrap_or(0)).unwrap_or(0)),
                ),
            );
            n /= 26;
            if n == 0 {
                return name;
            }
        }
    };
    let (mut families, mut accounts, mut guardians, mut children) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..count {
        let family_id = Uuid::now_v7();
        let family_name = format!("Banc-{}", letters(i));
        let child_id = Uuid::now_v7();
        let email = format!("{prefix}.{i}@bench.example");
        families.push(family::ActiveModel {
            id: Set(family_id),
            dossier_status: Set(DossierStatus::Validated.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            validated_at: Set(Some(now)),
            last_activity_at: Set(Some(now)),
            ..Default::default()
        });
        accounts.push(family_account::ActiveModel {
            id: Set(Uuid::now_v7()),
            family_id: Set(family_id),
            email: Set(email.clone()),
            password_hash: Set(password_hash.to_owned()),
            email_verified_at: Set(Some(now)),
            verification_sent_at: Set(None),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
        });
        guardians.push(guardian::ActiveModel {
            id: Set(Uuid::now_v7()),
            family_id: Set(family_id),
            rank: Set(1),
            civility: Set("madame".to_owned()),
            last_name: Set(family_name.clone()),
            first_name: Set("Parent".to_owned()),
            birth_date: Set(NaiveDate::from_ymd_opt(1985, 1, 1)),
            address_line1: Set("1 rue du Banc d'essai".to_owned()),
            address_line2: Set(None),
            postal_code: Set("03000".to_owned()),
            city: Set("Avermes".to_owned()),
            mobile_phone: Set(Some("06 00 00 00 00".to_owned())),
            home_phone: Set(None),
            email: Set(None),
            profession: Set(None),
            employer: Set(None),
            work_phone: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        children.push(portail_entity::child::ActiveModel {
            id: Set(child_id),
            family_id: Set(family_id),
            last_name: Set(family_name.clone()),
            first_name: Set("Enfant".to_owned()),
            sex: Set(Some("fille".to_owned())),
            // Seven at the start of the school year: the holiday centre's age, any year.
            birth_date: Set(NaiveDate::from_ymd_opt(
                crate::seed_planning::school_year_start(now.date_naive()).saturating_sub(7),
                6,
                1,
            )),
            school: Set(String::new()),
            class_level: Set(String::new()),
            doctor_name: Set(String::new()),
            doctor_phone: Set(String::new()),
            allergies: Set(String::new()),
            has_pai: Set(Some(false)),
            vaccinations_up_to_date: Set(Some(true)),
            last_dtp_date: Set(None),
            diet: Set(Some("aucun".to_owned())),
            photo_consent: Set(Some(true)),
            emergency_care_consent: Set(Some(true)),
            may_leave_alone: Set(Some(false)),
            outings_consent: Set(Some(true)),
            created_at: Set(now),
            updated_at: Set(now),
        });
        created.push((email, family_id, child_id));
        if families.len() == SEED_BATCH || i.checked_add(1) == Some(count) {
            // Parents first (foreign keys), a few hundred rows a statement.
            family::Entity::insert_many(families.drain(..))
                .exec(&txn)
                .await?;
            family_account::Entity::insert_many(accounts.drain(..))
                .exec(&txn)
                .await?;
            guardian::Entity::insert_many(guardians.drain(..))
                .exec(&txn)
                .await?;
            portail_entity::child::Entity::insert_many(children.drain(..))
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(created)
}
