//! The six system roles, modeled from the table of SEMANTICS.md §7.1.

use crate::plain::{CatalogDecl, Keys, RoleDecl, RuleDecl};

pub(crate) const SYSTEM_ROLE_NAMES: [&str; 6] = [
    "Owner",
    "Admin",
    "Developer",
    "Operator",
    "Viewer",
    "End User",
];

const DEVELOPER_LACKS: [&str; 5] = [
    "organization.update",
    "billing.read",
    "billing.update",
    "members.manage",
    "roles.manage",
];

const OPERATOR: [&str; 18] = [
    "connectors.read",
    "connections.create",
    "connections.read",
    "connections.update",
    "connections.delete",
    "connections.execute",
    "connections.share",
    "workflows.read",
    "workflows.execute",
    "agents.read",
    "agents.execute",
    "tools.read",
    "tools.execute",
    "activity.read",
    "organization.read",
    "members.read",
    "roles.read",
    "audit_log.read",
];

const VIEWER: [&str; 7] = [
    "connectors.read",
    "connections.read",
    "workflows.read",
    "agents.read",
    "tools.read",
    "activity.read",
    "organization.read",
];

const END_USER: [&str; 9] = [
    "connectors.read",
    "connections.create",
    "connections.read",
    "connections.update",
    "connections.delete",
    "connections.execute",
    "workflows.read",
    "workflows.execute",
    "activity.read",
];

/// The system roles' rules in `catalog`: unconditional rules on grantable
/// permissions, End User's with must-match customer (and owner on
/// `connections`).
pub(crate) fn system_roles(catalog: &CatalogDecl) -> Vec<RoleDecl> {
    SYSTEM_ROLE_NAMES
        .iter()
        .map(|&role| {
            let mut rules = Vec::new();
            for ty in catalog.types.iter().filter(|t| !t.builtin) {
                for action in &ty.actions {
                    let permission = format!("{}.{}", ty.name, action);
                    let p = permission.as_str();
                    let held = match role {
                        "Owner" | "Admin" => true,
                        "Developer" => !DEVELOPER_LACKS.contains(&p),
                        "Operator" => OPERATOR.contains(&p),
                        "Viewer" => VIEWER.contains(&p),
                        _ => END_USER.contains(&p),
                    };
                    if !held {
                        continue;
                    }
                    let keys = if role == "End User" {
                        Keys {
                            customer: true,
                            owner: ty.name == "connections",
                            ..Keys::default()
                        }
                    } else {
                        Keys::default()
                    };
                    rules.push(RuleDecl {
                        resource: ty.name.clone(),
                        action: action.clone(),
                        keys,
                        conditions: Vec::new(),
                        text: String::new(),
                    });
                }
            }
            RoleDecl {
                name: role.to_owned(),
                organization: None,
                rules,
            }
        })
        .collect()
}
