//! The model's catalog, system roles and rule pool, written from SEMANTICS.md §1.5 and §7.

use rolegate::*;

/// SEMANTICS.md §1.5: the standard catalog's grantable resource types and actions.
const CATALOG: [(&str, &[&str]); 11] = [
    (
        "connectors",
        &[
            "create",
            "read",
            "update",
            "delete",
            "deploy_test",
            "deploy_prod",
        ],
    ),
    (
        "connections",
        &["create", "read", "update", "delete", "execute", "share"],
    ),
    (
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
    ),
    ("agents", &["create", "read", "update", "delete", "execute"]),
    ("tools", &["create", "read", "update", "delete", "execute"]),
    ("organization", &["read", "update"]),
    ("billing", &["read", "update"]),
    ("members", &["read", "manage"]),
    ("roles", &["read", "manage"]),
    ("activity", &["read"]),
    ("audit_log", &["read"]),
];

/// SEMANTICS.md §7.1: what Developer lacks of Owner.
const DEVELOPER_LACKS: [&str; 5] = [
    "organization.update",
    "billing.read",
    "billing.update",
    "members.manage",
    "roles.manage",
];

/// SEMANTICS.md §7.1: Operator.
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

/// SEMANTICS.md §7.1: Viewer.
const VIEWER: [&str; 7] = [
    "connectors.read",
    "connections.read",
    "workflows.read",
    "agents.read",
    "tools.read",
    "activity.read",
    "organization.read",
];

/// Must-match keys beyond `organization` (always implied), as bits.
pub(crate) const CUSTOMER: u8 = 1;
pub(crate) const TEAM: u8 = 2;
pub(crate) const OWNER: u8 = 4;

/// SEMANTICS.md §7.1: End User, with its extra must-match keys.
const END_USER: [(&str, u8); 9] = [
    ("connectors.read", CUSTOMER),
    ("connections.create", CUSTOMER | OWNER),
    ("connections.read", CUSTOMER | OWNER),
    ("connections.update", CUSTOMER | OWNER),
    ("connections.delete", CUSTOMER | OWNER),
    ("connections.execute", CUSTOMER | OWNER),
    ("workflows.read", CUSTOMER),
    ("workflows.execute", CUSTOMER),
    ("activity.read", CUSTOMER),
];

/// The six system roles, in id order, with their names (SEMANTICS.md §7.3).
pub(crate) const SYSTEM: [(SystemRole, &str); 6] = [
    (SystemRole::Owner, "Owner"),
    (SystemRole::Admin, "Admin"),
    (SystemRole::Developer, "Developer"),
    (SystemRole::Operator, "Operator"),
    (SystemRole::Viewer, "Viewer"),
    (SystemRole::EndUser, "End User"),
];

/// One comparison of a rule's conditions (SEMANTICS.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cond {
    /// `status != "archived"`
    NotArchived,
    /// `priority <= 3`
    PriorityAtMost3,
}

impl Cond {
    fn text(self) -> &'static str {
        match self {
            Self::NotArchived => r#"status != "archived""#,
            Self::PriorityAtMost3 => "priority <= 3",
        }
    }
}

/// A rule as plain data: permission, extra must-match keys, conditions.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct MRule {
    pub(crate) res: &'static str,
    pub(crate) act: &'static str,
    pub(crate) keys: u8,
    pub(crate) conds: &'static [Cond],
}

impl std::fmt::Debug for MRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.res, self.act)?;
        for (bit, name) in [(CUSTOMER, "customer"), (TEAM, "team"), (OWNER, "owner")] {
            if self.keys & bit != 0 {
                write!(f, "[{name}]")?;
            }
        }
        for c in self.conds {
            write!(f, " if {}", c.text())?;
        }
        Ok(())
    }
}

impl MRule {
    pub(crate) fn permission(&self) -> String {
        format!("{}.{}", self.res, self.act)
    }

    /// The same rule for the engine.
    pub(crate) fn to_rule(self, catalog: &Catalog) -> Rule {
        let mut keys = MustMatch::empty();
        if self.keys & CUSTOMER != 0 {
            keys |= MustMatch::CUSTOMER;
        }
        if self.keys & TEAM != 0 {
            keys |= MustMatch::TEAM;
        }
        if self.keys & OWNER != 0 {
            keys |= MustMatch::OWNER;
        }
        let text: Vec<&str> = self.conds.iter().map(|c| c.text()).collect();
        Rule::builder(catalog, self.res, self.act)
            .must_match(keys)
            .conditions(&text.join(" and "))
            .build()
            .unwrap()
    }

    /// `held` is at least as broad as `self`: same permission, its keys and
    /// conditions a subset of ours.
    pub(crate) fn covered_by(&self, held: &Self) -> bool {
        held.res == self.res
            && held.act == self.act
            && held.keys & !self.keys == 0
            && held.conds.iter().all(|c| self.conds.contains(c))
    }
}

const fn rule(res: &'static str, act: &'static str, keys: u8, conds: &'static [Cond]) -> MRule {
    MRule {
        res,
        act,
        keys,
        conds,
    }
}

const NA: &[Cond] = &[Cond::NotArchived];
const NA_P3: &[Cond] = &[Cond::NotArchived, Cond::PriorityAtMost3];

/// The rules random role edits draw from (operations name them by index).
pub(crate) const POOL: [MRule; 18] = [
    rule("workflows", "read", 0, &[]),                  // 0
    rule("workflows", "read", TEAM, &[]),               // 1
    rule("workflows", "read", 0, NA),                   // 2
    rule("workflows", "read", TEAM, NA_P3),             // 3
    rule("workflows", "update", OWNER, &[]),            // 4
    rule("workflows", "update", TEAM, NA),              // 5
    rule("workflows", "update", 0, &[]),                // 6
    rule("workflows", "execute", CUSTOMER, &[]),        // 7
    rule("workflows", "delete", 0, &[]),                // 8
    rule("connections", "read", CUSTOMER | OWNER, &[]), // 9
    rule("connections", "read", CUSTOMER, &[]),         // 10
    rule("connections", "share", 0, &[]),               // 11
    rule("members", "manage", 0, &[]),                  // 12
    rule("members", "manage", TEAM, &[]),               // 13
    rule("roles", "manage", 0, &[]),                    // 14
    rule("roles", "read", 0, &[]),                      // 15
    rule("billing", "update", 0, &[]),                  // 16
    rule("audit_log", "read", 0, &[]),                  // 17
];

/// Built-in rules (SEMANTICS.md §5.2): every user reads and updates their own profile.
pub(crate) const BUILTIN: [MRule; 2] = [
    rule("profile", "read", OWNER, &[]),
    rule("profile", "update", OWNER, &[]),
];

pub(crate) fn system_rules(role: SystemRole) -> Vec<MRule> {
    let mut out = Vec::new();
    for (res, acts) in CATALOG {
        for &act in acts {
            let name = format!("{res}.{act}");
            let keys = match role {
                SystemRole::Owner | SystemRole::Admin => Some(0),
                SystemRole::Developer => (!DEVELOPER_LACKS.contains(&name.as_str())).then_some(0),
                SystemRole::Operator => OPERATOR.contains(&name.as_str()).then_some(0),
                SystemRole::Viewer => VIEWER.contains(&name.as_str()).then_some(0),
                SystemRole::EndUser => END_USER.iter().find(|(n, _)| *n == name).map(|&(_, k)| k),
            };
            if let Some(keys) = keys {
                out.push(rule(res, act, keys, &[]));
            }
        }
    }
    out
}

pub(crate) fn applicable(res: &str, act: &str) -> bool {
    CATALOG
        .iter()
        .any(|(r, acts)| *r == res && acts.contains(&act))
        || (res == "profile" && (act == "read" || act == "update"))
}
