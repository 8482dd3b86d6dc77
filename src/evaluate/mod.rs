//! Evaluation: `can` on the compiled tables, and `explain` for the reason behind it.
//!
//! [`Policy::can`] is the hot path: two integer compares, one table load for
//! the permission, one bit test on the role's unconditional mask; only a
//! permission the role grants under must-match keys or conditions goes on to
//! the role's span for it, which decides the common case of one grant with at
//! most one condition by itself, and otherwise points into the role's grants.
//! It allocates nothing, hashes nothing, takes no lock and writes nothing.

mod explain;
mod request;

use explain::Unmet;
pub use explain::{Denial, Explanation, ExplanationDisplay, RuleFailure};
pub use request::{AttributeValue, Resource, StatusError, Subject, UserStatus};
pub(crate) use request::{Principal, Who};

use crate::catalog::NO_PERMISSION;
use crate::condition::SubjectField;
use crate::id::{ActionId, AttributeId, PermissionId, ResourceTypeId};
use crate::policy::program::{Check, Clause, EQUAL, GREATER, LESS};
use crate::policy::{CompiledRole, Policy, Slot, Span};
use crate::rule::MustMatch;

impl Policy {
    /// Whether `subject` may perform `action` on `resource` ([semantics](crate::semantics) §2).
    ///
    /// Denies unless a rule of the subject's role, a rule synced from one, or
    /// a built-in rule allows it; always denies an inactive subject, a
    /// resource of another organization, an action not applicable to the
    /// resource's type, and ids the policy does not know.
    ///
    /// This is the stateless check, for hosts that keep their own directory
    /// of users: the role, status, customer and teams are taken as the
    /// `subject` gives them, so a `Subject` kept from before a suspension or
    /// a demotion still answers as it was. A service whose users live in an
    /// [`Engine`](crate::Engine) checks by user id
    /// ([`Engine::can`](crate::Engine::can)), which reads them from the
    /// current state at every check.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, CustomerId, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let catalog = policy.catalog();
    /// let (connections, read) = (catalog.resource_type("connections")?, catalog.action("read")?);
    ///
    /// let (org, acme) = (OrgId::new(1), CustomerId::new(30));
    /// let end_user = Subject::new(UserId::new(7), org, SystemRole::EndUser.id(), UserStatus::Active)
    ///     .with_customer(acme);
    /// let own = Resource::new(connections, ResourceId::new(1), org)
    ///     .with_customer(acme)
    ///     .with_owner(UserId::new(7));
    /// let someone_elses = Resource::new(connections, ResourceId::new(2), org)
    ///     .with_customer(acme)
    ///     .with_owner(UserId::new(8));
    ///
    /// assert!(policy.can(&end_user, read, &own));
    /// assert!(!policy.can(&end_user, read, &someone_elses));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    #[must_use]
    pub fn can(&self, subject: &Subject, action: ActionId, resource: &Resource<'_>) -> bool {
        self.decide(subject, action, resource)
    }

    /// [`can`](Self::can) on a subject as the evaluator reads it, borrowed
    /// from a [`Subject`] or from a directory record.
    #[inline(always)]
    pub(crate) fn decide<S: Principal + ?Sized>(
        &self,
        subject: &S,
        action: ActionId,
        resource: &Resource<'_>,
    ) -> bool {
        if subject.status() != UserStatus::Active || subject.organization() != resource.organization
        {
            return false;
        }
        // An inapplicable pair reads as the sentinel, an id above every
        // permission: no role's masks have its bit, so it denies below
        // without a test of its own.
        let Some(permission) = self.cell(resource.resource_type, action) else {
            return false;
        };
        let Some(slot) = self.roles.get(subject.role().index()) else {
            return false;
        };
        if slot
            .organization
            .is_some_and(|org| org != subject.organization())
        {
            return false;
        }
        granted(slot, subject, permission, resource)
    }

    /// [`decide`](Self::decide) over many resources: the subject's status
    /// and role are read once, and what the role grants for a resource
    /// type is worked out once per run of resources of that type; each
    /// resource then costs its organization and, when the grant is
    /// narrowed, its must-match keys and condition.
    pub(crate) fn decide_many<S: Principal + ?Sized>(
        &self,
        subject: &S,
        action: ActionId,
        resources: &[Resource<'_>],
    ) -> Vec<bool> {
        let slot = self.roles.get(subject.role().index()).filter(|slot| {
            subject.status() == UserStatus::Active
                && slot
                    .organization
                    .is_none_or(|org| org == subject.organization())
        });
        let Some(slot) = slot else {
            return vec![false; resources.len()];
        };
        let organization = subject.organization();
        // The subject as values, moved into each run's decision, so that
        // the loop keeps them in registers (see `decide_run`).
        let who = Who {
            id: subject.id(),
            organization,
            customer: subject.customer(),
            teams: subject.teams(),
            role: subject.role(),
            status: subject.status(),
        };
        let mut allowed = Vec::with_capacity(resources.len());
        // A run of resources of one type shares one plan, and each plan has
        // a loop of its own, so that the per-resource work is only what the
        // plan leaves to decide.
        while let Some(rest) = resources.get(allowed.len()..)
            && let Some(first) = rest.first()
        {
            let resource_type = first.resource_type;
            let n = rest
                .iter()
                .position(|r| r.resource_type != resource_type)
                .unwrap_or(rest.len());
            let run = rest.get(..n).unwrap_or_default();
            let start = allowed.len();
            allowed.resize(start + n, false);
            let Some(out) = allowed.get_mut(start..) else {
                break;
            };
            let ours = move |r: &Resource<'_>| r.organization == organization;
            match self.plan(slot, resource_type, action) {
                Plan::Deny => {}
                Plan::Allow => decide_run(out, run, ours),
                Plan::Scoped(&Span::Keys { needs }) => for_needs!(needs, keys => {
                    decide_run(out, run, move |r| ours(r) && keys_hold(keys, &who, r))
                }),
                Plan::Scoped(Span::Test {
                    needs,
                    attribute,
                    check,
                }) => {
                    let (needs, attribute) = (*needs, *attribute);
                    match check {
                        // String equality, the common test, with its literal
                        // taken out of the span once for the run.
                        Check::StrEq { equal, value } => {
                            let (equal, literal) = (*equal, &**value);
                            for_needs!(needs, keys => decide_run(out, run, move |r| {
                                ours(r)
                                    && keys_hold(keys, &who, r)
                                    && str_eq(r.attribute(attribute), literal, equal)
                            }));
                        }
                        _ => decide_run(out, run, move |r| {
                            ours(r) && keys_hold(needs, &who, r) && holds(attribute, check, &who, r)
                        }),
                    }
                }
                Plan::Scoped(span) => {
                    decide_run(out, run, move |r| {
                        ours(r) && span_holds(slot, span, &who, r)
                    });
                }
            }
        }
        allowed
    }

    /// What the role in `slot` grants for `action` on resources of one type.
    fn plan<'p>(
        &self,
        slot: &'p Slot,
        resource_type: ResourceTypeId,
        action: ActionId,
    ) -> Plan<'p> {
        let Some(permission) = self.cell(resource_type, action) else {
            return Plan::Deny;
        };
        let i = permission.index();
        let word = i >> 6;
        let mask = if word == 0 {
            Some(&slot.head)
        } else {
            slot.entry.as_deref().and_then(|e| e.compiled.mask(word))
        };
        let bit = 1u64 << (i & 63);
        match mask {
            Some(m) if m.allow & bit != 0 => Plan::Allow,
            Some(m) if m.scoped & bit != 0 => match slot.spans.get(i) {
                Some(span) => Plan::Scoped(span),
                None => Plan::Deny,
            },
            _ => Plan::Deny,
        }
    }

    /// The decision of [`can`](Self::can) with its reason: the rule that
    /// allowed the request, or why it was denied ([semantics](crate::semantics) §6).
    ///
    /// When several rules grant the permission and all fail, the denial
    /// lists each with the first must-match key or condition that failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Denial, Explanation, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let catalog = policy.catalog();
    /// let viewer = Subject::new(UserId::new(3), OrgId::new(1), SystemRole::Viewer.id(), UserStatus::Active);
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(9), OrgId::new(1));
    ///
    /// let why = policy.explain(&viewer, catalog.action("delete")?, &workflow);
    /// assert!(matches!(why, Explanation::Denied(Denial::NoRule { .. })));
    /// assert_eq!(why.display(&policy).to_string(), "denied: Viewer has no rule for workflows.delete");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn explain(
        &self,
        subject: &Subject,
        action: ActionId,
        resource: &Resource<'_>,
    ) -> Explanation {
        self.explain_who(subject, action, resource)
    }

    /// [`explain`](Self::explain) on a subject as the evaluator reads it.
    pub(crate) fn explain_who<S: Principal + ?Sized>(
        &self,
        subject: &S,
        action: ActionId,
        resource: &Resource<'_>,
    ) -> Explanation {
        if subject.status() != UserStatus::Active {
            return Explanation::Denied(Denial::Inactive {
                status: subject.status(),
            });
        }
        if subject.organization() != resource.organization {
            return Explanation::Denied(Denial::OtherOrganization {
                subject: subject.organization(),
                resource: resource.organization,
            });
        }
        let Some(permission) = self.lookup(resource.resource_type, action) else {
            return Explanation::Denied(Denial::NotApplicable {
                resource_type: resource.resource_type,
                action,
            });
        };
        let role_id = subject.role();
        let Some(role) = self.entry(role_id).map(|e| &e.compiled) else {
            return Explanation::Denied(Denial::UnknownRole { role: role_id });
        };
        if let Some(organization) = role
            .organization
            .filter(|&org| org != subject.organization())
        {
            return Explanation::Denied(Denial::RoleOfOtherOrganization {
                role: role_id,
                organization,
            });
        }
        let grants = role.grants_for(permission);
        if grants.is_empty() {
            return Explanation::Denied(Denial::NoRule {
                role: role_id,
                permission,
            });
        }
        let mut failures = Vec::with_capacity(grants.len());
        for grant in grants {
            match grant_failure(role, grant, subject, resource) {
                None => {
                    return Explanation::Allowed {
                        role: role_id,
                        permission,
                        rule: grant.origin,
                    };
                }
                Some(unmet) => failures.push(unmet.of(grant.origin)),
            }
        }
        Explanation::Denied(Denial::RulesFailed {
            role: role_id,
            permission,
            failures,
        })
    }

    /// The permission of an applicable (type, action) pair.
    #[inline]
    pub(crate) fn lookup(
        &self,
        resource_type: ResourceTypeId,
        action: ActionId,
    ) -> Option<PermissionId> {
        self.cell(resource_type, action)
            .filter(|p| p.0 != NO_PERMISSION)
    }

    /// The table's cell for a (type, action) pair: a permission, or the
    /// sentinel for a pair that is not applicable.
    #[inline]
    fn cell(&self, resource_type: ResourceTypeId, action: ActionId) -> Option<PermissionId> {
        let a = action.index();
        if a >= self.actions {
            return None;
        }
        self.table
            .get(resource_type.index() * self.actions + a)
            .map(|&raw| PermissionId(raw))
    }
}

/// What a role grants one subject for one action on resources of one type,
/// worked out once for a run of bulk checks.
#[derive(Clone, Copy, Debug)]
enum Plan<'p> {
    Deny,
    Allow,
    /// Only under must-match keys or conditions, decided per resource.
    Scoped(&'p Span),
}

/// Whether the role in `slot` grants `permission` on `resource` to the
/// subject, whose status, organization and role were checked.
#[inline(always)]
fn granted<S: Principal + ?Sized>(
    slot: &Slot,
    subject: &S,
    permission: PermissionId,
    resource: &Resource<'_>,
) -> bool {
    let i = permission.index();
    let word = i >> 6;
    let mask = if word == 0 {
        &slot.head
    } else {
        match slot.entry.as_deref().and_then(|e| e.compiled.mask(word)) {
            Some(mask) => mask,
            None => return false,
        }
    };
    let bit = 1u64 << (i & 63);
    if mask.allow & bit != 0 {
        return true;
    }
    if mask.scoped & bit == 0 {
        return false;
    }
    scoped(slot, subject, permission, resource)
}

/// The narrowed path: the role grants the permission only under must-match
/// keys or conditions.
///
/// Most permissions have one grant with at most one condition, held in the
/// span itself; that case runs here without loops over grants, and the
/// general one goes to an out-of-line helper so that this function needs no
/// stack frame.
#[inline]
fn scoped<S: Principal + ?Sized>(
    slot: &Slot,
    subject: &S,
    permission: PermissionId,
    resource: &Resource<'_>,
) -> bool {
    match slot.spans.get(permission.index()) {
        Some(span) => span_holds(slot, span, subject, resource),
        None => false,
    }
}

/// Whether the grants `span` locates allow the request.
#[inline(always)]
fn span_holds<S: Principal + ?Sized>(
    slot: &Slot,
    span: &Span,
    subject: &S,
    resource: &Resource<'_>,
) -> bool {
    match span {
        Span::Keys { needs } => keys_hold(*needs, subject, resource),
        Span::Test {
            needs,
            attribute,
            check,
        } => keys_hold(*needs, subject, resource) && holds(*attribute, check, subject, resource),
        Span::Lists { start, end } => match slot.entry.as_deref() {
            Some(entry) => any_grant(&entry.compiled, *start, *end, subject, resource),
            None => false,
        },
    }
}

/// Whether any of grants `start..end` of the role allows the request.
#[inline(never)]
fn any_grant<S: Principal + ?Sized>(
    role: &CompiledRole,
    start: u32,
    end: u32,
    subject: &S,
    resource: &Resource<'_>,
) -> bool {
    role.grants_in(start, end).iter().any(|grant| {
        keys_hold(grant.must_match, subject, resource)
            && role.tests_in(grant.tests).is_some_and(|tests| {
                tests
                    .iter()
                    .all(|t| holds(t.attribute, &t.check, subject, resource))
            })
    })
}

/// Whether this subject and resource share every key of `needs`. The
/// organization was checked before any grant is looked at;
/// [`grant_failure`] says which key a grant lacked. A failing key is laid
/// out as the unlikely branch, so that a check that passes runs straight
/// through.
#[inline(always)]
fn keys_hold<S: Principal + ?Sized>(
    needs: MustMatch,
    subject: &S,
    resource: &Resource<'_>,
) -> bool {
    if needs.contains(MustMatch::CUSTOMER)
        && subject
            .customer()
            .is_none_or(|c| resource.customer != Some(c))
    {
        cold();
        return false;
    }
    if needs.contains(MustMatch::OWNER) && resource.owner != Some(subject.id()) {
        cold();
        return false;
    }
    if needs.contains(MustMatch::TEAM)
        && !resource
            .team
            .is_some_and(|team| subject.teams().contains(&team))
    {
        cold();
        return false;
    }
    true
}

/// Marks the branch that calls it as the unlikely one, so that the code of
/// the likely one falls through.
#[cold]
fn cold() {}

/// What makes `grant` fail for this request, or `None` when it allows it.
/// The organization key was checked before any grant is looked at.
fn grant_failure<S: Principal + ?Sized>(
    role: &CompiledRole,
    grant: &Clause,
    subject: &S,
    resource: &Resource<'_>,
) -> Option<Unmet> {
    let keys = grant.must_match;
    if keys.contains(MustMatch::CUSTOMER)
        && subject
            .customer()
            .is_none_or(|c| resource.customer != Some(c))
    {
        return Some(Unmet::MustMatch(MustMatch::CUSTOMER));
    }
    if keys.contains(MustMatch::TEAM)
        && !resource.team.is_some_and(|t| subject.teams().contains(&t))
    {
        return Some(Unmet::MustMatch(MustMatch::TEAM));
    }
    if keys.contains(MustMatch::OWNER) && resource.owner != Some(subject.id()) {
        return Some(Unmet::MustMatch(MustMatch::OWNER));
    }
    let Some(tests) = role.tests_in(grant.tests) else {
        return Some(Unmet::Condition(0));
    };
    tests
        .iter()
        .position(|t| !holds(t.attribute, &t.check, subject, resource))
        .map(Unmet::Condition)
}

#[inline]
fn ordering_bit(o: core::cmp::Ordering) -> u8 {
    match o {
        core::cmp::Ordering::Less => LESS,
        core::cmp::Ordering::Equal => EQUAL,
        core::cmp::Ordering::Greater => GREATER,
    }
}

/// Whether one compiled comparison on `attribute` holds. A missing
/// attribute or a value of another type makes it false.
#[inline(always)]
fn holds<S: Principal + ?Sized>(
    attribute: AttributeId,
    check: &Check,
    subject: &S,
    resource: &Resource<'_>,
) -> bool {
    // String equality, the most common test, is decided here; the other
    // comparisons go through an out-of-line dispatch.
    if let Check::StrEq {
        equal,
        value: literal,
    } = check
    {
        return str_eq(resource.attribute(attribute), literal, *equal);
    }
    holds_other(attribute, check, subject, resource)
}

/// Whether `value` is a string equal to `literal` (`equal`), or a string
/// that differs from it.
#[inline(always)]
fn str_eq(value: Option<AttributeValue<'_>>, literal: &str, equal: bool) -> bool {
    match value {
        // Strings of different lengths differ without reading them.
        Some(AttributeValue::String(v)) if v.len() != literal.len() => !equal,
        Some(AttributeValue::String(v)) => same_bytes(v, literal, equal),
        _ => false,
    }
}

/// Runs `$body` with `$keys` naming the must-match keys `$needs`: a
/// constant for the common sets (the organization alone, or with one other
/// key), so that the loop `$body` runs tests only the keys it needs, and
/// the value itself otherwise.
macro_rules! for_needs {
    ($needs:expr, $keys:ident => $body:expr) => {
        for_needs!(@ $needs, $keys, $body, [
            MustMatch::ORGANIZATION,
            MustMatch::ORGANIZATION.union(MustMatch::TEAM),
            MustMatch::ORGANIZATION.union(MustMatch::OWNER),
            MustMatch::ORGANIZATION.union(MustMatch::CUSTOMER)
        ])
    };
    (@ $needs:expr, $keys:ident, $body:expr, [$($set:expr),*]) => {{
        #[allow(non_upper_case_globals)]
        match $needs {
            $(n if n == $set => {
                const $keys: MustMatch = $set;
                $body
            })*
            $keys => $body,
        }
    }};
}
use for_needs;

/// Writes the answer of `decide` for each resource of a run. Out of line,
/// with the decision's values moved in: the answers are byte stores, which
/// could alias anything reached through a reference, so that values read
/// in place would be read again for every resource; owned here, they stay
/// in registers.
#[inline(never)]
fn decide_run<'r>(out: &mut [bool], run: &[Resource<'r>], decide: impl Fn(&Resource<'r>) -> bool) {
    for (answer, resource) in out.iter_mut().zip(run) {
        *answer = decide(resource);
    }
}

/// Whether two strings of one length are equal (`equal`) or differ. Out of
/// line, so that the inline comparison keeps no register across a call.
#[inline(never)]
fn same_bytes(value: &str, literal: &str, equal: bool) -> bool {
    (value == literal) == equal
}

/// Whether a list sorted at compile time holds the value `order` compares
/// with: a scan for a short list, a binary search for a long one, so that a
/// check costs O(log n) in the list's length.
#[inline]
fn in_sorted<T>(values: &[T], order: impl Fn(&T) -> core::cmp::Ordering) -> bool {
    if values.len() <= 8 {
        values.iter().any(|x| order(x).is_eq())
    } else {
        values.binary_search_by(order).is_ok()
    }
}

/// Whether a comparison other than string equality holds. Taking the same
/// arguments as [`holds`] keeps the call a jump.
#[inline(never)]
fn holds_other<S: Principal + ?Sized>(
    attribute: AttributeId,
    check: &Check,
    subject: &S,
    resource: &Resource<'_>,
) -> bool {
    let Some(value) = resource.attribute(attribute) else {
        return false;
    };
    match (check, value) {
        (Check::Str { accept, value }, AttributeValue::String(v)) => {
            accept & ordering_bit(v.cmp(&**value)) != 0
        }
        (Check::Int { accept, value }, AttributeValue::Integer(v)) => {
            accept & ordering_bit(v.cmp(value)) != 0
        }
        (Check::Bool { equal, value }, AttributeValue::Boolean(v)) => (v == *value) == *equal,
        (Check::StrIn { negate, values }, AttributeValue::String(v)) => {
            in_sorted(values, |x| (**x).cmp(v)) != *negate
        }
        (Check::IntIn { negate, values }, AttributeValue::Integer(v)) => {
            in_sorted(values, |x| x.cmp(&v)) != *negate
        }
        (Check::BoolIn { negate, values }, AttributeValue::Boolean(v)) => {
            values.contains(&v) != *negate
        }
        (Check::Subject { equal, field }, value) => match (field, value) {
            (SubjectField::Id, AttributeValue::User(u)) => (u == subject.id()) == *equal,
            (SubjectField::Organization, AttributeValue::Organization(o)) => {
                (o == subject.organization()) == *equal
            }
            (SubjectField::Customer, AttributeValue::Customer(c)) => {
                subject.customer().is_some_and(|s| (s == c) == *equal)
            }
            _ => false,
        },
        // String equality is decided in `holds`; any other pair of check and
        // value is a mismatch of types.
        _ => false,
    }
}
