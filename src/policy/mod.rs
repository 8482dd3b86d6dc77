//! Compilation: roles folded with synced and built-in rules into per-role bitset tables.
//!
//! A [`Policy`] is the compiled, immutable form of a catalog and its roles.
//! Each role becomes two permission bitsets (granted unconditionally, and
//! granted only under must-match keys or conditions) and a sorted list of
//! narrowed grants in id-based form. [`Policy::can`] reads those tables and
//! nothing else.

pub(crate) mod program;
mod table;

use crate::persistent::PMap;
use std::sync::Arc;

use crate::catalog::Catalog;
use crate::condition::{Literal, Operand};
use crate::id::{AttributeId, OrgId, PermissionId, PermissionSet, ResourceTypeId, RoleId};
use crate::role::{Role, RoleError, SystemRole};
use crate::rule::{MustMatch, Rule};
use crate::text::excerpt;
use program::{Check, Clause, Test, TestRange, compile_condition};
pub(crate) use table::{RoleEntry, RoleTable, Slot};

/// Where a compiled grant comes from: which rule, and whether it was applied
/// through a sync.
///
/// # Examples
///
/// ```
/// use rolegate::policy::RuleSource;
/// use rolegate::{Catalog, Explanation, Policy, SystemRole};
/// # use rolegate::{OrgId, Resource, ResourceId, Subject, UserId, UserStatus};
///
/// let catalog = Catalog::standard();
/// let policy = Policy::new(catalog);
/// # let catalog = policy.catalog();
/// # let (org, user) = (OrgId::new(1), UserId::new(7));
/// # let subject = Subject::new(user, org, SystemRole::Viewer.id(), UserStatus::Active);
/// # let profile = Resource::new(catalog.resource_type("profile")?, ResourceId::new(7), org).with_owner(user);
/// let read = catalog.action("read")?;
/// let Explanation::Allowed { rule, .. } = policy.explain(&subject, read, &profile) else {
///     return Err("the own profile is readable".into());
/// };
/// assert_eq!(rule.source, RuleSource::BuiltIn);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RuleRef {
    /// Whether the rule is the role's own or one of the catalog's built-in
    /// rules.
    pub source: RuleSource,
    /// Its index in [`Role::rules`] or [`Catalog::builtin_rules`], from 0
    /// (explanation text numbers rules from 1).
    pub index: usize,
    /// The resource type the rule was synced to, when it applied through a
    /// sync rather than on its own type.
    pub synced_to: Option<ResourceTypeId>,
}

/// Which list a [`RuleRef`] indexes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleSource {
    /// The role's own rules, [`Role::rules`].
    Role,
    /// The catalog's built-in rules, [`Catalog::builtin_rules`].
    BuiltIn,
}

/// The masks of 64 consecutive permissions of one role.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct MaskWord {
    /// Permissions some grant gives with no narrowing.
    pub(crate) allow: u64,
    /// Permissions only narrowed grants give.
    pub(crate) scoped: u64,
}

/// How a check decides one permission the role grants only under
/// must-match keys or conditions.
///
/// The common cases, one grant with no condition or with one that compares
/// the attribute to a single value, are decided from the span alone; the
/// rest read the role's grants and tests. The explicit tag and the field
/// order keep a span at 32 bytes and its dispatch to one byte compare;
/// the form with a condition, the longest to decide, has tag zero.
#[derive(Clone, Debug)]
#[repr(u8)]
pub(crate) enum Span {
    /// One grant with one condition, held here: its must-match keys and the
    /// condition decide.
    Test {
        needs: MustMatch,
        attribute: AttributeId,
        check: Check,
    },
    /// One grant without conditions: its must-match keys decide.
    Keys { needs: MustMatch },
    /// Grants `start..end` of the role's list: none, several, or one whose
    /// conditions need the lists.
    Lists { start: u32, end: u32 },
}

// A span stays at 32 bytes: one per permission of every role.
const _: () = assert!(size_of::<Span>() == 32);

/// One role in compiled form.
///
/// The first 64 permissions' masks are inline, so that a check on a catalog
/// of that size reads the role and nothing else; `spans` locates each
/// permission's grants, and every grant's tests live in one list.
#[derive(Clone, Debug)]
pub(crate) struct CompiledRole {
    /// The organization of a custom role; `None` for a system role.
    pub(crate) organization: Option<OrgId>,
    /// Masks of permissions 0 to 63.
    pub(crate) head: MaskWord,
    /// Masks of permissions 64 and up, 64 a word.
    pub(crate) tail: Box<[MaskWord]>,
    /// How a check decides each permission, up to the role's highest.
    pub(crate) spans: Arc<[Span]>,
    /// Every grant, own, synced and built-in, sorted by permission.
    pub(crate) grants: Box<[Clause]>,
    /// Every grant's tests, in grant order.
    pub(crate) tests: Box<[Test]>,
}

impl CompiledRole {
    /// The masks of word `word` (permissions `64 * word ..`).
    #[inline]
    pub(crate) fn mask(&self, word: usize) -> Option<&MaskWord> {
        if word == 0 {
            Some(&self.head)
        } else {
            self.tail.get(word - 1)
        }
    }

    /// Grants `start..end` of the list.
    #[inline]
    pub(crate) fn grants_in(&self, start: u32, end: u32) -> &[Clause] {
        self.grants
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// The grants of one permission.
    pub(crate) fn grants_for(&self, permission: PermissionId) -> &[Clause] {
        let start = self.grants.partition_point(|g| g.permission < permission);
        let len = self
            .grants
            .get(start..)
            .unwrap_or_default()
            .partition_point(|g| g.permission == permission);
        self.grants.get(start..start + len).unwrap_or_default()
    }

    /// The tests of a range; `None` for a range the role does not have,
    /// which callers treat as a grant that allows nothing.
    #[inline]
    pub(crate) fn tests_in(&self, range: TestRange) -> Option<&[Test]> {
        tests_of(&self.tests, range)
    }

    /// Heap bytes held by this compiled role.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.tail.len() * size_of::<MaskWord>()
            + self.spans.len() * size_of::<Span>()
            + self
                .spans
                .iter()
                .map(|s| match s {
                    Span::Test { check, .. } => check.heap_bytes(),
                    Span::Lists { .. } | Span::Keys { .. } => 0,
                })
                .sum::<usize>()
            + self.grants.len() * size_of::<Clause>()
            + self.tests.len() * size_of::<Test>()
            + self.tests.iter().map(Test::heap_bytes).sum::<usize>()
    }
}

/// The tests of a range of `tests`.
fn tests_of(tests: &[Test], range: TestRange) -> Option<&[Test]> {
    tests.get(range.start as usize..range.end as usize)
}

/// Whether `rule` is valid in `catalog`: written against it (or an identical
/// one), its ids resolve to the same permission and its conditions
/// type-check there.
pub(crate) fn rule_fits(catalog: &Catalog, rule: &Rule, builtin: bool) -> bool {
    if rule.catalog_fingerprint() != catalog.fingerprint() {
        return false;
    }
    let ty = rule.resource_type();
    if catalog.permission_of(ty, rule.action()) != Some(rule.permission()) {
        return false;
    }
    if !builtin && !catalog.is_grantable(ty) {
        return false;
    }
    rule.conditions().as_slice().iter().all(|c| {
        let Some(declared) = catalog.attribute_type(ty, c.attribute) else {
            return false;
        };
        match &c.operand {
            Operand::Literal(l) => l.attr_type() == declared,
            Operand::Subject(f) => f.attr_type() == declared,
            Operand::List(items) => items.iter().all(|l: &Literal| l.attr_type() == declared),
        }
    })
}

/// Compiles one role against `catalog`, folding in synced and built-in rules.
/// Rules that do not fit the catalog are left out (callers validate first).
pub(crate) fn compile_role(catalog: &Catalog, role: &Role) -> CompiledRole {
    let mut grants = Vec::new();
    let mut tests: Vec<Test> = Vec::new();
    let sources = role
        .rules()
        .iter()
        .enumerate()
        .map(|(i, r)| (RuleSource::Role, i, r))
        .chain(
            catalog
                .builtin_rules()
                .iter()
                .enumerate()
                .map(|(i, r)| (RuleSource::BuiltIn, i, r)),
        );
    for (source, index, rule) in sources {
        if !rule_fits(catalog, rule, source == RuleSource::BuiltIn) {
            continue;
        }
        let ty = rule.resource_type();
        // A rule's tests are stored once; its synced grants share them. A
        // condition that does not compile drops the whole rule: leaving the
        // condition out would widen it.
        let compiled: Option<Vec<Test>> = rule
            .conditions()
            .as_slice()
            .iter()
            .map(|c| {
                catalog
                    .attribute_type(ty, c.attribute)
                    .and_then(|t| compile_condition(c, t))
            })
            .collect();
        let Some(compiled) = compiled else {
            continue;
        };
        // Test counts stay far below u32::MAX: each is a condition held in
        // memory.
        let start = tests.len() as u32;
        tests.extend(compiled);
        let range = TestRange {
            start,
            end: tests.len() as u32,
        };
        let targets = core::iter::once((rule.permission(), None)).chain(
            catalog.sync_targets(ty).iter().filter_map(|&to| {
                catalog
                    .permission_of(to, rule.action())
                    .map(|p| (p, Some(to)))
            }),
        );
        for (permission, synced_to) in targets {
            grants.push(Clause {
                permission,
                must_match: rule.must_match(),
                tests: range,
                origin: RuleRef {
                    source,
                    index,
                    synced_to,
                },
            });
        }
    }
    grants.sort_by_key(|g| g.permission);

    let mut allow = PermissionSet::new();
    for g in &grants {
        if g.must_match == MustMatch::ORGANIZATION && g.tests.is_empty() {
            allow.insert(g.permission);
        }
    }
    // Masks word by word, and each permission's span of grants.
    let permissions = grants.last().map_or(0, |g| g.permission.index() + 1);
    let mut masks = vec![MaskWord::default(); permissions / 64 + 1];
    let mut spans: Vec<Span> = Vec::with_capacity(permissions);
    let mut start = 0;
    // Grants are sorted: each run is one permission's. Grants per role stay
    // far below u32::MAX, as tests do.
    for run in grants.chunk_by(|a, b| a.permission == b.permission) {
        let end = start + run.len() as u32;
        if let Some(g) = run.first() {
            let p = g.permission.index();
            spans.resize(p, Span::Lists { start, end: start });
            spans.push(match (run, tests_of(&tests, g.tests)) {
                ([_], Some([])) => Span::Keys {
                    needs: g.must_match,
                },
                ([_], Some([test])) => Span::Test {
                    needs: g.must_match,
                    attribute: test.attribute,
                    check: test.check.clone(),
                },
                _ => Span::Lists { start, end },
            });
            let bit = 1u64 << (p % 64);
            if let Some(mask) = masks.get_mut(p / 64) {
                if allow.contains(g.permission) {
                    mask.allow |= bit;
                } else {
                    mask.scoped |= bit;
                }
            }
        }
        start = end;
    }
    let mut masks = masks.into_iter();
    CompiledRole {
        organization: role.organization(),
        head: masks.next().unwrap_or_default(),
        tail: masks.collect(),
        spans: spans.into(),
        grants: grants.into(),
        tests: tests.into(),
    }
}

/// A compiled, immutable policy: a catalog, the six system roles and custom
/// roles, ready for [`can`](Policy::can) and [`explain`](Policy::explain).
///
/// `Send + Sync`; share it behind an [`Arc`]. Checks take `&self`, never
/// fail, allocate nothing and write nothing.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
///
/// let policy = Policy::new(Catalog::standard());
/// let catalog = policy.catalog();
/// let (workflows, execute) = (catalog.resource_type("workflows")?, catalog.action("execute")?);
///
/// let org = OrgId::new(1);
/// let developer = Subject::new(UserId::new(10), org, SystemRole::Developer.id(), UserStatus::Active);
/// let viewer = Subject::new(UserId::new(11), org, SystemRole::Viewer.id(), UserStatus::Active);
/// let workflow = Resource::new(workflows, ResourceId::new(100), org);
///
/// assert!(policy.can(&developer, execute, &workflow));
/// assert!(!policy.can(&viewer, execute, &workflow));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Policy {
    pub(crate) catalog: Arc<Catalog>,
    /// Every role, compiled, by id; a deleted role leaves an empty slot.
    pub(crate) roles: RoleTable,
    /// A copy of the catalog's (type, action) → permission table, kept next
    /// to the roles for the hot path.
    pub(crate) table: Arc<[u16]>,
    pub(crate) actions: usize,
    /// Custom roles by organization and lowercase name.
    names: PMap<(OrgId, String), RoleId>,
    /// Custom roles of each organization.
    by_org: PMap<OrgId, imbl::OrdSet<RoleId>>,
    live: usize,
    /// The id the next role gets: above every id ever given, so that a
    /// deleted role's id is never given again.
    next_role: u32,
}

impl Policy {
    /// A policy with the six system roles only.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Policy, SystemRole};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// assert_eq!(policy.role_count(), 6);
    /// assert_eq!(policy.role(SystemRole::Operator.id()).map(|r| r.rules().len()), Some(18));
    /// ```
    #[must_use]
    pub fn new(catalog: impl Into<Arc<Catalog>>) -> Self {
        let catalog = catalog.into();
        let roles: Vec<Role> = SystemRole::ALL
            .iter()
            .map(|&r| Role::system(&catalog, r))
            .collect();
        Self::assemble(catalog, roles)
    }

    /// Starts a policy with the six system roles, to which custom roles are
    /// added.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let read = Rule::builder(&catalog, "audit_log", "read").build()?;
    /// let mut builder = Policy::builder(catalog);
    /// builder.create_role(OrgId::new(1), "Auditor", [read])?;
    /// let policy = builder.build();
    /// assert_eq!(policy.role_count(), 7);
    /// assert!(policy.role_named(OrgId::new(1), "AUDITOR").is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn builder(catalog: impl Into<Arc<Catalog>>) -> PolicyBuilder {
        PolicyBuilder {
            policy: Self::new(catalog),
        }
    }

    fn assemble(catalog: Arc<Catalog>, roles: Vec<Role>) -> Self {
        let (table, actions) = catalog.permission_table();
        let mut policy = Self {
            table: table.into(),
            actions,
            catalog,
            roles: RoleTable::default(),
            names: PMap::default(),
            by_org: PMap::default(),
            live: 0,
            next_role: 0,
        };
        for role in roles {
            policy.insert_role(role);
        }
        policy
    }

    /// Compiles `role` and adds it under the next id. The caller has
    /// validated it (name unique in its organization, rules of this
    /// catalog).
    pub(crate) fn insert_role(&mut self, role: Role) -> Option<RoleId> {
        let id = self.next_role_id()?;
        self.put_role(id, role);
        Some(id)
    }

    /// The id the next created role gets, unless ids are exhausted.
    pub(crate) fn next_role_id(&self) -> Option<RoleId> {
        RoleId::new(self.next_role as usize)
    }

    /// The id counter: above every role id this policy has seen.
    pub(crate) fn role_counter(&self) -> u32 {
        self.next_role
    }

    /// Raises the id counter to at least `next`: a loaded state's counter,
    /// which remembers the ids of deleted roles.
    pub(crate) fn raise_role_counter(&mut self, next: u32) {
        self.next_role = self.next_role.max(next);
    }

    /// Compiles `role` and puts it at `id`, a new id or a live role's
    /// (renamed, new rules, or both); no other role is touched. The caller
    /// has validated it.
    pub(crate) fn put_role(&mut self, id: RoleId, role: Role) {
        let slot_id = id.index();
        self.next_role = self
            .next_role
            .max(u32::try_from(slot_id).map_or(u32::MAX, |i| i.saturating_add(1)));
        if self.role(id).is_some() {
            self.replace_role(id, role);
            return;
        }
        if let Some(org) = role.organization() {
            self.names.insert((org, crate::name::key(role.name())), id);
            self.by_org.entry(org).or_default().insert(id);
        }
        let compiled = compile_role(&self.catalog, &role);
        self.roles
            .put_at(slot_id, Slot::new(RoleEntry::new(role, compiled)));
        self.live += 1;
    }

    /// Recompiles the live role at `id` as `role`.
    fn replace_role(&mut self, id: RoleId, role: Role) -> bool {
        let Some(old) = self.role(id) else {
            return false;
        };
        // Only a rename touches the name index.
        let (old_key, new_key) = (crate::name::key(old.name()), crate::name::key(role.name()));
        if old_key != new_key {
            if let Some(org) = old.organization() {
                self.names.remove(&(org, old_key));
            }
            if let Some(org) = role.organization() {
                self.names.insert((org, new_key), id);
            }
        }
        let compiled = compile_role(&self.catalog, &role);
        self.roles
            .put_at(id.index(), Slot::new(RoleEntry::new(role, compiled)))
    }

    /// Removes the role at `id`. Its id is never given to another role, so a
    /// stale subject holding it is denied; the table frees the slots of
    /// deleted roles a block of 32 at a time.
    pub(crate) fn remove_role(&mut self, id: RoleId) -> bool {
        let Some(old) = self.role(id) else {
            return false;
        };
        if let Some(org) = old.organization() {
            let key = (org, crate::name::key(old.name()));
            self.names.remove(&key);
            if let Some(set) = self.by_org.get_mut(&org) {
                set.remove(&id);
            }
        }
        self.live -= 1;
        self.roles.clear(id.index())
    }

    /// The compiled entry of a live role.
    pub(crate) fn entry(&self, id: RoleId) -> Option<&RoleEntry> {
        self.roles.get(id.index())?.entry.as_deref()
    }

    /// The compiled entry of a live role, shared: what an audit event
    /// keeps to put a denial in words later.
    pub(crate) fn shared_entry(&self, id: RoleId) -> Option<&Arc<RoleEntry>> {
        self.roles.get(id.index())?.entry.as_ref()
    }

    /// The catalog the policy was compiled against.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Policy};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let workflows = policy.catalog().resource_type("workflows")?;
    /// assert_eq!(policy.catalog().resource_type_name(workflows), Some("workflows"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The catalog, shared.
    pub(crate) fn shared_catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// Number of roles, system roles included, deleted roles not.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy};
    ///
    /// let mut builder = Policy::builder(Catalog::standard());
    /// assert_eq!(builder.clone().build().role_count(), 6, "the system roles");
    /// builder.create_role(OrgId::new(1), "Auditor", [])?;
    /// assert_eq!(builder.build().role_count(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn role_count(&self) -> usize {
        self.live
    }

    /// The role with this id, unless there is none or it was deleted.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Policy, Role, RoleId, SystemRole};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// assert_eq!(policy.role(SystemRole::Viewer.id()).map(Role::name), Some("Viewer"));
    /// let unused = RoleId::new(99).ok_or("too large")?;
    /// assert!(policy.role(unused).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn role(&self, id: RoleId) -> Option<&Role> {
        self.entry(id).map(|e| &e.role)
    }

    /// Every role with its id: the six system roles first, then custom roles
    /// in the order they were added.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy};
    ///
    /// let mut builder = Policy::builder(Catalog::standard());
    /// builder.create_role(OrgId::new(1), "Auditor", [])?;
    /// let policy = builder.build();
    /// let names: Vec<&str> = policy.roles().map(|(_, role)| role.name()).collect();
    /// assert_eq!(names, ["Owner", "Admin", "Developer", "Operator", "Viewer", "End User", "Auditor"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn roles(&self) -> impl Iterator<Item = (RoleId, &Role)> + '_ {
        self.roles.iter().filter_map(|(i, slot)| {
            let entry = slot.entry.as_deref()?;
            RoleId::new(i).map(|id| (id, &entry.role))
        })
    }

    /// The role a user of `organization` would mean by `name`: a system role,
    /// or one of that organization's custom roles; compared as
    /// names are ([semantics](crate::semantics) §8.1: case, width, spacing
    /// and look-alike letters do not count).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy, SystemRole};
    ///
    /// let mut builder = Policy::builder(Catalog::standard());
    /// let auditor = builder.create_role(OrgId::new(1), "Auditor", [])?;
    /// let policy = builder.build();
    /// assert_eq!(policy.role_named(OrgId::new(1), " auditor "), Some(auditor));
    /// assert_eq!(policy.role_named(OrgId::new(2), "Auditor"), None, "another organization's role");
    /// assert_eq!(policy.role_named(OrgId::new(2), "viewer"), Some(SystemRole::Viewer.id()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn role_named(&self, organization: OrgId, name: &str) -> Option<RoleId> {
        if let Some(system) = SystemRole::named_like(name) {
            return Some(system.id());
        }
        self.names
            .get(&(organization, crate::name::key(name)))
            .copied()
    }

    /// The custom role of `organization` named `name` (compared as names are,
    /// [semantics](crate::semantics) §8.1).
    pub(crate) fn custom_role_named(&self, organization: OrgId, name: &str) -> Option<RoleId> {
        self.names
            .get(&(organization, crate::name::key(name)))
            .copied()
    }

    /// The custom roles of `organization`, in id order.
    /// How many custom roles `organization` has.
    pub(crate) fn custom_role_count(&self, organization: OrgId) -> usize {
        self.by_org.get(&organization).map_or(0, imbl::OrdSet::len)
    }

    /// Refuses a new custom role of `organization` beyond
    /// [`MAX_ROLES_PER_ORGANIZATION`](crate::limits::MAX_ROLES_PER_ORGANIZATION),
    /// counting `adding` roles still to come.
    pub(crate) fn room_for_roles(
        &self,
        organization: OrgId,
        adding: usize,
    ) -> Result<(), RoleError> {
        if self.custom_role_count(organization).saturating_add(adding)
            > crate::limits::MAX_ROLES_PER_ORGANIZATION
        {
            return Err(RoleError::TooManyRoles { organization });
        }
        Ok(())
    }

    pub(crate) fn custom_roles_of(&self, organization: OrgId) -> impl Iterator<Item = RoleId> + '_ {
        self.by_org
            .get(&organization)
            .into_iter()
            .flat_map(|set| set.iter().copied())
    }

    /// Heap bytes the compiled tables of one role hold, beyond the role's
    /// source rules.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Policy, RoleId, SystemRole};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let owner = policy.compiled_role_bytes(SystemRole::Owner.id());
    /// assert!(owner.is_some_and(|bytes| bytes > 0));
    /// assert_eq!(policy.compiled_role_bytes(RoleId::new(99).ok_or("too large")?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn compiled_role_bytes(&self, id: RoleId) -> Option<usize> {
        self.entry(id)
            .map(|e| size_of::<Slot>() + size_of::<RoleEntry>() + e.compiled.heap_bytes())
    }
}

/// Builds a [`Policy`] from a catalog and custom roles. Made by
/// [`Policy::builder`].
///
/// Each role is checked and compiled as it is created, so an error names
/// the role at fault.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, OrgId, Policy, RoleError};
///
/// let org = OrgId::new(1);
/// let mut builder = Policy::builder(Catalog::standard());
/// let auditors = builder.create_role(org, "Auditors", [])?;
/// let err = builder.create_role(org, "auditors", []).unwrap_err();
/// assert!(matches!(err, RoleError::DuplicateName { .. }));
/// let policy = builder.build();
/// assert_eq!(policy.role(auditors).map(|r| r.name()), Some("Auditors"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct PolicyBuilder {
    policy: Policy,
}

impl PolicyBuilder {
    /// Creates a custom role of `organization` and returns its id: the next
    /// after the six system roles and the custom roles created before it.
    ///
    /// # Errors
    ///
    /// A [`RoleError`] for a bad or reserved name, a name the organization
    /// already has (compared as names are, [semantics](crate::semantics) §8.1), a rule written against
    /// another catalog, or more roles than ids can number. Nothing is added.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let read = Rule::builder(&catalog, "audit_log", "read").build()?;
    /// let mut builder = Policy::builder(catalog);
    /// let auditor = builder.create_role(OrgId::new(1), "Auditor", [read])?;
    /// assert_eq!(auditor.index(), 6);
    /// assert!(builder.create_role(OrgId::new(1), "Owner", []).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_role<I>(
        &mut self,
        organization: OrgId,
        name: &str,
        rules: I,
    ) -> Result<RoleId, RoleError>
    where
        I: IntoIterator<Item = Rule>,
    {
        let role = Role::custom(organization, name, rules)?;
        if self
            .policy
            .custom_role_named(organization, role.name())
            .is_some()
        {
            return Err(RoleError::DuplicateName {
                organization,
                name: excerpt(role.name()),
            });
        }
        if let Some(index) = role
            .rules()
            .iter()
            .position(|r| !rule_fits(&self.policy.catalog, r, false))
        {
            return Err(RoleError::ForeignRule {
                role: excerpt(role.name()),
                index,
            });
        }
        self.policy.room_for_roles(organization, 1)?;
        self.policy.insert_role(role).ok_or(RoleError::TooMany {
            max: RoleId::MAX + 1,
        })
    }

    /// The compiled policy.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy};
    ///
    /// let mut builder = Policy::builder(Catalog::standard());
    /// builder.create_role(OrgId::new(1), "Auditors", [])?;
    /// assert_eq!(builder.build().role_count(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn build(self) -> Policy {
        self.policy
    }
}
