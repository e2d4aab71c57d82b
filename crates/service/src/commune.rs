//! The commune and its services, as the public home page shows them.

use anyhow::Context;
use portail_domain::ServiceCode;
use portail_domain::api::{CommuneResponse, ServiceSummary};
use portail_entity::{commune, service};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};

/// `None` until the commune is configured (`portail seed-demo` does it for the demo). With the
/// announcements shown on `today`.
pub async fn get(
    db: &DatabaseConnection,
    today: chrono::NaiveDate,
) -> anyhow::Result<Option<CommuneResponse>> {
    let Some(commune) = commune::Entity::find_by_id(1)
        .one(db)
        .await
        .context("Failed to read the commune")?
    else {
        return Ok(None);
    };
    let services = service::Entity::find()
        .order_by_asc(service::Column::SortOrder)
        .all(db)
        .await
        .context("Failed to read the services")?
        .into_iter()
        .filter_map(|row| {
            let code = ServiceCode::parse(&row.code)?;
            Some(ServiceSummary {
                code,
                name: row.name,
                structure_name: row.structure_name,
                phone: row.phone,
                description: row.description,
                email: row.email,
                hours: row.hours,
                accepts_messages: row.accepts_messages,
            })
        })
        .collect();
    let announcements = crate::announcements::current(db, today).await?.items;
    Ok(Some(CommuneResponse {
        name: commune.name,
        services,
        announcements,
    }))
}

/// The commune's name alone (the page shell shows it before the app has loaded).
pub async fn name(db: &DatabaseConnection) -> anyhow::Result<Option<String>> {
    Ok(commune::Entity::find_by_id(1)
        .one(db)
        .await
        .context("Failed to read the commune")?
        .map(|commune| commune.name))
}
