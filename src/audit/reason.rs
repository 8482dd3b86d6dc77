//! The reason of an event: a text, or a check's denial kept as values until
//! it is read.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::catalog::Catalog;
use crate::evaluate::{Denial, Explanation};
use crate::id::RoleId;
use crate::policy::RoleEntry;
use crate::text::{Text, clean_display};

/// Why an event was denied or failed: a text, or the denial of a check,
/// kept as values (the reason, the role and its rules as they were) and put
/// in words the first time it is read.
///
/// # Examples
///
/// ```
/// use rolegate::audit::{AuditQuery, AuthorizeError, Reason};
/// use rolegate::{Catalog, Denial, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// let org = OrgId::new(1);
/// engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
/// let catalog = engine.catalog();
/// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(5), org);
/// let Err(AuthorizeError::Denied { .. }) = engine.authorize(UserId::new(2), catalog.action("delete")?, &workflow) else {
///     return Err("a Viewer may not delete".into());
/// };
/// let page = engine.audit().query(&AuditQuery::new())?;
/// let reason: &Reason = page.events[0].fields().reason.as_ref().ok_or("recorded")?;
/// assert!(matches!(reason.denial(), Some(Denial::NoRule { .. })));
/// assert_eq!(reason.as_str(), "denied: Viewer has no rule for workflows.delete");
/// assert_eq!(Reason::from("timeout").as_str(), "timeout");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Reason(Repr);

#[derive(Clone)]
enum Repr {
    Text(Text),
    Denied(Arc<Denied>),
}

/// A check's denial with what it takes to put it in words later.
struct Denied {
    explanation: Explanation,
    catalog: Arc<Catalog>,
    /// The subject's role as it was, when the policy had it.
    role: Option<(RoleId, Arc<RoleEntry>)>,
    text: OnceLock<Text>,
}

impl Reason {
    /// The reason for a denied check, rendered when first read.
    pub(crate) fn denied(
        denial: Denial,
        catalog: Arc<Catalog>,
        role: Option<(RoleId, Arc<RoleEntry>)>,
    ) -> Self {
        Self(Repr::Denied(Arc::new(Denied {
            explanation: Explanation::Denied(denial),
            catalog,
            role,
            text: OnceLock::new(),
        })))
    }

    /// The reason in words (cleaned: control and line-breaking characters
    /// are escaped).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::Reason;
    ///
    /// assert_eq!(Reason::from("disk full").as_str(), "disk full");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Text(text) => text,
            Repr::Denied(denied) => denied.text.get_or_init(|| {
                let role = denied.role.as_ref().map(|(id, e)| (*id, &e.role));
                let shown = denied.explanation.display_with(&denied.catalog, role);
                Text::from(clean_display(&shown))
            }),
        }
    }

    /// The denial, for the reason of a denied check.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::Reason;
    ///
    /// assert!(Reason::from("disk full").denial().is_none());
    /// ```
    #[must_use]
    pub fn denial(&self) -> Option<&Denial> {
        match &self.0 {
            Repr::Text(_) => None,
            Repr::Denied(denied) => denied.explanation.denial(),
        }
    }
}

impl From<&str> for Reason {
    fn from(text: &str) -> Self {
        Self(Repr::Text(Text::from(text)))
    }
}

impl From<String> for Reason {
    fn from(text: String) -> Self {
        Self(Repr::Text(Text::from(text)))
    }
}

impl From<Text> for Reason {
    fn from(text: Text) -> Self {
        Self(Repr::Text(text))
    }
}

impl PartialEq for Reason {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Reason {}

impl PartialEq<str> for Reason {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Reason {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
