//! Probe resources the decisions are compared on (SEMANTICS.md §2).

#[derive(Clone, Copy, Debug)]
pub(crate) struct Probe {
    pub(crate) res: &'static str,
    pub(crate) org: u64,
    pub(crate) customer: Option<u64>,
    pub(crate) team: Option<u64>,
    pub(crate) owner: Option<u64>,
    pub(crate) status: Option<&'static str>,
    pub(crate) priority: Option<i64>,
    pub(crate) actions: &'static [&'static str],
}

const WF: &[&str] = &["read", "update", "execute", "delete", "share"];
const CONN: &[&str] = &["read", "share", "create"];
const MANAGE: &[&str] = &["manage", "read"];
const RU: &[&str] = &["read", "update"];

pub(crate) const fn probe(res: &'static str, org: u64, actions: &'static [&'static str]) -> Probe {
    Probe {
        res,
        org,
        customer: None,
        team: None,
        owner: None,
        status: None,
        priority: None,
        actions,
    }
}

const fn scoped(
    base: Probe,
    customer: Option<u64>,
    team: Option<u64>,
    owner: Option<u64>,
    status: Option<&'static str>,
    priority: Option<i64>,
) -> Probe {
    Probe {
        customer,
        team,
        owner,
        status,
        priority,
        ..base
    }
}

pub(crate) const PROBES: [Probe; 24] = [
    probe("workflows", 1, WF),
    scoped(
        probe("workflows", 1, WF),
        None,
        Some(1),
        None,
        Some("active"),
        Some(2),
    ),
    scoped(
        probe("workflows", 1, WF),
        None,
        Some(1),
        None,
        Some("archived"),
        None,
    ),
    scoped(
        probe("workflows", 1, WF),
        None,
        Some(3),
        None,
        Some("draft"),
        Some(5),
    ),
    scoped(
        probe("workflows", 1, WF),
        Some(30),
        None,
        Some(3),
        Some("active"),
        None,
    ),
    scoped(
        probe("workflows", 1, WF),
        Some(31),
        Some(1),
        Some(4),
        None,
        None,
    ),
    scoped(
        probe("workflows", 1, WF),
        Some(30),
        Some(4),
        Some(8),
        Some("live"),
        Some(1),
    ),
    probe("workflows", 2, WF),
    scoped(
        probe("workflows", 2, WF),
        None,
        Some(2),
        None,
        Some("active"),
        Some(3),
    ),
    scoped(
        probe("workflows", 2, WF),
        Some(30),
        Some(5),
        Some(6),
        None,
        None,
    ),
    scoped(
        probe("connections", 1, CONN),
        Some(30),
        None,
        Some(3),
        None,
        None,
    ),
    scoped(
        probe("connections", 1, CONN),
        Some(31),
        None,
        Some(8),
        None,
        None,
    ),
    probe("connections", 1, CONN),
    scoped(
        probe("connections", 2, CONN),
        Some(30),
        None,
        Some(6),
        None,
        None,
    ),
    probe("members", 1, MANAGE),
    probe("members", 2, MANAGE),
    probe("roles", 1, MANAGE),
    probe("roles", 2, MANAGE),
    probe("billing", 1, RU),
    probe("audit_log", 2, &["read"]),
    scoped(probe("profile", 1, RU), None, None, Some(1), None, None),
    scoped(probe("profile", 1, RU), None, None, Some(4), None, None),
    scoped(probe("profile", 2, RU), None, None, Some(7), None, None),
    scoped(
        probe("agents", 1, &["execute", "read"]),
        None,
        None,
        None,
        None,
        None,
    ),
];
