//! The two shipped catalogs, written with the public builder and nothing else.

use super::CatalogBuilder;
use crate::condition::AttrType;
use crate::rule::MustMatch;

const CRUD: [&str; 4] = ["create", "read", "update", "delete"];

/// The five permission categories of the standard catalog: they carry the
/// attributes conditions can compare.
const CATEGORIES: [&str; 5] = ["connectors", "connections", "workflows", "agents", "tools"];

impl CatalogBuilder {
    /// A builder preloaded with the standard catalog ([semantics](crate::semantics) §1.5), to extend
    /// with resource types of your own before building.
    ///
    /// The five categories (`connectors`, `connections`, `workflows`,
    /// `agents`, `tools`) declare the attributes `status` (string),
    /// `priority` (integer) and `environment` (string). `profile` is a
    /// built-in type with the rules `profile.read` and `profile.update`,
    /// must-match `owner`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::CatalogBuilder;
    ///
    /// let catalog = CatalogBuilder::standard()
    ///     .resource_type("reports", ["read", "export"])
    ///     .build()?;
    /// assert_eq!(catalog.grantable_permission_count(), 41);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn standard() -> Self {
        let mut b = Self::new()
            .resource_type(
                "connectors",
                [
                    "create",
                    "read",
                    "update",
                    "delete",
                    "deploy_test",
                    "deploy_prod",
                ],
            )
            .resource_type(
                "connections",
                ["create", "read", "update", "delete", "execute", "share"],
            )
            .resource_type(
                "workflows",
                [
                    "create",
                    "read",
                    "update",
                    "delete",
                    "execute",
                    "deploy_test",
                    "deploy_prod",
                ],
            )
            .resource_type("agents", ["create", "read", "update", "delete", "execute"])
            .resource_type("tools", ["create", "read", "update", "delete", "execute"])
            .resource_type("organization", ["read", "update"])
            .resource_type("billing", ["read", "update"])
            .resource_type("members", ["read", "manage"])
            .resource_type("roles", ["read", "manage"])
            .resource_type("activity", ["read"])
            .resource_type("audit_log", ["read"]);
        for category in CATEGORIES {
            b = b
                .attribute(category, "status", AttrType::String)
                .attribute(category, "priority", AttrType::Integer)
                .attribute(category, "environment", AttrType::String);
        }
        b.with_profile()
    }

    /// A builder preloaded with the content-platform catalog ([semantics](crate::semantics) §1.5; its syncs §5.1).
    ///
    /// `content` and `content_font_resources` declare `status` and `locale`
    /// (strings); rules on `content` sync to `content_font_resources` and
    /// rules on `datasource` to `oauth_clients`; `statistics` has the actions
    /// `access` and `export` only; `profile` is built in as in the standard
    /// catalog.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::CatalogBuilder;
    ///
    /// let catalog = CatalogBuilder::content_platform().build()?;
    /// assert_eq!(catalog.grantable_permission_count(), 22);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn content_platform() -> Self {
        Self::new()
            .resource_type("content", CRUD)
            .resource_type("content_font_resources", CRUD)
            .resource_type("datasource", CRUD)
            .resource_type("oauth_clients", CRUD)
            .resource_type("statistics", ["access", "export"])
            .resource_type("workflow", CRUD)
            .attribute("content", "status", AttrType::String)
            .attribute("content", "locale", AttrType::String)
            .attribute("content_font_resources", "status", AttrType::String)
            .attribute("content_font_resources", "locale", AttrType::String)
            .sync("content", "content_font_resources")
            .sync("datasource", "oauth_clients")
            .with_profile()
    }

    /// The built-in `profile` type: every user reads and updates their own.
    fn with_profile(self) -> Self {
        self.builtin_resource_type("profile", ["read", "update"])
            .builtin_rule("profile", "read", MustMatch::OWNER, "")
            .builtin_rule("profile", "update", MustMatch::OWNER, "")
    }
}
