//! What the OpenAPI document says of each operation, read once when the application is built
//! and kept in its state: the methods of each path (for `405` and `Allow`) and the scope an
//! API key needs (none: closed to keys). The document and the checks cannot differ, and no
//! request builds the document again.

use std::collections::HashMap;

use actix_web::dev::ResourceDef;
use portail_domain::auth::api_key::ApiScope;

/// The security scheme of API keys in the OpenAPI document.
pub const SCHEME: &str = "cle_api";

/// What an operation asks of a key: its scope (none: closed to keys) and its id.
#[derive(Debug, Clone)]
pub struct Requirement {
    pub scope: Option<ApiScope>,
    pub operation: String,
}

pub struct RouteTable {
    /// `(method, path template)` → requirement.
    requirements: HashMap<(String, String), Requirement>,
    /// Each path template, matched against request paths, with its methods (`OPTIONS` too).
    methods: Vec<(ResourceDef, Vec<&'static str>)>,
}

impl RouteTable {
    pub fn from_spec(spec: &utoipa::openapi::OpenApi) -> Self {
        let mut requirements = HashMap::new();
        let mut methods = Vec::new();
        for (template, item) in &spec.paths.paths {
            let operations = [
                ("GET", &item.get),
                ("PUT", &item.put),
                ("POST", &item.post),
                ("DELETE", &item.delete),
                ("PATCH", &item.patch),
            ];
            let mut allowed = Vec::new();
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                allowed.push(method);
                let scope = operation.security.iter().flatten().find_map(scope_in);
                requirements.insert(
                    (method.to_owned(), template.clone()),
                    Requirement {
                        scope,
                        operation: operation.operation_id.clone().unwrap_or_default(),
                    },
                );
            }
            allowed.push("OPTIONS");
            methods.push((ResourceDef::new(template.as_str()), allowed));
        }
        Self {
            requirements,
            methods,
        }
    }

    /// The requirement of the operation at this method and path template.
    pub fn requirement(&self, method: &str, template: &str) -> Option<&Requirement> {
        self.requirements
            .get(&(method.to_owned(), template.to_owned()))
    }

    /// The methods the document lists for the operation whose path template matches `path`
    /// (`OPTIONS` included), or `None` when no operation has this path.
    pub fn methods_of(&self, path: &str) -> Option<Vec<&'static str>> {
        self.methods
            .iter()
            .find(|(resource, _)| resource.is_match(path))
            .map(|(_, methods)| methods.clone())
    }

    /// Every operation open to keys, with its scope (for the tests and the docs).
    pub fn scoped_operations(&self) -> Vec<(String, ApiScope)> {
        let mut all: Vec<(String, ApiScope)> = self
            .requirements
            .values()
            .filter_map(|r| r.scope.map(|s| (r.operation.clone(), s)))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }
}

/// The scope a security requirement names for the API-key scheme, if it does.
pub fn scope_in(requirement: &utoipa::openapi::security::SecurityRequirement) -> Option<ApiScope> {
    let value = serde_json::to_value(requirement).ok()?;
    value
        .get(SCHEME)?
        .as_array()?
        .iter()
        .find_map(|s| s.as_str().and_then(ApiScope::parse))
}
