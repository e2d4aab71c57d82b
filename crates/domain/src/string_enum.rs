//! `string_enum!`: an enum whose variants have a stable snake_case code (for JSON and the
//! database) and a French label (for screens), with `ALL`, `as_str`, `parse` and `label_fr`.
//! With the `openapi` feature its schema is written from the same table: the values the
//! OpenAPI document lists are the codes the server reads and writes (utoipa's derive did not
//! see the `rename` that the macro passes on, and listed the Rust variant names).

#[macro_export]
macro_rules! string_enum {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => ($code:literal, $label:literal) ),+ $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{ObjectBuilder, Type};
                let doc: &str = concat!($($doc, "\n"),*);
                let description = doc.lines().map(str::trim).collect::<Vec<_>>().join("\n");
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description((!description.trim().is_empty()).then(|| description.trim().to_owned()))
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label_fr(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::string_enum! {
        /// A test enum.
        pub enum Fruit {
            Apple => ("apple", "Pomme"),
            Pear => ("pear", "Poire"),
        }
    }

    #[test]
    fn codes_labels_and_json_agree() {
        for fruit in Fruit::ALL {
            assert_eq!(Fruit::parse(fruit.as_str()), Some(*fruit));
            let json = serde_json::to_string(fruit).expect("json");
            assert_eq!(json, format!("\"{}\"", fruit.as_str()));
        }
        assert_eq!(Fruit::Pear.label_fr(), "Poire");
        assert_eq!(Fruit::parse("kiwi"), None);
    }
}

/// A code read back from the database that this version does not know (data written by a
/// newer version, or damaged): an error, never a silent default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStored {
    pub kind: &'static str,
    pub value: String,
}

impl std::fmt::Display for UnknownStored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown stored {} «{}»", self.kind, self.value)
    }
}

impl std::error::Error for UnknownStored {}

/// Reads a stored code with `parse`: an unknown one is an [`UnknownStored`] error.
pub fn stored<T>(
    kind: &'static str,
    raw: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, UnknownStored> {
    parse(raw).ok_or_else(|| UnknownStored {
        kind,
        value: raw.to_owned(),
    })
}
