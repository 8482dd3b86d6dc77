//! Administrative calls on teams: create, rename, delete, add and remove
//! members, assign a role to every member.

use super::super::error::AdminError;
use super::super::guard::{acting, may_give, may_take, require};
use super::super::{Change, Snapshot, persist};
use super::{Admin, MEMBERS_MANAGE, Target, role_for, team_of, user_of};
use crate::audit::Actor;
use crate::id::{OrgId, RoleId, TeamId, UserId};
use crate::role::MAX_ROLE_NAME;
use crate::text::excerpt;

/// A team name: trimmed, 1 to 64 characters, no control, invisible or
/// direction character.
fn team_name(name: &str) -> Result<&str, AdminError> {
    crate::name::valid_team_name(name, MAX_ROLE_NAME).ok_or_else(|| AdminError::InvalidTeamName {
        name: excerpt(name),
    })
}

fn unique_team_name(
    snapshot: &Snapshot,
    organization: OrgId,
    name: &str,
    except: Option<TeamId>,
) -> Result<(), AdminError> {
    match snapshot.directory.team_named(organization, name) {
        Some(other) if Some(other) != except => Err(AdminError::DuplicateTeamName {
            organization,
            name: excerpt(name),
        }),
        _ => Ok(()),
    }
}

pub(crate) fn create_team(
    snapshot: &Snapshot,
    actor: Actor,
    organization: OrgId,
    name: &str,
    id: Option<TeamId>,
) -> Result<(Change, TeamId), AdminError> {
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    let name = team_name(name)?;
    unique_team_name(snapshot, organization, name, None)?;
    let next = persist::next_team_id(snapshot);
    let team = match id {
        None => next,
        // A host's own id must be above every id the engine has seen, so
        // that no deleted team's id is given to another team.
        Some(id) if id >= next => id,
        Some(id) => return Err(AdminError::TeamIdUsed { team: id, next }),
    };
    // Only when the ids ran out (a team holds the largest one) is the next
    // id still taken: refused, never given to a second team.
    if snapshot.directory.team(team).is_some() {
        return Err(AdminError::TeamIdUsed { team, next });
    }
    Ok((
        Change::CreateTeam {
            team,
            organization,
            name: name.to_owned(),
        },
        team,
    ))
}

fn rename_team(
    snapshot: &Snapshot,
    actor: Actor,
    team: TeamId,
    name: &str,
) -> Result<(Change, ()), AdminError> {
    let organization = team_of(snapshot, team)?.organization();
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    let name = team_name(name)?;
    unique_team_name(snapshot, organization, name, Some(team))?;
    Ok((
        Change::RenameTeam {
            team,
            name: name.to_owned(),
        },
        (),
    ))
}

fn team_call(
    snapshot: &Snapshot,
    actor: Actor,
    team: TeamId,
    user: Option<UserId>,
) -> Result<(), AdminError> {
    let organization = team_of(snapshot, team)?.organization();
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    if let Some(id) = user {
        let user = user_of(snapshot, id)?;
        if user.organization() != organization {
            return Err(AdminError::CrossOrganization {
                user: id,
                organization: user.organization(),
                team,
            });
        }
    }
    Ok(())
}

fn assign_team_role(
    snapshot: &Snapshot,
    actor: Actor,
    team: TeamId,
    role: RoleId,
) -> Result<(Change, usize), AdminError> {
    let t = team_of(snapshot, team)?;
    let organization = t.organization();
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    role_for(snapshot, organization, role)?;
    may_give(snapshot, acting.as_ref(), role)?;
    let mut users = Vec::with_capacity(t.member_count());
    for id in t.members() {
        let user = user_of(snapshot, id)?;
        if user.role() != role {
            may_take(acting.as_ref(), &user)?;
            users.push(id);
        }
    }
    let changed = users.len();
    Ok((Change::AssignRole { users, role }, changed))
}

impl Admin<'_> {
    /// Creates a team; returns its id.
    ///
    /// # Errors
    ///
    /// [`AdminError::Denied`] without `members.manage`;
    /// [`AdminError::InvalidTeamName`]; [`AdminError::DuplicateTeamName`].
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::engine::GuardError;
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(1), org, SystemRole::Admin.id()))?;
    /// # engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
    /// // User 1 is an Admin, user 2 a Viewer.
    /// let ops = engine.admin(UserId::new(1)).create_team(org, "Ops")?;
    /// let teams = engine.snapshot().teams(org);
    /// assert_eq!(teams.iter().map(|t| (t.id, t.name.as_str())).collect::<Vec<_>>(), [(ops, "Ops")]);
    ///
    /// // A Viewer lacks members.manage.
    /// let err = engine.admin(UserId::new(2)).create_team(org, "Web").unwrap_err();
    /// assert_eq!(err, AdminError::Denied(GuardError::MissingPermission { permission: "members.manage".into() }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_team(&self, organization: OrgId, name: &str) -> Result<TeamId, AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.create", Target::NewTeam(organization), |s| {
                create_team(s, actor, organization, name, None)
            })
    }

    /// Creates a team under an id of the host's own choosing, for hosts
    /// whose teams already have ids. The id must be above every team id the
    /// engine (or its store) has seen, so that no deleted team's id is ever
    /// given to another team; the engine's own ids continue above it.
    ///
    /// # Errors
    ///
    /// [`AdminError::TeamIdUsed`] for an id at or below one already seen,
    /// and as [`create_team`](Self::create_team).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, TeamId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let boot = engine.bootstrap();
    /// boot.create_team_with_id(OrgId::new(1), TeamId::new(500), "Imported")?;
    /// assert_eq!(boot.create_team(OrgId::new(1), "Next")?, TeamId::new(501));
    /// let err = boot.create_team_with_id(OrgId::new(1), TeamId::new(20), "Too low").unwrap_err();
    /// assert!(matches!(err, AdminError::TeamIdUsed { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_team_with_id(
        &self,
        organization: OrgId,
        team: TeamId,
        name: &str,
    ) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.create", Target::NewTeam(organization), |s| {
                create_team(s, actor, organization, name, Some(team)).map(|(c, _)| (c, ()))
            })
    }

    /// Renames a team.
    ///
    /// # Errors
    ///
    /// [`AdminError::UnknownTeam`], and as
    /// [`create_team`](Self::create_team).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{AdminError, Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let ops = boot.create_team(org, "Ops")?;
    /// boot.create_team(org, "Web")?;
    /// boot.rename_team(ops, "Platform")?;
    /// assert_eq!(engine.snapshot().team(ops).map(|t| t.name().to_owned()), Some("Platform".into()));
    ///
    /// let err = boot.rename_team(ops, "web").unwrap_err();
    /// assert!(matches!(err, AdminError::DuplicateTeamName { .. }), "names are unique");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rename_team(&self, team: TeamId, name: &str) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.update", Target::Team(team), |s| {
                rename_team(s, actor, team, name)
            })
    }

    /// Deletes a team; its memberships go with it.
    ///
    /// # Errors
    ///
    /// [`AdminError::UnknownTeam`]; [`AdminError::Denied`] without
    /// `members.manage`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let ops = boot.create_team(org, "Ops")?;
    /// boot.add_user(User::new(UserId::new(1), org, SystemRole::Developer.id()).with_team(ops))?;
    /// boot.delete_team(ops)?;
    /// let snapshot = engine.snapshot();
    /// assert!(snapshot.team(ops).is_none());
    /// assert_eq!(snapshot.user(UserId::new(1)).map(|u| u.teams().len()), Some(0));
    /// assert_eq!(boot.delete_team(ops), Err(AdminError::UnknownTeam { team: ops }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delete_team(&self, team: TeamId) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.delete", Target::Team(team), |s| {
                team_call(s, actor, team, None)?;
                Ok((Change::DeleteTeam { team }, ()))
            })
    }

    /// Adds a user to a team of their organization.
    ///
    /// # Errors
    ///
    /// [`AdminError::UnknownTeam`]; [`AdminError::UnknownUser`];
    /// [`AdminError::CrossOrganization`]; [`AdminError::Denied`] without
    /// `members.manage`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let ops = boot.create_team(org, "Ops")?;
    /// boot.add_user(User::new(UserId::new(1), org, SystemRole::Developer.id()))?;
    /// boot.add_to_team(ops, UserId::new(1))?;
    /// assert_eq!(engine.snapshot().team(ops).map(|t| t.member_count()), Some(1));
    ///
    /// // A user of another organization cannot join.
    /// boot.add_user(User::new(UserId::new(2), OrgId::new(2), SystemRole::Developer.id()))?;
    /// let err = boot.add_to_team(ops, UserId::new(2)).unwrap_err();
    /// assert!(matches!(err, AdminError::CrossOrganization { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_to_team(&self, team: TeamId, user: UserId) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.member_add", Target::Team(team), |s| {
                team_call(s, actor, team, Some(user))?;
                Ok((Change::AddMember { team, user }, ()))
            })
    }

    /// Removes a user from a team.
    ///
    /// # Errors
    ///
    /// As [`add_to_team`](Self::add_to_team).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::engine::GuardError;
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(1), org, SystemRole::Admin.id()))?;
    /// # engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
    /// // User 1 is an Admin, user 2 a Viewer.
    /// # let ops = engine.bootstrap().create_team(org, "Ops")?;
    /// # engine.bootstrap().add_to_team(ops, UserId::new(2))?;
    /// // User 2 is in team `ops`; a Viewer lacks members.manage.
    /// let err = engine.admin(UserId::new(2)).remove_from_team(ops, UserId::new(2)).unwrap_err();
    /// assert_eq!(err, AdminError::Denied(GuardError::MissingPermission { permission: "members.manage".into() }));
    ///
    /// engine.admin(UserId::new(1)).remove_from_team(ops, UserId::new(2))?;
    /// let snapshot = engine.snapshot();
    /// assert_eq!(snapshot.team(ops).map(|t| t.member_count()), Some(0));
    /// assert_eq!(snapshot.user(UserId::new(2)).map(|u| u.teams().is_empty()), Some(true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove_from_team(&self, team: TeamId, user: UserId) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.member_remove", Target::Team(team), |s| {
                team_call(s, actor, team, Some(user))?;
                Ok((Change::RemoveMember { team, user }, ()))
            })
    }

    /// Gives every member of a team the same role, in one change; returns
    /// how many members changed role.
    ///
    /// # Errors
    ///
    /// [`AdminError::UnknownTeam`]; [`AdminError::UnknownRole`];
    /// [`AdminError::Denied`] as for [`assign_role`](Self::assign_role), for
    /// any member.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::PeopleFilter;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let ops = boot.create_team(org, "Ops")?;
    /// boot.add_user(User::new(UserId::new(1), org, SystemRole::Viewer.id()).with_team(ops))?;
    /// boot.add_user(User::new(UserId::new(2), org, SystemRole::Operator.id()).with_team(ops))?;
    /// assert_eq!(boot.assign_team_role(ops, SystemRole::Operator.id())?, 1, "one member changed role");
    /// let operators = engine.snapshot().people(org, &PeopleFilter::new().role(SystemRole::Operator.id()));
    /// assert_eq!(operators.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assign_team_role(&self, team: TeamId, role: RoleId) -> Result<usize, AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.role_assign", Target::Team(team), |s| {
                assign_team_role(s, actor, team, role)
            })
    }
}
