//! The subject and the resource of a check, cheap to build per request.

use core::fmt;

use smallvec::SmallVec;

use crate::text::excerpt;

use crate::id::{
    AttributeId, CustomerId, OrgId, ResourceId, ResourceTypeId, RoleId, TeamId, UserId,
};

/// A user's status. Only [`UserStatus::Active`] users are allowed anything.
///
/// # Examples
///
/// ```
/// use rolegate::UserStatus;
///
/// assert_eq!(UserStatus::Suspended.to_string(), "suspended");
/// assert_eq!("invited".parse::<UserStatus>(), Ok(UserStatus::Invited));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UserStatus {
    /// A working member.
    Active,
    /// Invited, not yet joined.
    Invited,
    /// Suspended by an administrator.
    Suspended,
}

impl UserStatus {
    /// Every status.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::UserStatus;
    ///
    /// let names: Vec<&str> = UserStatus::ALL.iter().map(|s| s.as_str()).collect();
    /// assert_eq!(names, ["active", "invited", "suspended"]);
    /// ```
    pub const ALL: [Self; 3] = [Self::Active, Self::Invited, Self::Suspended];

    /// The lowercase name: `active`, `invited`, `suspended`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::UserStatus;
    ///
    /// assert_eq!(UserStatus::Active.as_str(), "active");
    /// assert_eq!(UserStatus::Invited.as_str().parse::<UserStatus>()?, UserStatus::Invited);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Invited => "invited",
            Self::Suspended => "suspended",
        }
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text that is not a [`UserStatus`] name.
///
/// # Examples
///
/// ```
/// use rolegate::UserStatus;
///
/// let err = "deleted".parse::<UserStatus>().unwrap_err();
/// assert_eq!(err.to_string(), r#"unknown status "deleted": expected active, invited or suspended"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown status {0:?}: expected active, invited or suspended")]
pub struct StatusError(String);

impl StatusError {
    /// The text that is not a status (shortened if very long).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::UserStatus;
    ///
    /// let err = "retired".parse::<UserStatus>().unwrap_err();
    /// assert_eq!(err.text(), "retired");
    /// ```
    #[must_use]
    pub fn text(&self) -> &str {
        &self.0
    }
}

impl core::str::FromStr for UserStatus {
    type Err = StatusError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| StatusError(excerpt(s)))
    }
}

/// The user acting: id, organization, optional customer, teams, role and
/// status.
///
/// # Examples
///
/// ```
/// use rolegate::{CustomerId, OrgId, Subject, SystemRole, TeamId, UserId, UserStatus};
///
/// let subject = Subject::new(UserId::new(7), OrgId::new(1), SystemRole::EndUser.id(), UserStatus::Active)
///     .with_customer(CustomerId::new(30))
///     .with_team(TeamId::new(5));
/// assert_eq!(subject.customer(), Some(CustomerId::new(30)));
/// assert_eq!(subject.teams(), [TeamId::new(5)]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Subject {
    pub(crate) id: UserId,
    pub(crate) organization: OrgId,
    pub(crate) customer: Option<CustomerId>,
    pub(crate) teams: SmallVec<[TeamId; 4]>,
    pub(crate) role: RoleId,
    pub(crate) status: UserStatus,
}

/// The subject of a check as the evaluator reads it: borrowed from a
/// [`Subject`], or from a user of the directory, so that a check by user id
/// copies nothing, whatever the number of teams.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Who<'a> {
    pub(crate) id: UserId,
    pub(crate) organization: OrgId,
    pub(crate) customer: Option<CustomerId>,
    /// In id order, each once.
    pub(crate) teams: &'a [TeamId],
    pub(crate) role: RoleId,
    pub(crate) status: UserStatus,
}

/// What the evaluator reads of a subject. A [`Subject`] answers from its
/// own fields and a [`Who`] from what it borrows, so that a check on a
/// `Subject` reads its teams only when a rule needs them.
pub(crate) trait Principal {
    fn id(&self) -> UserId;
    fn organization(&self) -> OrgId;
    fn customer(&self) -> Option<CustomerId>;
    /// In id order, each once.
    fn teams(&self) -> &[TeamId];
    fn role(&self) -> RoleId;
    fn status(&self) -> UserStatus;
}

/// Implements [`Principal`] from fields of the same names.
macro_rules! principal_from_fields {
    ($($ty:ty),*) => {$(
        impl Principal for $ty {
            #[inline(always)]
            fn id(&self) -> UserId {
                self.id
            }
            #[inline(always)]
            fn organization(&self) -> OrgId {
                self.organization
            }
            #[inline(always)]
            fn customer(&self) -> Option<CustomerId> {
                self.customer
            }
            #[inline(always)]
            fn teams(&self) -> &[TeamId] {
                &self.teams
            }
            #[inline(always)]
            fn role(&self) -> RoleId {
                self.role
            }
            #[inline(always)]
            fn status(&self) -> UserStatus {
                self.status
            }
        }
    )*};
}

principal_from_fields!(Subject, Who<'_>);

impl Who<'_> {
    /// An owned subject with the same values.
    pub(crate) fn subject(&self) -> Subject {
        Subject {
            id: self.id,
            organization: self.organization,
            customer: self.customer,
            teams: self.teams.iter().copied().collect(),
            role: self.role,
            status: self.status,
        }
    }
}

impl Subject {
    /// A subject with no customer and no team.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let developer = Subject::new(UserId::new(10), OrgId::new(1), SystemRole::Developer.id(), UserStatus::Active);
    /// assert_eq!(developer.customer(), None);
    /// assert!(developer.teams().is_empty());
    /// ```
    #[must_use]
    pub fn new(id: UserId, organization: OrgId, role: RoleId, status: UserStatus) -> Self {
        Self {
            id,
            organization,
            customer: None,
            teams: SmallVec::new(),
            role,
            status,
        }
    }

    /// Sets the subject's customer.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{CustomerId, OrgId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let end_user = Subject::new(UserId::new(7), OrgId::new(1), SystemRole::EndUser.id(), UserStatus::Active)
    ///     .with_customer(CustomerId::new(30));
    /// assert_eq!(end_user.customer(), Some(CustomerId::new(30)));
    /// ```
    #[must_use]
    pub fn with_customer(mut self, customer: CustomerId) -> Self {
        self.customer = Some(customer);
        self
    }

    /// Adds a team; a team the subject already has is not added twice.
    /// Teams are kept in id order, so subjects with the same teams are equal
    /// whatever order they were added in. Up to four teams are kept inline.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, Subject, SystemRole, TeamId, UserId, UserStatus};
    ///
    /// let base = Subject::new(UserId::new(10), OrgId::new(1), SystemRole::Developer.id(), UserStatus::Active);
    /// let subject = base.clone().with_team(TeamId::new(5)).with_team(TeamId::new(2)).with_team(TeamId::new(5));
    /// // A team already held is not added twice; teams are in id order.
    /// assert_eq!(subject.teams(), [TeamId::new(2), TeamId::new(5)]);
    /// assert_eq!(subject, base.with_teams([TeamId::new(5), TeamId::new(2)]));
    /// ```
    #[must_use]
    pub fn with_team(mut self, team: TeamId) -> Self {
        // Kept sorted and once each, so that subjects with the same teams
        // are equal whatever order the teams were added in.
        if let Err(at) = self.teams.binary_search(&team) {
            self.teams.insert(at, team);
        }
        self
    }

    /// Adds several teams.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, Subject, SystemRole, TeamId, UserId, UserStatus};
    ///
    /// let subject = Subject::new(UserId::new(10), OrgId::new(1), SystemRole::Developer.id(), UserStatus::Active)
    ///     .with_teams([TeamId::new(5), TeamId::new(6)]);
    /// assert_eq!(subject.teams(), [TeamId::new(5), TeamId::new(6)]);
    /// ```
    #[must_use]
    pub fn with_teams<I: IntoIterator<Item = TeamId>>(self, teams: I) -> Self {
        teams.into_iter().fold(self, Self::with_team)
    }

    /// Replaces the role.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let promoted = Subject::new(UserId::new(10), OrgId::new(1), SystemRole::Viewer.id(), UserStatus::Active)
    ///     .with_role(SystemRole::Operator.id());
    /// assert_eq!(promoted.role(), SystemRole::Operator.id());
    /// ```
    #[must_use]
    pub fn with_role(mut self, role: RoleId) -> Self {
        self.role = role;
        self
    }

    /// Replaces the status.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let catalog = policy.catalog();
    /// let read = catalog.action("read")?;
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(9), OrgId::new(1));
    /// let admin = Subject::new(UserId::new(10), OrgId::new(1), SystemRole::Admin.id(), UserStatus::Active);
    /// assert!(policy.can(&admin, read, &workflow));
    /// assert!(!policy.can(&admin.with_status(UserStatus::Suspended), read, &workflow));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_status(mut self, status: UserStatus) -> Self {
        self.status = status;
        self
    }

    /// The user's id.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let subject = Subject::new(UserId::new(10), OrgId::new(1), SystemRole::Viewer.id(), UserStatus::Active);
    /// assert_eq!(subject.id(), UserId::new(10));
    /// ```
    #[must_use]
    pub fn id(&self) -> UserId {
        self.id
    }

    /// The user's organization.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let subject = Subject::new(UserId::new(10), OrgId::new(1), SystemRole::Viewer.id(), UserStatus::Active);
    /// assert_eq!(subject.organization(), OrgId::new(1));
    /// ```
    #[must_use]
    pub fn organization(&self) -> OrgId {
        self.organization
    }

    /// The user's customer, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{CustomerId, OrgId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let member = Subject::new(UserId::new(10), OrgId::new(1), SystemRole::Viewer.id(), UserStatus::Active);
    /// assert_eq!(member.customer(), None);
    /// assert_eq!(member.with_customer(CustomerId::new(30)).customer(), Some(CustomerId::new(30)));
    /// ```
    #[must_use]
    pub fn customer(&self) -> Option<CustomerId> {
        self.customer
    }

    /// The user's teams.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, Subject, SystemRole, TeamId, UserId, UserStatus};
    ///
    /// let subject = Subject::new(UserId::new(10), OrgId::new(1), SystemRole::Viewer.id(), UserStatus::Active)
    ///     .with_team(TeamId::new(5));
    /// assert_eq!(subject.teams(), [TeamId::new(5)]);
    /// ```
    #[must_use]
    pub fn teams(&self) -> &[TeamId] {
        &self.teams
    }

    /// The user's role.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let subject = Subject::new(UserId::new(10), OrgId::new(1), SystemRole::Viewer.id(), UserStatus::Active);
    /// assert_eq!(subject.role(), SystemRole::Viewer.id());
    /// ```
    #[must_use]
    pub fn role(&self) -> RoleId {
        self.role
    }

    /// The user's status.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let subject = Subject::new(UserId::new(10), OrgId::new(1), SystemRole::Viewer.id(), UserStatus::Invited);
    /// assert_eq!(subject.status(), UserStatus::Invited);
    /// ```
    #[must_use]
    pub fn status(&self) -> UserStatus {
        self.status
    }
}

/// The value of a resource attribute at check time.
///
/// Strings are borrowed, so building a resource from request data copies
/// nothing.
///
/// # Examples
///
/// ```
/// use rolegate::evaluate::AttributeValue;
/// use rolegate::UserId;
///
/// assert_eq!(AttributeValue::from("draft"), AttributeValue::String("draft"));
/// assert_eq!(AttributeValue::from(3_i64), AttributeValue::Integer(3));
/// assert_eq!(AttributeValue::from(3), AttributeValue::Integer(3));
/// assert_eq!(AttributeValue::from(UserId::new(7)), AttributeValue::User(UserId::new(7)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttributeValue<'a> {
    /// A string.
    String(&'a str),
    /// An integer.
    Integer(i64),
    /// A boolean.
    Boolean(bool),
    /// A user id.
    User(UserId),
    /// An organization id.
    Organization(OrgId),
    /// A customer id.
    Customer(CustomerId),
}

impl AttributeValue<'_> {
    /// The attribute type this value is of: a comparison with a value of
    /// another type fails ([semantics](crate::semantics) §4.4).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::AttrType;
    /// use rolegate::evaluate::AttributeValue;
    /// use rolegate::UserId;
    ///
    /// assert_eq!(AttributeValue::from("draft").attr_type(), AttrType::String);
    /// assert_eq!(AttributeValue::from(UserId::new(3)).attr_type(), AttrType::User);
    /// ```
    #[must_use]
    pub const fn attr_type(&self) -> crate::condition::AttrType {
        use crate::condition::AttrType;
        match self {
            Self::String(_) => AttrType::String,
            Self::Integer(_) => AttrType::Integer,
            Self::Boolean(_) => AttrType::Boolean,
            Self::User(_) => AttrType::User,
            Self::Organization(_) => AttrType::Organization,
            Self::Customer(_) => AttrType::Customer,
        }
    }
}

impl<'a> From<&'a str> for AttributeValue<'a> {
    fn from(v: &'a str) -> Self {
        Self::String(v)
    }
}

impl From<i64> for AttributeValue<'_> {
    fn from(v: i64) -> Self {
        Self::Integer(v)
    }
}

impl From<i32> for AttributeValue<'_> {
    fn from(v: i32) -> Self {
        Self::Integer(i64::from(v))
    }
}

impl From<u32> for AttributeValue<'_> {
    fn from(v: u32) -> Self {
        Self::Integer(i64::from(v))
    }
}

impl From<bool> for AttributeValue<'_> {
    fn from(v: bool) -> Self {
        Self::Boolean(v)
    }
}

impl From<UserId> for AttributeValue<'_> {
    fn from(v: UserId) -> Self {
        Self::User(v)
    }
}

impl From<OrgId> for AttributeValue<'_> {
    fn from(v: OrgId) -> Self {
        Self::Organization(v)
    }
}

impl From<CustomerId> for AttributeValue<'_> {
    fn from(v: CustomerId) -> Self {
        Self::Customer(v)
    }
}

/// The instance acted on: type, id, organization, optional customer, team
/// and owner, and attributes.
///
/// Up to three attributes (as many as a standard resource type declares)
/// are kept inline; a resource is 152 bytes, so that a page of them is read
/// quickly.
///
/// # Examples
///
/// ```
/// use rolegate::evaluate::AttributeValue;
/// use rolegate::{Catalog, OrgId, Resource, ResourceId, TeamId};
///
/// let catalog = Catalog::standard();
/// let status = catalog.attribute("status")?;
/// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(9), OrgId::new(1))
///     .with_team(TeamId::new(5))
///     .with_attribute(status, "draft");
/// assert_eq!(workflow.attribute(status), Some(AttributeValue::String("draft")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Resource<'a> {
    pub(crate) resource_type: ResourceTypeId,
    pub(crate) id: ResourceId,
    pub(crate) organization: OrgId,
    pub(crate) customer: Option<CustomerId>,
    pub(crate) team: Option<TeamId>,
    pub(crate) owner: Option<UserId>,
    pub(crate) attributes: SmallVec<[Attr<'a>; ATTRIBUTES_IN_PLACE]>,
}

/// The attributes a resource holds without allocating: as many as a
/// standard resource type declares.
const ATTRIBUTES_IN_PLACE: usize = 3;

/// One attribute of a resource, its id kept beside the value's tag: three
/// words where a pair of id and value takes four. A list page of resources
/// is read from memory as fast as it is decided, so its size is its cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Attr<'a> {
    String(AttributeId, &'a str),
    Integer(AttributeId, i64),
    Boolean(AttributeId, bool),
    User(AttributeId, UserId),
    Organization(AttributeId, OrgId),
    Customer(AttributeId, CustomerId),
}

const _: () = assert!(size_of::<Attr<'_>>() == 24, "an attribute is three words");
const _: () = assert!(
    size_of::<Resource<'_>>() == 152,
    "a resource stays 152 bytes"
);

impl<'a> Attr<'a> {
    fn new(id: AttributeId, value: AttributeValue<'a>) -> Self {
        match value {
            AttributeValue::String(v) => Self::String(id, v),
            AttributeValue::Integer(v) => Self::Integer(id, v),
            AttributeValue::Boolean(v) => Self::Boolean(id, v),
            AttributeValue::User(v) => Self::User(id, v),
            AttributeValue::Organization(v) => Self::Organization(id, v),
            AttributeValue::Customer(v) => Self::Customer(id, v),
        }
    }

    #[inline(always)]
    pub(crate) fn id(self) -> AttributeId {
        match self {
            Self::String(id, _)
            | Self::Integer(id, _)
            | Self::Boolean(id, _)
            | Self::User(id, _)
            | Self::Organization(id, _)
            | Self::Customer(id, _) => id,
        }
    }

    #[inline(always)]
    pub(crate) fn value(self) -> AttributeValue<'a> {
        match self {
            Self::String(_, v) => AttributeValue::String(v),
            Self::Integer(_, v) => AttributeValue::Integer(v),
            Self::Boolean(_, v) => AttributeValue::Boolean(v),
            Self::User(_, v) => AttributeValue::User(v),
            Self::Organization(_, v) => AttributeValue::Organization(v),
            Self::Customer(_, v) => AttributeValue::Customer(v),
        }
    }
}

impl<'a> Resource<'a> {
    /// A resource with no customer, team, owner or attribute.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Resource, ResourceId};
    ///
    /// let catalog = Catalog::standard();
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(100), OrgId::new(1));
    /// assert_eq!(workflow.owner(), None);
    /// assert_eq!(workflow.attributes().len(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(resource_type: ResourceTypeId, id: ResourceId, organization: OrgId) -> Self {
        Self {
            resource_type,
            id,
            organization,
            customer: None,
            team: None,
            owner: None,
            attributes: SmallVec::new(),
        }
    }

    /// Sets the customer the resource belongs to.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, CustomerId, OrgId, Resource, ResourceId};
    ///
    /// let catalog = Catalog::standard();
    /// let connection = Resource::new(catalog.resource_type("connections")?, ResourceId::new(3), OrgId::new(1))
    ///     .with_customer(CustomerId::new(30));
    /// assert_eq!(connection.customer(), Some(CustomerId::new(30)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_customer(mut self, customer: CustomerId) -> Self {
        self.customer = Some(customer);
        self
    }

    /// Sets the team the resource belongs to.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Resource, ResourceId, TeamId};
    ///
    /// let catalog = Catalog::standard();
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(9), OrgId::new(1))
    ///     .with_team(TeamId::new(5));
    /// assert_eq!(workflow.team(), Some(TeamId::new(5)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_team(mut self, team: TeamId) -> Self {
        self.team = Some(team);
        self
    }

    /// Sets the resource's owner.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Resource, ResourceId, UserId};
    ///
    /// let catalog = Catalog::standard();
    /// let connection = Resource::new(catalog.resource_type("connections")?, ResourceId::new(3), OrgId::new(1))
    ///     .with_owner(UserId::new(7));
    /// assert_eq!(connection.owner(), Some(UserId::new(7)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_owner(mut self, owner: UserId) -> Self {
        self.owner = Some(owner);
        self
    }

    /// Sets an attribute, replacing an earlier value of the same one.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::evaluate::AttributeValue;
    /// use rolegate::{Catalog, OrgId, Resource, ResourceId};
    ///
    /// let catalog = Catalog::standard();
    /// let (status, priority) = (catalog.attribute("status")?, catalog.attribute("priority")?);
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(9), OrgId::new(1))
    ///     .with_attribute(status, "draft")
    ///     .with_attribute(priority, 2)
    ///     .with_attribute(status, "active");
    /// assert_eq!(workflow.attribute(status), Some(AttributeValue::String("active")));
    /// assert_eq!(workflow.attributes().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_attribute(
        mut self,
        attribute: AttributeId,
        value: impl Into<AttributeValue<'a>>,
    ) -> Self {
        let attr = Attr::new(attribute, value.into());
        match self.attributes.iter_mut().find(|a| a.id() == attribute) {
            Some(slot) => *slot = attr,
            None => self.attributes.push(attr),
        }
        self
    }

    /// The resource type.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Resource, ResourceId};
    ///
    /// let catalog = Catalog::standard();
    /// let agent = Resource::new(catalog.resource_type("agents")?, ResourceId::new(8), OrgId::new(1));
    /// assert_eq!(catalog.resource_type_name(agent.resource_type()), Some("agents"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn resource_type(&self) -> ResourceTypeId {
        self.resource_type
    }

    /// The resource's id.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Resource, ResourceId};
    ///
    /// let catalog = Catalog::standard();
    /// let agent = Resource::new(catalog.resource_type("agents")?, ResourceId::new(8), OrgId::new(1));
    /// assert_eq!(agent.id(), ResourceId::new(8));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn id(&self) -> ResourceId {
        self.id
    }

    /// The organization the resource belongs to.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Resource, ResourceId};
    ///
    /// let catalog = Catalog::standard();
    /// let agent = Resource::new(catalog.resource_type("agents")?, ResourceId::new(8), OrgId::new(1));
    /// assert_eq!(agent.organization(), OrgId::new(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn organization(&self) -> OrgId {
        self.organization
    }

    /// The customer the resource belongs to, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, CustomerId, OrgId, Resource, ResourceId};
    ///
    /// let catalog = Catalog::standard();
    /// let connectors = catalog.resource_type("connectors")?;
    /// let shared = Resource::new(connectors, ResourceId::new(4), OrgId::new(1));
    /// assert_eq!(shared.customer(), None);
    /// assert_eq!(shared.with_customer(CustomerId::new(30)).customer(), Some(CustomerId::new(30)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn customer(&self) -> Option<CustomerId> {
        self.customer
    }

    /// The team the resource belongs to, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Resource, ResourceId, TeamId};
    ///
    /// let catalog = Catalog::standard();
    /// let tool = Resource::new(catalog.resource_type("tools")?, ResourceId::new(2), OrgId::new(1));
    /// assert_eq!(tool.team(), None);
    /// assert_eq!(tool.with_team(TeamId::new(5)).team(), Some(TeamId::new(5)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn team(&self) -> Option<TeamId> {
        self.team
    }

    /// The resource's owner, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Resource, ResourceId, UserId};
    ///
    /// let catalog = Catalog::standard();
    /// let profile = Resource::new(catalog.resource_type("profile")?, ResourceId::new(7), OrgId::new(1))
    ///     .with_owner(UserId::new(7));
    /// assert_eq!(profile.owner(), Some(UserId::new(7)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn owner(&self) -> Option<UserId> {
        self.owner
    }

    /// The value of an attribute, if set.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::evaluate::AttributeValue;
    /// use rolegate::{Catalog, OrgId, Resource, ResourceId};
    ///
    /// let catalog = Catalog::standard();
    /// let (environment, priority) = (catalog.attribute("environment")?, catalog.attribute("priority")?);
    /// let tool = Resource::new(catalog.resource_type("tools")?, ResourceId::new(2), OrgId::new(1))
    ///     .with_attribute(environment, "prod");
    /// assert_eq!(tool.attribute(environment), Some(AttributeValue::String("prod")));
    /// assert_eq!(tool.attribute(priority), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn attribute(&self, attribute: AttributeId) -> Option<AttributeValue<'a>> {
        self.attributes
            .iter()
            .find(|a| a.id() == attribute)
            .map(|a| a.value())
    }

    /// Every attribute set, in the order set.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::evaluate::AttributeValue;
    /// use rolegate::{Catalog, OrgId, Resource, ResourceId};
    ///
    /// let catalog = Catalog::standard();
    /// let (status, priority) = (catalog.attribute("status")?, catalog.attribute("priority")?);
    /// let tool = Resource::new(catalog.resource_type("tools")?, ResourceId::new(2), OrgId::new(1))
    ///     .with_attribute(priority, 1_i64)
    ///     .with_attribute(status, "active");
    /// let set: Vec<_> = tool.attributes().collect();
    /// assert_eq!(set, [(priority, AttributeValue::Integer(1)), (status, AttributeValue::String("active"))]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn attributes(
        &self,
    ) -> impl ExactSizeIterator<Item = (AttributeId, AttributeValue<'a>)> + '_ {
        self.attributes.iter().map(|a| (a.id(), a.value()))
    }
}
