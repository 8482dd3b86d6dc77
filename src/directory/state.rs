//! The directory's state: the user table, the indexes listings and guards
//! read, and teams, all shared between snapshots.

use std::sync::Arc;

use hashbrown::HashMap;

use super::activity::Activity;
use super::table::{Entry, Found, NEVER, Rec, UserTable};
use super::{IdSet, Team, Timestamp, User};
use crate::evaluate::{UserStatus, Who};
use crate::id::{OrgId, RoleId, TeamId, UserId};
use crate::persistent::PMap;

/// How many users hold a role in an organization, and how many of them
/// are active.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Holders {
    all: usize,
    active: usize,
}

/// Users and teams, with the indexes listings and guards need.
#[derive(Clone, Debug, Default)]
pub(crate) struct Directory {
    users: UserTable,
    /// The users of each organization, in id order.
    org_users: PMap<OrgId, IdSet<UserId>>,
    /// Holders of each role, per organization (system roles are shared).
    holders: PMap<(OrgId, RoleId), Holders>,
    /// Activity recorded since records were written; shared by every
    /// snapshot of an engine.
    activity: Arc<Activity>,
    pub(crate) teams: PMap<TeamId, Arc<Team>>,
    pub(crate) org_teams: PMap<OrgId, imbl::OrdSet<TeamId>>,
    pub(crate) team_names: PMap<(OrgId, String), TeamId>,
    pub(crate) next_team: u64,
}

fn rec_of(user: &User) -> Rec {
    Rec::new(
        user.id,
        user.organization,
        user.customer,
        user.role,
        user.status,
        user.last_active.map_or(NEVER, Timestamp::unix_millis),
    )
}

impl Directory {
    /// User `id` as the evaluator reads them, borrowed in place.
    #[inline]
    pub(crate) fn who(&self, id: UserId) -> Option<Who<'_>> {
        self.users.get(id).map(Entry::who)
    }

    /// User `id` as a check reads them: what the check asks is read from
    /// the record when it asks.
    #[inline(always)]
    pub(crate) fn principal(&self, id: UserId) -> Option<Found<'_>> {
        self.users.find(id)
    }

    /// Whether user `id` exists.
    pub(crate) fn contains(&self, id: UserId) -> bool {
        self.users.get(id).is_some()
    }

    /// Number of users.
    pub(crate) fn user_count(&self) -> usize {
        self.users.len()
    }

    fn materialize(&self, entry: Entry<'_>) -> User {
        let rec = entry.rec;
        let last = match self.activity.get(rec.id()) {
            Some(ms) => ms.max(rec.last_active),
            None => rec.last_active,
        };
        User {
            id: rec.id(),
            organization: rec.organization,
            customer: rec.customer(),
            teams: entry.teams.iter().copied().collect(),
            role: rec.role,
            status: rec.status,
            last_active: (last != NEVER).then(|| Timestamp::from_unix_millis(last)),
        }
    }

    /// User `id`, with their latest recorded activity.
    pub(crate) fn user(&self, id: UserId) -> Option<User> {
        self.users.get(id).map(|e| self.materialize(e))
    }

    /// Every user, in no particular order.
    pub(crate) fn users(&self) -> impl Iterator<Item = User> + '_ {
        self.users.iter().map(|e| self.materialize(e))
    }

    /// Records that user `id` was active at `at`; returns whether they
    /// exist. Publishes nothing: every snapshot of the engine sees it.
    pub(crate) fn touch(&self, id: UserId, at: Timestamp) -> bool {
        if !self.contains(id) {
            return false;
        }
        self.activity.touch(id, at.unix_millis());
        true
    }

    /// Forgets the recorded activity of user `id` if this state has no
    /// such user: called on the published state after a user is removed,
    /// so that the activity shared by every snapshot does not grow with
    /// users come and gone (a refused removal forgets nothing).
    pub(crate) fn forget_activity(&self, id: UserId) {
        if !self.contains(id) {
            self.activity.forget(id);
        }
    }

    pub(crate) fn team(&self, id: TeamId) -> Option<&Team> {
        self.teams.get(&id).map(|t| &**t)
    }

    pub(crate) fn team_named(&self, organization: OrgId, name: &str) -> Option<TeamId> {
        self.team_names
            .get(&(organization, crate::name::key(name)))
            .copied()
    }

    /// Number of users of `organization` holding `role`.
    pub(crate) fn holder_count(&self, organization: OrgId, role: RoleId) -> usize {
        self.holders.get(&(organization, role)).map_or(0, |h| h.all)
    }

    /// Number of active users of `organization` holding `role`.
    pub(crate) fn active_holders(&self, organization: OrgId, role: RoleId) -> usize {
        self.holders
            .get(&(organization, role))
            .map_or(0, |h| h.active)
    }

    /// Holders of `role` in every organization (a custom role has one), in
    /// id order within each.
    pub(crate) fn all_holders(&self, role: RoleId) -> Vec<UserId> {
        self.holders
            .keys()
            .filter(|(_, r)| *r == role)
            .flat_map(|(org, _)| self.org_members(*org))
            .filter(|w| w.role == role)
            .map(|w| w.id)
            .collect()
    }

    /// The users of an organization as the evaluator reads them, in id
    /// order.
    pub(crate) fn org_members(&self, organization: OrgId) -> impl Iterator<Item = Who<'_>> + '_ {
        self.org_users
            .get(&organization)
            .into_iter()
            .flat_map(IdSet::iter)
            .filter_map(|id| self.who(id))
    }

    fn count(&mut self, rec: &Rec, by: isize) {
        let key = (rec.organization, rec.role);
        let holders = self.holders.entry(key).or_default();
        holders.all = holders.all.saturating_add_signed(by);
        if rec.status == UserStatus::Active {
            holders.active = holders.active.saturating_add_signed(by);
        }
        if holders.all == 0 {
            self.holders.remove(&key);
        }
    }

    /// Adds or replaces a user, keeping every index right. Teams the user
    /// names must exist (checked by the caller).
    pub(crate) fn put_user(&mut self, user: User) {
        if self.contains(user.id) {
            self.unindex(user.id);
        } else {
            self.activity.forget(user.id);
        }
        self.index(&user);
    }

    /// Adds a user known to be new: nothing to unindex first.
    pub(crate) fn add_user(&mut self, user: User) {
        self.activity.forget(user.id);
        self.index(&user);
    }

    /// Adds users known to be new and distinct, building each index they
    /// touch once rather than user by user. A repeated id keeps the last.
    pub(crate) fn add_users(&mut self, mut users: Vec<User>) {
        users.sort_by_key(User::id);
        users.dedup_by(|later, earlier| {
            let repeated = later.id == earlier.id;
            if repeated {
                core::mem::swap(later, earlier);
            }
            repeated
        });
        if !self.activity.is_empty() {
            for user in &users {
                self.activity.forget(user.id);
            }
        }
        let mut by_org: HashMap<OrgId, Vec<UserId>> = HashMap::new();
        let mut by_team: HashMap<TeamId, Vec<UserId>> = HashMap::new();
        let mut counts: HashMap<(OrgId, RoleId), Holders> = HashMap::new();
        let mut items = Vec::with_capacity(users.len());
        for user in &users {
            by_org.entry(user.organization).or_default().push(user.id);
            for team in &user.teams {
                by_team.entry(*team).or_default().push(user.id);
            }
            let held = counts.entry((user.organization, user.role)).or_default();
            held.all += 1;
            held.active += usize::from(user.status == UserStatus::Active);
            items.push((rec_of(user), Box::<[TeamId]>::from(user.teams.as_slice())));
        }
        drop(users);
        self.users.extend(items);
        for (key, add) in counts {
            let held = self.holders.entry(key).or_default();
            held.all = held.all.saturating_add(add.all);
            held.active = held.active.saturating_add(add.active);
        }
        for (org, ids) in by_org {
            let set = self.org_users.entry(org).or_default();
            extend_set(set, ids);
        }
        for (team, ids) in by_team {
            if let Some(t) = self.teams.get_mut(&team) {
                extend_set(&mut Arc::make_mut(t).members, ids);
            }
        }
    }

    fn index(&mut self, user: &User) {
        let rec = rec_of(user);
        self.org_users
            .entry(user.organization)
            .or_default()
            .insert(user.id);
        self.count(&rec, 1);
        for team in &user.teams {
            if let Some(t) = self.teams.get_mut(team) {
                Arc::make_mut(t).members.insert(user.id);
            }
        }
        self.users.put(rec, &user.teams);
    }

    /// Removes a user and every index entry of theirs.
    pub(crate) fn remove_user(&mut self, id: UserId) {
        self.unindex(id);
        self.users.remove(id);
    }

    fn unindex(&mut self, id: UserId) {
        let Some(entry) = self.users.get(id) else {
            return;
        };
        let rec = *entry.rec;
        let teams: Vec<TeamId> = entry.teams.to_vec();
        if let Some(set) = self.org_users.get_mut(&rec.organization) {
            set.remove(id);
        }
        self.count(&rec, -1);
        for team in &teams {
            if let Some(t) = self.teams.get_mut(team) {
                Arc::make_mut(t).members.remove(id);
            }
        }
    }

    /// Replaces a user's value with `f` applied to it, keeping activity.
    pub(crate) fn update_user(&mut self, id: UserId, f: impl FnOnce(&mut User)) {
        if let Some(mut user) = self.user(id) {
            f(&mut user);
            self.put_user(user);
        }
    }

    pub(crate) fn insert_team(&mut self, team: Team) {
        self.org_teams
            .entry(team.organization)
            .or_default()
            .insert(team.id);
        self.team_names
            .insert((team.organization, crate::name::key(&team.name)), team.id);
        self.next_team = self.next_team.max(team.id.get().saturating_add(1));
        self.teams.insert(team.id, Arc::new(team));
    }

    pub(crate) fn rename_team(&mut self, id: TeamId, name: &str) {
        let Some(team) = self.teams.get_mut(&id) else {
            return;
        };
        let team = Arc::make_mut(team);
        self.team_names
            .remove(&(team.organization, crate::name::key(&team.name)));
        team.name = name.into();
        self.team_names
            .insert((team.organization, crate::name::key(name)), id);
    }

    /// Deletes a team; its memberships go with it.
    pub(crate) fn delete_team(&mut self, id: TeamId) {
        let Some(team) = self.teams.remove(&id) else {
            return;
        };
        if let Some(set) = self.org_teams.get_mut(&team.organization) {
            set.remove(&id);
        }
        self.team_names
            .remove(&(team.organization, crate::name::key(&team.name)));
        for member in team.members.iter() {
            self.update_user(member, |u| u.teams.retain(|t| *t != id));
        }
    }
}

/// Adds `ids` (in id order, distinct) to `set`: in one pass when the set
/// is empty.
fn extend_set(set: &mut IdSet<UserId>, ids: Vec<UserId>) {
    if set.is_empty() {
        *set = IdSet::from_sorted(ids);
    } else {
        for id in ids {
            set.insert(id);
        }
    }
}
