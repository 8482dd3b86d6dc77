//! Administrative actions: what an event should carry, and running one call against its event.

use std::fmt::Debug;

use rolegate::audit::{Actor, Clock, Event, Outcome};
use rolegate::engine::GuardError;
use rolegate::*;

use crate::fixture::{World, all, assert_clean};

/// The resource id an administrative event should carry.
#[derive(Debug)]
pub(crate) enum Rid {
    None,
    Is(String),
    /// The id of what the call created, checked by the caller.
    Created,
}

#[derive(Debug)]
pub(crate) struct Want<'a> {
    pub(crate) action: &'a str,
    pub(crate) outcome: Outcome,
    pub(crate) actor: Actor,
    pub(crate) role: Option<(RoleId, &'a str)>,
    pub(crate) rtype: &'a str,
    pub(crate) rid: Rid,
    pub(crate) org: Option<OrgId>,
}

pub(crate) fn admin_role() -> Option<(RoleId, &'static str)> {
    Some((SystemRole::Admin.id(), "Admin"))
}

pub(crate) fn dev_role() -> Option<(RoleId, &'static str)> {
    Some((SystemRole::Developer.id(), "Developer"))
}

pub(crate) fn user_rid(user: UserId) -> Rid {
    Rid::Is(user.to_string())
}

pub(crate) fn role_rid(role: RoleId) -> Rid {
    Rid::Is(role.index().to_string())
}

pub(crate) fn team_rid(team: TeamId) -> Rid {
    Rid::Is(team.to_string())
}

/// Runs one administrative call and checks the one event it recorded.
#[track_caller]
pub(crate) fn admin_call<T: Debug>(
    w: &World,
    want: &Want<'_>,
    call: impl FnOnce(&Engine) -> Result<T, AdminError>,
) -> (Result<T, AdminError>, Event) {
    w.clock.advance(1_000);
    let before = all(&w.engine).len();
    let version = w.revision().get();
    let result = call(&w.engine);
    let events = all(&w.engine);
    // An attempt on another organization's objects is recorded in both
    // organizations' logs: the actor's copy first, then the target's.
    let across = match &result {
        Err(AdminError::Denied(GuardError::OtherOrganization { actor, .. })) => Some(*actor),
        _ => None,
    };
    assert_eq!(
        events.len(),
        before + 1 + usize::from(across.is_some()),
        "one event for {want:?}: {result:?}"
    );
    let e = events[0].clone();
    if let Some(actor_org) = across {
        let copy = &events[1];
        assert_eq!(copy.organization(), Some(actor_org));
        assert_eq!(
            (
                copy.action(),
                copy.outcome(),
                copy.actor(),
                copy.resource_id()
            ),
            (e.action(), e.outcome(), e.actor(), e.resource_id())
        );
    }
    assert_eq!(e.action(), want.action, "{result:?}");
    assert_eq!(e.outcome(), want.outcome, "{want:?}: {result:?}");
    assert_eq!(e.at(), w.clock.now());
    assert_eq!(e.actor(), want.actor);
    assert_eq!(e.role(), want.role, "{want:?}");
    assert_eq!(e.resource_type(), Some(want.rtype));
    match &want.rid {
        Rid::None => assert_eq!(e.resource_id(), None, "{want:?}"),
        Rid::Is(id) => assert_eq!(e.resource_id(), Some(id.as_str()), "{want:?}"),
        Rid::Created => assert!(e.resource_id().is_some(), "{want:?}"),
    }
    assert_eq!(e.organization(), want.org, "{want:?}");
    assert_clean(&e);
    match &result {
        Ok(_) => {
            assert_eq!(want.outcome, Outcome::Success);
            assert_eq!(e.reason(), None);
            assert_eq!(w.revision().get(), version + 1, "a success publishes");
        }
        Err(err) => {
            let want_outcome = if matches!(err, AdminError::Denied(_)) {
                Outcome::Denied
            } else {
                Outcome::Failure
            };
            assert_eq!(e.outcome(), want_outcome, "{err:?}");
            let reason = e.reason().expect("a refused call says why");
            assert!(
                reason.starts_with(&err.to_string()),
                "{reason:?} should give {err}"
            );
            if let AdminError::Denied(denial) = err {
                assert!(reason.contains(&denial.to_string()), "{reason:?}");
            }
            assert_eq!(
                w.revision().get(),
                version,
                "a refused call changes nothing"
            );
        }
    }
    (result, e)
}
