use sea_orm::entity::prelude::*;

/// A message of a conversation: from the family (`staff_id` set when an agent at the counter
/// wrote it for the family) or from the service (`staff_id` its author), with an optional file
/// kept in the document store under `attachment_key`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "message")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub conversation_id: Uuid,
    pub from_family: bool,
    pub staff_id: Option<Uuid>,
    pub body: String,
    pub sent_at: DateTimeUtc,
    pub attachment_key: Option<String>,
    pub attachment_name: Option<String>,
    pub attachment_type: Option<String>,
    pub attachment_size: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
