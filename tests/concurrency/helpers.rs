//! Shared helpers: organizations and users, waits, joins, rules, resources and probes.

use std::any::Any;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

use rolegate::*;

pub(crate) const ORG: OrgId = OrgId::new(1);
pub(crate) const OTHER_ORG: OrgId = OrgId::new(2);
/// The Owner every writer acts as.
pub(crate) const OWNER: UserId = UserId::new(1);
/// A Viewer that no change touches.
pub(crate) const WATCHER: UserId = UserId::new(2);

/// Raises a flag when dropped, also when the thread holding it panics, so
/// that no other thread waits for it forever.
pub(crate) struct RaiseOnDrop<'a>(pub(crate) &'a AtomicBool);

impl Drop for RaiseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Waits, yielding, until `ready` holds; false if `stop` was raised first.
pub(crate) fn wait_for(stop: &AtomicBool, ready: impl Fn() -> bool) -> bool {
    loop {
        if ready() {
            return true;
        }
        if stop.load(Ordering::Acquire) {
            return false;
        }
        thread::yield_now();
    }
}

/// Whether every reader has reached `target` (a version or a sequence
/// number); false if `stop` was raised first.
pub(crate) fn all_reached(stop: &AtomicBool, counters: &[AtomicU64], target: u64) -> bool {
    wait_for(stop, || {
        counters.iter().all(|c| c.load(Ordering::Acquire) >= target)
    })
}

/// The message of a thread's panic.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// The result of a joined thread, its panic turned into an error message.
pub(crate) fn joined<T>(
    name: &str,
    result: thread::Result<Result<T, String>>,
) -> Result<T, String> {
    result.unwrap_or_else(|p| Err(format!("{name} panicked: {}", panic_message(&*p))))
}

/// An unconditional rule granting `resource.action`.
pub(crate) fn rule(catalog: &Catalog, (resource, action): (&str, &str)) -> Rule {
    Rule::builder(catalog, resource, action)
        .build()
        .unwrap_or_else(|e| panic!("rule {resource}.{action}: {e}"))
}

pub(crate) fn rules(catalog: &Catalog, permissions: &[(&str, &str)]) -> Vec<Rule> {
    permissions.iter().map(|&p| rule(catalog, p)).collect()
}

/// A resource of type `ty` with no customer, team, owner or attribute.
pub(crate) fn resource(
    catalog: &Catalog,
    ty: &str,
    id: u64,
    organization: OrgId,
) -> Resource<'static> {
    Resource::new(
        catalog.resource_type(ty).unwrap(),
        ResourceId::new(id),
        organization,
    )
}

pub(crate) fn action(catalog: &Catalog, name: &str) -> ActionId {
    catalog.action(name).unwrap()
}

/// One check of a probe set, with what it answers in each of two states.
#[derive(Clone, Debug)]
pub(crate) struct Probe {
    pub(crate) label: String,
    pub(crate) user: UserId,
    pub(crate) action: ActionId,
    pub(crate) resource: Resource<'static>,
    pub(crate) in_a: bool,
    pub(crate) in_b: bool,
}

/// Runs every probe on one snapshot, into `out`.
pub(crate) fn evaluate(snapshot: &Snapshot, probes: &[Probe], out: &mut Vec<bool>) {
    out.clear();
    out.extend(
        probes
            .iter()
            .map(|p| snapshot.can(p.user, p.action, &p.resource)),
    );
}

/// A decision vector as `1` (allow) and `0` (deny), in groups of `group`.
pub(crate) fn bits(v: &[bool], group: usize) -> String {
    let mut s = String::with_capacity(v.len() * 2);
    for (i, &b) in v.iter().enumerate() {
        if i > 0 && i % group == 0 {
            s.push(' ');
        }
        s.push(if b { '1' } else { '0' });
    }
    s
}

/// An engine with its Owner, and the catalog.
pub(crate) fn owned_engine() -> (Engine, Arc<Catalog>) {
    let catalog = Arc::new(Catalog::standard());
    let engine = Engine::new(Arc::clone(&catalog));
    engine
        .bootstrap()
        .add_user(User::new(OWNER, ORG, SystemRole::Owner.id()))
        .unwrap();
    (engine, catalog)
}
