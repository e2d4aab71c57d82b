use sea_orm::entity::prelude::*;

/// A conversation between a family and a service (issue 24, point 2): its subject, its
/// `status` (a `ConversationStatus` code), and what each side has not read yet.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub family_id: Uuid,
    /// A `ServiceCode`.
    pub service: String,
    pub subject: String,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub last_message_at: DateTimeUtc,
    pub unread_by_staff: bool,
    pub unread_by_family: bool,
    pub closed_at: Option<DateTimeUtc>,
    pub closed_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
