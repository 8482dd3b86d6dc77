//! A mixed history of events, and the filters the query tests apply to it.

use std::fmt::Debug;

use rolegate::audit::{AuditQuery, EventId, HostEvent, Outcome};
use rolegate::directory::Timestamp;
use rolegate::*;

use crate::fixture::{ACME, DEV, G_ADMIN, GLOBEX, RUNNER, VIEWER, World, expect_denied, login};

/// What the test expects of one event, kept independently of the log.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Row {
    pub(crate) id: EventId,
    pub(crate) at: Timestamp,
    pub(crate) org: OrgId,
    pub(crate) user: Option<UserId>,
    pub(crate) action: &'static str,
    pub(crate) rtype: Option<&'static str>,
    pub(crate) outcome: Outcome,
}

/// 96 events of two organizations, four users, four actions, five resource
/// types and three outcomes; two events share each timestamp.
pub(crate) fn mixed_history(w: &World) -> Vec<Row> {
    let mut rows = Vec::new();
    let log = w.engine.audit();
    for i in 0..96u64 {
        let at = w.at(i64::try_from(i / 2).unwrap() * 10);
        w.clock.set(at);
        let row = |id, org, user, action, rtype, outcome| Row {
            id,
            at,
            org,
            user,
            action,
            rtype,
            outcome,
        };
        rows.push(match i % 8 {
            0 => {
                let id = w.run(i).unwrap().success().unwrap();
                row(
                    id,
                    ACME,
                    Some(RUNNER),
                    "workflows.execute",
                    Some("workflows"),
                    Outcome::Success,
                )
            }
            1 => {
                let (_, id) = expect_denied(w.view_run(i));
                row(
                    id.unwrap(),
                    ACME,
                    Some(VIEWER),
                    "workflows.execute",
                    Some("workflows"),
                    Outcome::Denied,
                )
            }
            2 => {
                let agent = w.resource("agents", i, ACME);
                let id = w
                    .engine
                    .authorize(DEV, w.action("read"), &agent)
                    .unwrap()
                    .failure("timeout")
                    .unwrap();
                row(
                    id,
                    ACME,
                    Some(DEV),
                    "agents.read",
                    Some("agents"),
                    Outcome::Failure,
                )
            }
            3 => {
                let id = log
                    .record(login(ACME, Outcome::Success).user(DEV))
                    .unwrap()
                    .unwrap();
                row(id, ACME, Some(DEV), "auth.login", None, Outcome::Success)
            }
            4 => {
                let id = log
                    .record(
                        login(ACME, Outcome::Failure)
                            .user(VIEWER)
                            .reason("bad password"),
                    )
                    .unwrap()
                    .unwrap();
                row(id, ACME, Some(VIEWER), "auth.login", None, Outcome::Failure)
            }
            5 => {
                let id = log
                    .record(
                        HostEvent::new(GLOBEX, "credential.token_refresh", Outcome::Success)
                            .user(G_ADMIN)
                            .resource("credential", &format!("tok_{i}")),
                    )
                    .unwrap()
                    .unwrap();
                row(
                    id,
                    GLOBEX,
                    Some(G_ADMIN),
                    "credential.token_refresh",
                    Some("credential"),
                    Outcome::Success,
                )
            }
            6 => {
                let tool = w.resource("tools", i, GLOBEX);
                let id = w
                    .engine
                    .authorize(G_ADMIN, w.action("execute"), &tool)
                    .unwrap()
                    .success()
                    .unwrap();
                row(
                    id,
                    GLOBEX,
                    Some(G_ADMIN),
                    "tools.execute",
                    Some("tools"),
                    Outcome::Success,
                )
            }
            _ => {
                let id = log
                    .record(login(GLOBEX, Outcome::Denied).reason("blocked address"))
                    .unwrap()
                    .unwrap();
                row(id, GLOBEX, None, "auth.login", None, Outcome::Denied)
            }
        });
    }
    rows.reverse();
    rows
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Filter {
    pub(crate) org: Option<OrgId>,
    pub(crate) user: Option<UserId>,
    pub(crate) action: Option<&'static str>,
    pub(crate) rtype: Option<&'static str>,
    pub(crate) outcome: Option<Outcome>,
    pub(crate) range: Option<(Timestamp, Timestamp)>,
}

impl Filter {
    pub(crate) fn query(&self) -> AuditQuery {
        let mut q = AuditQuery::new().limit(usize::MAX);
        if let Some(o) = self.org {
            q = q.organization(o);
        }
        if let Some(u) = self.user {
            q = q.user(u);
        }
        if let Some(a) = self.action {
            q = q.action(a);
        }
        if let Some(t) = self.rtype {
            q = q.resource_type(t);
        }
        if let Some(o) = self.outcome {
            q = q.outcome(o);
        }
        if let Some((from, until)) = self.range {
            q = q.between(from, until);
        }
        q
    }

    pub(crate) fn keeps(&self, row: &Row) -> bool {
        self.org.is_none_or(|o| row.org == o)
            && self.user.is_none_or(|u| row.user == Some(u))
            && self.action.is_none_or(|a| row.action == a)
            && self.rtype.is_none_or(|t| row.rtype == Some(t))
            && self.outcome.is_none_or(|o| row.outcome == o)
            && self
                .range
                .is_none_or(|(from, until)| from <= row.at && row.at < until)
    }
}
