//! The directory document: the teams and users of every organization.

use hashbrown::{HashMap, HashSet};
use serde::{Deserialize, Serialize};

use crate::directory::User;
use crate::engine::Snapshot;
use crate::id::{OrgId, TeamId, UserId};
use crate::role::MAX_ROLE_NAME;
use crate::store::StoredTeam;
use crate::text::excerpt;

use super::error::{DocumentError, invalid};
use super::json::{Version, parse, pretty};

/// The teams and users of every organization: who holds which role, as a
/// JSON document.
///
/// See the [module docs](super) for the format, which is stable and
/// versioned. A document read with [`from_json`](Self::from_json) uses
/// each id once and puts users only in teams of their own organization;
/// the roles they hold are checked against a [`PolicyDocument`](super::PolicyDocument) by
/// [`restore`](super::restore) and [`stored_state`](super::stored_state).
///
/// # Examples
///
/// ```
/// use rolegate::document::DirectoryDocument;
/// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// let ops = engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
/// engine.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(1), SystemRole::Owner.id()).with_team(ops))?;
/// let document = DirectoryDocument::of(&engine.snapshot());
/// assert_eq!(document.users()[0].teams(), [ops]);
/// assert_eq!(DirectoryDocument::from_json(&document.to_json())?, document);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectoryDocument {
    teams: Vec<StoredTeam>,
    users: Vec<User>,
}

#[derive(Serialize)]
struct DirectoryOut<'a> {
    version: Version,
    teams: &'a [StoredTeam],
    users: &'a [User],
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a directory document: version, teams and users"
)]
struct DirectoryIn {
    #[allow(dead_code)]
    version: Version,
    #[serde(default)]
    teams: Vec<StoredTeam>,
    #[serde(default)]
    users: Vec<User>,
}

impl DirectoryDocument {
    /// The directory of `snapshot`: its teams and its users, with their
    /// latest recorded activity, each in id order.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::DirectoryDocument;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// for id in [3, 1, 2] {
    ///     engine.bootstrap().add_user(User::new(UserId::new(id), OrgId::new(1), SystemRole::Viewer.id()))?;
    /// }
    /// let document = DirectoryDocument::of(&engine.snapshot());
    /// let ids: Vec<u64> = document.users().iter().map(|u| u.id().get()).collect();
    /// assert_eq!(ids, [1, 2, 3]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn of(snapshot: &Snapshot) -> Self {
        let state = snapshot.stored_state();
        Self {
            teams: state.teams,
            users: state.users,
        }
    }

    /// The teams, as the document holds them.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::DirectoryDocument;
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let ops = engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// let document = DirectoryDocument::of(&engine.snapshot());
    /// assert_eq!((document.teams()[0].id, document.teams()[0].name.as_str()), (ops, "Ops"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn teams(&self) -> &[StoredTeam] {
        &self.teams
    }

    /// The users, as the document holds them.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::DirectoryDocument;
    /// use rolegate::{Catalog, CustomerId, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let widget = User::new(UserId::new(4), OrgId::new(1), SystemRole::EndUser.id()).with_customer(CustomerId::new(30));
    /// engine.bootstrap().add_user(widget.clone())?;
    /// assert_eq!(DirectoryDocument::of(&engine.snapshot()).users(), [widget]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// The document as pretty JSON, ending with a newline: fields in a
    /// fixed order, teams and users in id order, so that one directory
    /// always gives the same text.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::DirectoryDocument;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(1), SystemRole::Owner.id()))?;
    /// let json = DirectoryDocument::of(&engine.snapshot()).to_json();
    /// assert_eq!(json, r#"{
    ///   "version": 1,
    ///   "teams": [],
    ///   "users": [
    ///     {
    ///       "id": 1,
    ///       "organization": 1,
    ///       "teams": [],
    ///       "role": 0,
    ///       "status": "active"
    ///     }
    ///   ]
    /// }
    /// "#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_json(&self) -> String {
        pretty(&DirectoryOut {
            version: Version,
            teams: &self.teams,
            users: &self.users,
        })
    }

    /// Reads a directory document: parses it and checks that each team and
    /// user id is used once, that team names are valid and used once in
    /// their organization, and that users are only in teams of the
    /// document and of their own organization. Team names are trimmed.
    ///
    /// # Errors
    ///
    /// A [`DocumentError`] saying where: [`TooLarge`](DocumentError::TooLarge)
    /// before parsing; [`Json`](DocumentError::Json) with the line and
    /// column for text that is not a directory document (unknown fields
    /// included); [`Version`](DocumentError::Version);
    /// [`Invalid`](DocumentError::Invalid) with the place of a repeated id,
    /// a bad or repeated team name, or a team a user may not be in
    /// (`users[12].teams`).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::DirectoryDocument;
    ///
    /// let json = r#"{
    ///   "version": 1,
    ///   "teams": [{"id": 1, "organization": 2, "name": "Ops"}],
    ///   "users": [{"id": 1, "organization": 1, "teams": [1], "role": 4, "status": "active"}]
    /// }"#;
    /// let err = DirectoryDocument::from_json(json).unwrap_err();
    /// assert_eq!(err.path(), Some("users[0].teams"));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "users[0].teams: team 1 is a team of organization 2, not of the user's organization 1"
    /// );
    /// ```
    pub fn from_json(text: &str) -> Result<Self, DocumentError> {
        let read: DirectoryIn = parse(text)?;
        let mut document = Self {
            teams: read.teams,
            users: read.users,
        };
        document.checked()?;
        for team in &mut document.teams {
            let trimmed = team.name.trim();
            if trimmed.len() != team.name.len() {
                team.name = trimmed.to_owned();
            }
        }
        Ok(document)
    }

    /// Checks ids, team names and memberships.
    pub(super) fn checked(&self) -> Result<(), DocumentError> {
        let mut teams: HashMap<TeamId, (usize, OrgId)> = HashMap::with_capacity(self.teams.len());
        let mut names: HashSet<(OrgId, String)> = HashSet::with_capacity(self.teams.len());
        for (i, team) in self.teams.iter().enumerate() {
            if let Some(&(first, _)) = teams.get(&team.id) {
                return Err(invalid(
                    format!("teams[{i}].id"),
                    format!("team {} is also the id of teams[{first}]", team.id),
                ));
            }
            teams.insert(team.id, (i, team.organization));
            let Some(name) = crate::name::valid_team_name(&team.name, MAX_ROLE_NAME) else {
                return Err(invalid(
                    format!("teams[{i}].name"),
                    format!(
                        "invalid team name {:?}: expected 1 to {MAX_ROLE_NAME} characters, none a control, invisible or direction character",
                        excerpt(&team.name)
                    ),
                ));
            };
            if !names.insert((team.organization, crate::name::key(name))) {
                return Err(invalid(
                    format!("teams[{i}].name"),
                    format!(
                        "organization {} has another team named {:?}",
                        team.organization,
                        excerpt(name)
                    ),
                ));
            }
        }
        let mut users: HashMap<UserId, usize> = HashMap::with_capacity(self.users.len());
        for (i, user) in self.users.iter().enumerate() {
            if let Some(&first) = users.get(&user.id()) {
                return Err(invalid(
                    format!("users[{i}].id"),
                    format!("user {} is also the id of users[{first}]", user.id()),
                ));
            }
            users.insert(user.id(), i);
            for &team in user.teams() {
                match teams.get(&team) {
                    Some(&(_, org)) if org == user.organization() => {}
                    Some(&(_, org)) => {
                        return Err(invalid(
                            format!("users[{i}].teams"),
                            format!(
                                "team {team} is a team of organization {org}, not of the user's organization {}",
                                user.organization()
                            ),
                        ));
                    }
                    None => {
                        return Err(invalid(
                            format!("users[{i}].teams"),
                            format!("team {team} is not a team of the document"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}
