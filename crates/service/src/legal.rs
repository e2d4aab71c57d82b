//! The legal pages: the text an administrator wrote, or the one the portal writes from the
//! commune's settings (`portail_domain::legal`).

use anyhow::Context as _;
use portail_domain::api::LegalPageResponse;
use portail_domain::legal::{LegalFacts, LegalPage, generated};
use portail_domain::rules::retention::RetentionPolicy;
use sea_orm::{ConnectionTrait, Statement, Value};
use uuid::Uuid;

use crate::Context;
use crate::change::{Audit, Change};
use portail_domain::ids::StaffId;

pub async fn page(
    ctx: &Context,
    page: LegalPage,
    retention: RetentionPolicy,
) -> anyhow::Result<LegalPageResponse> {
    let db = &ctx.db;
    let stored = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT body, updated_at FROM legal_page WHERE slug = $1",
            [Value::from(page.slug())],
        ))
        .await
        .context("Failed to read a legal page")?;
    if let Some(row) = stored {
        return Ok(LegalPageResponse {
            slug: page.slug().to_owned(),
            title: page.title().to_owned(),
            body: row.try_get_by_index(0)?,
            customised: true,
            updated_at: row.try_get_by_index(1)?,
        });
    }
    let commune = crate::billing::settings::commune_row(db).await?;
    let body = generated(
        page,
        &LegalFacts {
            commune: &commune.name,
            address: &commune.address,
            public_url: &ctx.public_url,
            retention,
        },
    );
    Ok(LegalPageResponse {
        slug: page.slug().to_owned(),
        title: page.title().to_owned(),
        body,
        customised: false,
        updated_at: None,
    })
}

/// Replaces a page's text (`None` or blank: back to the portal's), in the audit log.
pub async fn set(
    ctx: &Context,
    page: LegalPage,
    body: Option<&str>,
    by: Uuid,
) -> anyhow::Result<()> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let backend = txn.get_database_backend();
    // One statement either way: two administrators saving at once never collide on the key.
    match body.map(str::trim).filter(|b| !b.is_empty()) {
        Some(body) => txn
            .execute_raw(Statement::from_sql_and_values(
                backend,
                "INSERT INTO legal_page (slug, body, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (slug) DO UPDATE SET body = excluded.body, \
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                [
                    Value::from(page.slug()),
                    Value::from(body),
                    Value::from(now),
                    Value::from(by),
                ],
            ))
            .await
            .context("Failed to write a legal page")?,
        None => txn
            .execute_raw(Statement::from_sql_and_values(
                backend,
                "DELETE FROM legal_page WHERE slug = $1",
                [Value::from(page.slug())],
            ))
            .await
            .context("Failed to clear a legal page")?,
    };
    Change::at(now)
        .audit(
            Audit::by(
                StaffId::from(by),
                portail_domain::audit::action::SET_LEGAL_PAGE,
            )
            .detail(page.slug().to_owned()),
        )
        .commit(txn, &ctx.outbox, "a legal page")
        .await?;
    Ok(())
}
