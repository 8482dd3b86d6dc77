//! Read-side views of a snapshot: role listing, permission matrix, people,
//! roles as CSV.

use std::io;

use super::Snapshot;
use crate::catalog::RuleSpec;
use crate::csv::{self, WriteError};
use crate::directory::{PeopleFilter, Team, User};
use crate::evaluate::{UserStatus, Who};
use crate::id::{ActionId, OrgId, PermissionId, ResourceTypeId, RoleId, TeamId, UserId};
use crate::role::{Role, RoleKind, SystemRole};
use crate::rule::Rule;

/// One line of an organization's role listing ([semantics](crate::semantics) §8.5).
///
/// # Examples
///
/// ```
/// use rolegate::role::RoleKind;
/// use rolegate::{Catalog, Engine, OrgId, SystemRole};
///
/// let engine = Engine::new(Catalog::standard());
/// let roles = engine.snapshot().roles(OrgId::new(1));
/// let developer = &roles[2];
/// assert_eq!((developer.name.as_str(), developer.permissions), ("Developer", 34));
/// assert_eq!(developer.kind, RoleKind::System(SystemRole::Developer));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleSummary {
    /// The role.
    pub id: RoleId,
    /// Its name.
    pub name: String,
    /// System or custom.
    pub kind: RoleKind,
    /// Users of the organization holding it.
    pub users: usize,
    /// Distinct permissions its own rules grant.
    pub permissions: usize,
    /// Number of rules.
    pub rules: usize,
}

/// A role's grants laid out for an editor: one row per grantable resource
/// type, one cell per applicable action ([semantics](crate::semantics) §8.5).
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Engine, SystemRole};
///
/// let engine = Engine::new(Catalog::standard());
/// let snapshot = engine.snapshot();
/// let matrix = snapshot.permission_matrix(SystemRole::Viewer.id()).ok_or("a role")?;
/// let workflows = matrix.rows.iter().find(|r| r.name == "workflows").ok_or("a row")?;
/// let granted: Vec<&str> = workflows.cells.iter().filter(|c| c.granted()).map(|c| c.action_name.as_str()).collect();
/// assert_eq!(granted, ["read"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PermissionMatrix {
    /// The role.
    pub role: RoleId,
    /// One row per grantable resource type, in catalog order.
    pub rows: Vec<MatrixRow>,
}

/// One resource type of a [`PermissionMatrix`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MatrixRow {
    /// The resource type.
    pub resource_type: ResourceTypeId,
    /// Its name.
    pub name: String,
    /// One cell per applicable action, in declaration order.
    pub cells: Vec<MatrixCell>,
}

/// One applicable action of a [`MatrixRow`], with the rules of the role that
/// grant it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MatrixCell {
    /// The action.
    pub action: ActionId,
    /// Its name.
    pub action_name: String,
    /// The permission.
    pub permission: PermissionId,
    /// The role's own rules for this permission, with their must-match keys
    /// and conditions.
    pub rules: Vec<Rule>,
    /// The same rules in their text form, with names: what the matrix's
    /// JSON (feature `serde`) writes, and what resolves back to `rules`
    /// against the catalog.
    pub specs: Vec<RuleSpec>,
}

impl MatrixCell {
    /// Whether any rule grants the permission.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, SystemRole};
    ///
    /// let snapshot = Engine::new(Catalog::standard()).snapshot();
    /// let matrix = snapshot.permission_matrix(SystemRole::Viewer.id()).ok_or("a role")?;
    /// let workflows = matrix.rows.iter().find(|r| r.name == "workflows").ok_or("a row")?;
    /// let cell = |action: &str| workflows.cells.iter().find(|c| c.action_name == action);
    /// assert_eq!(cell("read").map(|c| c.granted()), Some(true));
    /// assert_eq!(cell("update").map(|c| c.granted()), Some(false));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn granted(&self) -> bool {
        !self.rules.is_empty()
    }

    /// Whether a rule grants it without must-match keys or conditions.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, SystemRole};
    ///
    /// let snapshot = Engine::new(Catalog::standard()).snapshot();
    /// let cell = |role: SystemRole| {
    ///     let matrix = snapshot.permission_matrix(role.id())?;
    ///     let row = matrix.rows.into_iter().find(|r| r.name == "connections")?;
    ///     row.cells.into_iter().find(|c| c.action_name == "read")
    /// };
    /// let viewer = cell(SystemRole::Viewer).ok_or("a cell")?;
    /// let end_user = cell(SystemRole::EndUser).ok_or("a cell")?;
    /// assert!(viewer.granted() && viewer.unconditional());
    /// // End User's rule must match the customer and the owner.
    /// assert!(end_user.granted() && !end_user.unconditional());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn unconditional(&self) -> bool {
        self.rules.iter().any(Rule::is_unconditional)
    }
}

/// One line of the people listing: a user with their role's and teams'
/// names ([semantics](crate::semantics) §9.3).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Person {
    /// The user, with their latest activity.
    pub user: User,
    /// Their role's name.
    pub role: String,
    /// Their teams' names, in team id order.
    pub teams: Vec<String>,
}

/// One team of an organization's team listing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TeamSummary {
    /// The team.
    pub id: TeamId,
    /// Its name.
    pub name: String,
    /// Number of members.
    pub members: usize,
}

impl Snapshot {
    fn summary(&self, organization: OrgId, id: RoleId, role: &Role) -> RoleSummary {
        RoleSummary {
            id,
            name: role.name().to_owned(),
            kind: role.kind(),
            users: self.directory.holder_count(organization, id),
            permissions: role.permissions().len(),
            rules: role.rules().len(),
        }
    }

    /// The roles an organization sees: the six system roles, then its custom
    /// roles in the order they were created.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let auditors = engine.bootstrap().create_role(org, "Auditors", [])?;
    /// engine.bootstrap().create_role(OrgId::new(2), "Elsewhere", [])?;
    /// let roles = engine.snapshot().roles(org);
    /// let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
    /// assert_eq!(names, ["Owner", "Admin", "Developer", "Operator", "Viewer", "End User", "Auditors"]);
    /// assert_eq!(roles.last().map(|r| r.id), Some(auditors));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn roles(&self, organization: OrgId) -> Vec<RoleSummary> {
        SystemRole::ALL
            .iter()
            .map(|r| r.id())
            .chain(self.policy.custom_roles_of(organization))
            .filter_map(|id| {
                self.policy
                    .role(id)
                    .map(|role| self.summary(organization, id, role))
            })
            .collect()
    }

    /// The organization's roles whose name contains `query`, compared
    /// case-insensitively.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let found = engine.snapshot().search_roles(OrgId::new(1), "OPER");
    /// assert_eq!(found.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["Developer", "Operator"]);
    /// ```
    #[must_use]
    pub fn search_roles(&self, organization: OrgId, query: &str) -> Vec<RoleSummary> {
        let query = query.trim().to_lowercase();
        let mut found = self.roles(organization);
        found.retain(|r| r.name.to_lowercase().contains(&query));
        found
    }

    /// The role's grants for every applicable action of every grantable
    /// resource type; `None` for an unknown or deleted role.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let matrix = engine.snapshot().permission_matrix(SystemRole::Operator.id()).ok_or("a role")?;
    /// assert_eq!(matrix.rows.len(), 11, "one row per grantable resource type");
    /// let granted = matrix.rows.iter().flat_map(|r| &r.cells).filter(|c| c.granted()).count();
    /// assert_eq!(granted, 18);
    ///
    /// let temp = engine.bootstrap().create_role(OrgId::new(1), "Temp", [])?;
    /// engine.bootstrap().delete_role(temp, None)?;
    /// assert!(engine.snapshot().permission_matrix(temp).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn permission_matrix(&self, role: RoleId) -> Option<PermissionMatrix> {
        let rules = self.policy.role(role)?.rules();
        let catalog = self.catalog();
        let rows = catalog
            .resource_types()
            .filter(|&t| catalog.is_grantable(t))
            .map(|t| MatrixRow {
                resource_type: t,
                name: catalog.resource_type_name(t).unwrap_or_default().to_owned(),
                cells: catalog
                    .actions_of(t)
                    .iter()
                    .filter_map(|&a| {
                        let permission = catalog.permission_of(t, a)?;
                        let rules: Vec<Rule> = rules
                            .iter()
                            .filter(|r| r.permission() == permission)
                            .cloned()
                            .collect();
                        Some(MatrixCell {
                            action: a,
                            action_name: catalog.action_name(a).unwrap_or_default().to_owned(),
                            permission,
                            specs: rules.iter().map(|r| r.spec(catalog)).collect(),
                            rules,
                        })
                    })
                    .collect(),
            })
            .collect();
        Some(PermissionMatrix { role, rows })
    }

    /// The people of an organization that pass `filter`, in user id order
    /// ([semantics](crate::semantics) §9.3).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::PeopleFilter;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId, UserStatus};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// boot.add_user(User::new(UserId::new(1), org, SystemRole::Owner.id()))?;
    /// boot.add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
    /// boot.add_user(User::new(UserId::new(3), org, SystemRole::Viewer.id()).with_status(UserStatus::Invited))?;
    ///
    /// let snapshot = engine.snapshot();
    /// let viewers = snapshot.people(org, &PeopleFilter::new().role(SystemRole::Viewer.id()));
    /// assert_eq!(viewers.len(), 2);
    /// let active_viewers = snapshot.people(org, &PeopleFilter::new().role(SystemRole::Viewer.id()).status(UserStatus::Active));
    /// assert_eq!(active_viewers.len(), 1);
    /// assert_eq!(active_viewers[0].role, "Viewer");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn people(&self, organization: OrgId, filter: &PeopleFilter) -> Vec<Person> {
        let dir = &self.directory;
        let candidates: Box<dyn Iterator<Item = Who<'_>>> = match filter.team {
            Some(team) => match dir.team(team) {
                Some(team) => Box::new(team.members().filter_map(|id| dir.who(id))),
                None => Box::new(core::iter::empty()),
            },
            None => Box::new(dir.org_members(organization)),
        };
        candidates
            .filter(|u| u.organization == organization)
            .filter(|u| filter.role.is_none_or(|r| u.role == r))
            .filter(|u| filter.status.is_none_or(|s| u.status == s))
            .filter(|u| {
                filter
                    .team
                    .is_none_or(|t| u.teams.binary_search(&t).is_ok())
            })
            .filter(|u| {
                filter
                    .can
                    .is_none_or(|p| u.status == UserStatus::Active && self.role_grants(u.role, p))
            })
            .filter_map(|u| self.person(u.id))
            .collect()
    }

    fn person(&self, id: UserId) -> Option<Person> {
        let user = self.directory.user(id)?;
        Some(Person {
            role: self
                .policy
                .role(user.role())
                .map_or_else(String::new, |r| r.name().to_owned()),
            teams: user
                .teams()
                .iter()
                .filter_map(|t| self.directory.team(*t).map(|t| t.name().to_owned()))
                .collect(),
            user,
        })
    }

    /// Whether `role` grants `permission` by any rule (own, synced or built
    /// in), however narrowed.
    fn role_grants(&self, role: RoleId, permission: PermissionId) -> bool {
        self.policy
            .entry(role)
            .is_some_and(|e| !e.compiled.grants_for(permission).is_empty())
    }

    /// A team.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, TeamId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let ops = engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// let snapshot = engine.snapshot();
    /// assert_eq!(snapshot.team(ops).map(|t| t.name()), Some("Ops"));
    /// assert!(snapshot.team(TeamId::new(99)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn team(&self, id: TeamId) -> Option<&Team> {
        self.directory.team(id)
    }

    /// An organization's teams, in id order.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let web = boot.create_team(org, "Web")?;
    /// let ops = boot.create_team(org, "Ops")?;
    /// boot.add_user(User::new(UserId::new(1), org, SystemRole::Developer.id()).with_team(ops))?;
    /// let teams = engine.snapshot().teams(org);
    /// let listed: Vec<_> = teams.iter().map(|t| (t.id, t.name.as_str(), t.members)).collect();
    /// assert_eq!(listed, [(web, "Web", 0), (ops, "Ops", 1)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn teams(&self, organization: OrgId) -> Vec<TeamSummary> {
        self.directory
            .org_teams
            .get(&organization)
            .into_iter()
            .flat_map(|set| set.iter())
            .filter_map(|id| self.directory.team(*id))
            .map(|t| TeamSummary {
                id: t.id(),
                name: t.name().to_owned(),
                members: t.member_count(),
            })
            .collect()
    }
}

impl Snapshot {
    /// Writes every role an organization sees, system roles first, as CSV.
    ///
    /// # Errors
    ///
    /// [`WriteError`] when `out` fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let mut file = Vec::new();
    /// engine.snapshot().export_roles_to(OrgId::new(1), &mut file)?;
    /// let text = String::from_utf8(file)?;
    /// assert!(text.starts_with("Role name,Resource,Action,Conditions,Must Match\n"));
    /// assert_eq!(text.lines().count(), 1 + 39 + 39 + 34 + 18 + 7 + 9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn export_roles_to<W: io::Write>(
        &self,
        organization: OrgId,
        out: W,
    ) -> Result<(), WriteError> {
        let roles = self
            .roles(organization)
            .into_iter()
            .filter_map(|summary| self.policy.role(summary.id));
        csv::write_roles(self.catalog(), roles, out)
    }

    /// Every role an organization sees as CSV text.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let text = engine.snapshot().export_roles(OrgId::new(1));
    /// assert!(text.contains("End User,connections,read,,organization;customer;owner\n"));
    /// ```
    #[must_use]
    pub fn export_roles(&self, organization: OrgId) -> String {
        let mut out = Vec::new();
        // Writing to memory cannot fail; the text is UTF-8 as its parts are.
        let _ = self.export_roles_to(organization, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}
