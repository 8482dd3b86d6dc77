//! Pools the generators draw from: small, so that matches happen often.

pub(crate) const TYPE_NAMES: [&str; 16] = [
    "connectors",
    "connections",
    "workflows",
    "agents",
    "tools",
    "organization",
    "billing",
    "members",
    "roles",
    "activity",
    "audit_log",
    "documents",
    "reports",
    "widgets",
    "invoices",
    "datasets",
];
pub(crate) const ACTION_NAMES: [&str; 12] = [
    "create",
    "read",
    "update",
    "delete",
    "execute",
    "share",
    "deploy_test",
    "deploy_prod",
    "manage",
    "export",
    "access",
    "publish",
];
pub(crate) const ATTR_NAMES: [&str; 8] = [
    "status",
    "priority",
    "environment",
    "archived",
    "author",
    "home",
    "client",
    "label",
];
pub(crate) const STRINGS: [&str; 12] = [
    "",
    "a",
    "b",
    "ab",
    "archived",
    "draft",
    "Draft",
    "quo\"te",
    "back\\slash",
    "é",
    "line\nbreak",
    "\u{1}",
];
pub(crate) const INTS: [i64; 9] = [i64::MIN, -3, -1, 0, 1, 2, 3, 10, i64::MAX];
pub(crate) const USERS: [u64; 3] = [100, 101, 102];
pub(crate) const ORGS: [u64; 2] = [1, 2];
pub(crate) const CUSTOMERS: [u64; 2] = [30, 31];
pub(crate) const TEAMS: [u64; 6] = [50, 51, 52, 53, 54, 55];

/// Requests checked against each generated policy; each is tried with every
/// action of the catalog and two unknown action ids.
pub(crate) const REQUESTS_PER_POLICY: usize = 48;
