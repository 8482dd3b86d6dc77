//! tracing events (feature `tracing`), target `rolegate`: one for each
//! decision made through the engine (allows at `debug`, denials at
//! `info`), one for each administrative call (`info`; refusals and failures
//! too), one when the engine catches up with its store (`info`, or `warn`
//! when it cannot). `Policy::can` emits nothing. Without the feature every
//! function here is empty and inlined away.
//!
//! Fields: `call` (`can`, `can_many`, `explain`, `authorize`, or the
//! administrative action such as `role.update`), `organization`, `user`,
//! `permission`, `outcome` (`allowed`, `denied`, `success`, `failure`),
//! `reason` (a denial's reason code; a refused call's message), `revision`.

#[cfg(feature = "tracing")]
mod on {
    use tracing::{Level, enabled, event};

    use crate::audit::{Actor, NewEvent, Outcome};
    use crate::evaluate::{Denial, Resource};
    use crate::id::{ActionId, UserId};
    use crate::store::{Revision, StoreError};

    use super::super::Snapshot;

    const TARGET: &str = "rolegate";

    /// The permission's name, or `type.action` for a pair that is not one.
    fn permission(snapshot: &Snapshot, action: ActionId, resource: &Resource<'_>) -> String {
        snapshot
            .policy
            .catalog()
            .pair_name(resource.resource_type(), action)
    }

    /// A decision by user id. `denial` is asked for only when a denial is
    /// to be traced: working out its reason costs an explanation.
    pub(crate) fn decision(
        call: &'static str,
        snapshot: &Snapshot,
        user: UserId,
        action: ActionId,
        resource: &Resource<'_>,
        allowed: bool,
        denial: impl FnOnce() -> Option<Denial>,
    ) {
        if allowed {
            if enabled!(target: TARGET, Level::DEBUG) {
                event!(
                    target: TARGET,
                    Level::DEBUG,
                    call,
                    organization = resource.organization().get(),
                    user = user.get(),
                    permission = permission(snapshot, action, resource).as_str(),
                    outcome = "allowed",
                    revision = snapshot.revision.get(),
                    "allowed"
                );
            }
        } else if enabled!(target: TARGET, Level::INFO) {
            let code = denial().map_or("", |d| d.code());
            event!(
                target: TARGET,
                Level::INFO,
                call,
                organization = resource.organization().get(),
                user = user.get(),
                permission = permission(snapshot, action, resource).as_str(),
                outcome = "denied",
                reason = code,
                revision = snapshot.revision.get(),
                "denied"
            );
        }
    }

    /// A bulk check: one event for the page, with how many were allowed.
    pub(crate) fn page(
        snapshot: &Snapshot,
        user: UserId,
        action: ActionId,
        resources: &[Resource<'_>],
        allowed: &[bool],
    ) {
        if enabled!(target: TARGET, Level::DEBUG) {
            let granted = allowed.iter().filter(|&&a| a).count();
            let organization = resources.first().map_or(0, |r| r.organization().get());
            let permission = resources
                .first()
                .map_or_else(String::new, |r| permission(snapshot, action, r));
            event!(
                target: TARGET,
                Level::DEBUG,
                call = "can_many",
                organization,
                user = user.get(),
                permission = permission.as_str(),
                resources = resources.len(),
                allowed = granted,
                revision = snapshot.revision.get(),
                "checked a page"
            );
        }
    }

    /// An administrative call as recorded: its outcome, and the revision
    /// it published or was refused on.
    pub(crate) fn change(
        event: &NewEvent,
        outcome: Outcome,
        reason: Option<&str>,
        revision: Revision,
    ) {
        if enabled!(target: TARGET, Level::INFO) {
            let user = match event.actor {
                Actor::User(id) => Some(id.get()),
                Actor::System => None,
            };
            let outcome = match outcome {
                Outcome::Success => "success",
                Outcome::Denied => "denied",
                _ => "failure",
            };
            event!(
                target: TARGET,
                Level::INFO,
                call = event.action.as_str(),
                organization = event.organization.map(|o| o.get()),
                user,
                outcome,
                reason,
                revision = revision.get(),
                "administrative call"
            );
        }
    }

    /// Caught up with the store: `commits` applied, now at `revision`.
    pub(crate) fn caught_up(commits: usize, revision: Revision) {
        event!(
            target: TARGET,
            Level::INFO,
            commits,
            revision = revision.get(),
            "caught up with the store"
        );
    }

    /// Catching up failed; the engine keeps its last good state.
    pub(crate) fn catch_up_failed(error: &StoreError, revision: Revision) {
        event!(
            target: TARGET,
            Level::WARN,
            error = %error,
            revision = revision.get(),
            "could not catch up with the store; serving the last good state"
        );
    }
}

#[cfg(feature = "tracing")]
pub(crate) use on::{catch_up_failed, caught_up, change, decision, page};

#[cfg(not(feature = "tracing"))]
mod off {
    use crate::audit::{NewEvent, Outcome};
    use crate::evaluate::{Denial, Resource};
    use crate::id::{ActionId, UserId};
    use crate::store::{Revision, StoreError};

    use super::super::Snapshot;

    #[inline(always)]
    pub(crate) fn decision(
        _: &'static str,
        _: &Snapshot,
        _: UserId,
        _: ActionId,
        _: &Resource<'_>,
        _: bool,
        _: impl FnOnce() -> Option<Denial>,
    ) {
    }

    #[inline(always)]
    pub(crate) fn page(_: &Snapshot, _: UserId, _: ActionId, _: &[Resource<'_>], _: &[bool]) {}

    #[inline(always)]
    pub(crate) fn change(_: &NewEvent, _: Outcome, _: Option<&str>, _: Revision) {}

    #[inline(always)]
    pub(crate) fn caught_up(_: usize, _: Revision) {}

    #[inline(always)]
    pub(crate) fn catch_up_failed(_: &StoreError, _: Revision) {}
}

#[cfg(not(feature = "tracing"))]
pub(crate) use off::{catch_up_failed, caught_up, change, decision, page};
