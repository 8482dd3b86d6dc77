//! What an administrative call can be refused for.

use crate::audit::AuditError;
use crate::csv::{ReadError, ReadProblem};
use crate::evaluate::UserStatus;
use crate::id::{OrgId, RoleId, TeamId, UserId};
use crate::role::RoleError;
use crate::store::StoreError;

/// Why the delegation guard refused an administrative call ([semantics](crate::semantics) §10).
///
/// # Examples
///
/// ```
/// use rolegate::engine::GuardError;
/// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// let org = OrgId::new(1);
/// engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Developer.id()))?;
///
/// // A Developer lacks roles.manage.
/// let err = engine.admin(UserId::new(2)).create_role(org, "Auditor", vec![]).unwrap_err();
/// assert_eq!(
///     err,
///     AdminError::Denied(GuardError::MissingPermission { permission: "roles.manage".into() })
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GuardError {
    /// The acting user is not in the directory.
    #[error("acting user {user} is not in the directory")]
    UnknownActor {
        /// The actor named.
        user: UserId,
    },
    /// The acting user is not active.
    #[error("acting user {user} is {status}")]
    InactiveActor {
        /// The actor.
        user: UserId,
        /// Their status.
        status: UserStatus,
    },
    /// The call targets another organization than the actor's.
    #[error("acting user belongs to organization {actor}, not {target}")]
    OtherOrganization {
        /// The actor's organization.
        actor: OrgId,
        /// The organization the call targets.
        target: OrgId,
    },
    /// The actor's role lacks the permission the call needs:
    /// `roles.manage` for role changes, `members.manage` for people and
    /// teams.
    #[error("acting user lacks {permission}")]
    MissingPermission {
        /// The permission needed.
        permission: String,
    },
    /// The call would grant a permission, or a broader form of it, that the
    /// actor does not hold.
    #[error("acting user cannot grant {permission}: they do not hold it as broadly")]
    Escalation {
        /// The permission.
        permission: String,
    },
    /// Only an Owner may give or take the Owner role, or change an Owner's
    /// status.
    #[error("only an Owner can give or take the Owner role")]
    OwnerOnly,
    /// The change would leave the organization without an active Owner.
    #[error("organization {organization} would be left without an active Owner")]
    LastOwner {
        /// The organization.
        organization: OrgId,
    },
}

/// What was wrong with an administrative call. Nothing changed.
///
/// Every variant names the offending input; role problems share
/// [`RoleError`] with the builders, and a rejected roles file lists each of
/// its problems, reachable in one call through
/// [`import_problems`](Self::import_problems).
///
/// # Examples
///
/// ```
/// use rolegate::{AdminError, Catalog, Engine, RoleError, SystemRole};
///
/// let engine = Engine::new(Catalog::standard());
/// let err = engine
///     .bootstrap()
///     .rename_role(SystemRole::Viewer.id(), "Reader")
///     .unwrap_err();
/// assert_eq!(err, AdminError::Role(RoleError::SystemRole { name: "Viewer".into() }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AdminError {
    /// The delegation guard refused the call.
    #[error(transparent)]
    Denied(#[from] GuardError),
    /// The role is invalid, clashes with another, or is a system role.
    #[error(transparent)]
    Role(#[from] RoleError),
    /// No live role has this id, or it belongs to another organization.
    #[error("unknown {role}")]
    UnknownRole {
        /// The role.
        role: RoleId,
    },
    /// A role that users hold cannot be deleted without a role to move them
    /// to.
    #[error("role {name:?} is held by {holders} user(s); name a role to move them to")]
    RoleInUse {
        /// The role's name.
        name: String,
        /// How many users hold it.
        holders: usize,
    },
    /// No user has this id.
    #[error("unknown user {user}")]
    UnknownUser {
        /// The user.
        user: UserId,
    },
    /// A user with this id already exists.
    #[error("user {user} already exists")]
    DuplicateUser {
        /// The user.
        user: UserId,
    },
    /// No team has this id.
    #[error("unknown team {team}")]
    UnknownTeam {
        /// The team.
        team: TeamId,
    },
    /// A host's own team id at or below one the engine has already seen.
    #[error("team id {team} was seen before; a new team's id must be {next} or above")]
    TeamIdUsed {
        /// The id asked for.
        team: TeamId,
        /// The lowest id a new team may take.
        next: TeamId,
    },
    /// The organization already has a team with this name.
    #[error("organization {organization} already has a team named {name:?}")]
    DuplicateTeamName {
        /// The organization.
        organization: OrgId,
        /// The name.
        name: String,
    },
    /// A team name is empty, longer than 64 characters or holds a control,
    /// invisible or direction character.
    #[error(
        "invalid team name {name:?}: 1 to 64 characters, no control, invisible or direction characters"
    )]
    InvalidTeamName {
        /// The name (shortened).
        name: String,
    },
    /// The user and the team belong to different organizations.
    #[error("user {user} belongs to organization {organization}, team {team} does not")]
    CrossOrganization {
        /// The user.
        user: UserId,
        /// The user's organization.
        organization: OrgId,
        /// The team.
        team: TeamId,
    },
    /// A roles file was rejected; nothing was imported.
    #[error(transparent)]
    Import(#[from] ReadError),
    /// The change could not be recorded in the audit log, and the log's
    /// policy refuses unrecorded changes. Nothing changed.
    #[error("the change could not be recorded")]
    Audit(#[from] AuditError),
    /// The store could not commit the change, or the engine could not
    /// catch up with it. Nothing changed, in the engine or in the store.
    #[error("the change could not be stored")]
    Store(#[source] StoreError),
}

impl AdminError {
    /// The problems of a rejected roles file, each with its line, column
    /// and cause; empty for any other error.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::csv::ReadProblemKind;
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let file = "Role name,Resource,Action,Conditions,Must Match\nX,workflows,read,priority <,\n";
    /// let err = engine.bootstrap().import_roles(OrgId::new(1), file).unwrap_err();
    /// let problem = err.import_problems().first().ok_or("one problem")?;
    /// assert_eq!((problem.line(), problem.column()), (2, 4));
    /// assert!(matches!(problem.kind(), ReadProblemKind::Condition(_)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn import_problems(&self) -> &[ReadProblem] {
        match self {
            Self::Import(e) => e.problems(),
            _ => &[],
        }
    }
}
