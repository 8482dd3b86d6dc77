//! The shipped catalogs in plain form.

use crate::plain::{CatalogDecl, Keys, RuleDecl, Ty, TypeDecl};

fn plain_type(name: &str, actions: &[&str], attrs: &[(&str, Ty)]) -> TypeDecl {
    TypeDecl {
        name: name.to_owned(),
        builtin: false,
        actions: actions.iter().map(|&a| a.to_owned()).collect(),
        attrs: attrs.iter().map(|&(n, t)| (n.to_owned(), t)).collect(),
    }
}

fn profile_type_and_rules() -> (TypeDecl, Vec<RuleDecl>) {
    let mut profile = plain_type("profile", &["read", "update"], &[]);
    profile.builtin = true;
    let rules = ["read", "update"]
        .iter()
        .map(|&a| RuleDecl {
            resource: "profile".to_owned(),
            action: a.to_owned(),
            keys: Keys {
                owner: true,
                ..Keys::default()
            },
            conditions: Vec::new(),
            text: String::new(),
        })
        .collect();
    (profile, rules)
}

/// SEMANTICS.md §1.5, with the attributes the crate's preset declares on the five
/// categories.
pub(crate) fn standard_decl() -> CatalogDecl {
    let crud_x = ["create", "read", "update", "delete", "execute"];
    let category = [
        ("status", Ty::Str),
        ("priority", Ty::Int),
        ("environment", Ty::Str),
    ];
    let mut types = vec![
        plain_type(
            "connectors",
            &[
                "create",
                "read",
                "update",
                "delete",
                "deploy_test",
                "deploy_prod",
            ],
            &category,
        ),
        plain_type(
            "connections",
            &["create", "read", "update", "delete", "execute", "share"],
            &category,
        ),
        plain_type(
            "workflows",
            &[
                "create",
                "read",
                "update",
                "delete",
                "execute",
                "deploy_test",
                "deploy_prod",
            ],
            &category,
        ),
        plain_type("agents", &crud_x, &category),
        plain_type("tools", &crud_x, &category),
        plain_type("organization", &["read", "update"], &[]),
        plain_type("billing", &["read", "update"], &[]),
        plain_type("members", &["read", "manage"], &[]),
        plain_type("roles", &["read", "manage"], &[]),
        plain_type("activity", &["read"], &[]),
        plain_type("audit_log", &["read"], &[]),
    ];
    let (profile, builtin_rules) = profile_type_and_rules();
    types.push(profile);
    CatalogDecl {
        types,
        syncs: Vec::new(),
        builtin_rules,
    }
}

/// SEMANTICS.md §1.5 (syncs §5.1), with the attributes the crate's preset declares.
pub(crate) fn content_platform_decl() -> CatalogDecl {
    let crud = ["create", "read", "update", "delete"];
    let text = [("status", Ty::Str), ("locale", Ty::Str)];
    let mut types = vec![
        plain_type("content", &crud, &text),
        plain_type("content_font_resources", &crud, &text),
        plain_type("datasource", &crud, &[]),
        plain_type("oauth_clients", &crud, &[]),
        plain_type("statistics", &["access", "export"], &[]),
        plain_type("workflow", &crud, &[]),
    ];
    let (profile, builtin_rules) = profile_type_and_rules();
    types.push(profile);
    CatalogDecl {
        types,
        syncs: vec![
            ("content".to_owned(), "content_font_resources".to_owned()),
            ("datasource".to_owned(), "oauth_clients".to_owned()),
        ],
        builtin_rules,
    }
}
