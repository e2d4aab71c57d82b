use sea_orm::entity::prelude::*;

/// A family: one account, one file (dossier). `dossier_status` is a `DossierStatus`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "family")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub dossier_status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub validated_at: Option<DateTimeUtc>,
    pub info_request_message: Option<String>,
    pub validated_fingerprint: Option<String>,
    pub deletion_requested_at: Option<DateTimeUtc>,
    pub last_activity_at: Option<DateTimeUtc>,
    /// Created at the counter: the agent who accepted the data-protection text on the
    /// family's behalf, having read it to them.
    pub consent_accepted_by: Option<Uuid>,
    /// The secret of the family's private calendar feed (issue 14), when it is on.
    pub calendar_token: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
