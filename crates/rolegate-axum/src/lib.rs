//! rolegate in an axum 0.8 service.
//!
//! - [`Caller`]: the user id the host's authentication puts in the request's
//!   extensions.
//! - [`Authz`]: an extractor that resolves the caller against the engine's
//!   current state once per request; the handler checks loaded resources
//!   with it ([`Authz::check`], which records nothing, or
//!   [`Authz::authorize`], which records the decision in the audit log and
//!   hands out a grant) and makes administrative calls in the caller's name
//!   ([`Authz::admin`]).
//! - [`Require`]: an extractor that gates a route on a permission declared
//!   with [`permission!`].
//! - [`Problem`]: an RFC 9457 `application/problem+json` response. A
//!   denial is a 403 carrying the reason code and the permission; an
//!   [`AdminError`] maps as the table below says.
//!
//! The engine comes from the router's state through [`FromRef`], so a state
//! that holds an [`Engine`] (cheap to clone: it is shared) works as it is.
//!
//! # `can` or `authorize`
//!
//! [`Authz::check`] asks the current state and records nothing: use it for
//! reads and for deciding what to show. [`Authz::authorize`] records the
//! decision before the work starts and the grant records how the work ended:
//! use it for every action that must appear in the audit trail.
//!
//! # Administrative errors as HTTP
//!
//! | error | status | `code` |
//! |---|---|---|
//! | `AdminError::Denied` (the delegation guard) | 403 | `guard.missing_permission`, `guard.escalation`, `guard.owner_only`, `guard.last_owner`, `guard.other_organization`, `guard.inactive_actor`, `guard.unknown_actor` |
//! | `AdminError::UnknownRole`, `UnknownUser`, `UnknownTeam` | 404 | `unknown_role`, `unknown_user`, `unknown_team` |
//! | `AdminError::Role(RoleError::DuplicateName)`, `RoleInUse`, `DuplicateUser`, `DuplicateTeamName`, `TeamIdUsed`, a store conflict | 409 | `duplicate_role_name`, `role_in_use`, `duplicate_user`, `duplicate_team_name`, `team_id_used`, `conflict` |
//! | any other `AdminError::Role`, `InvalidTeamName`, `CrossOrganization`, `Import`; a `RuleError` or `catalog::RuleSpecError` | 400 | `invalid_role`, `invalid_team_name`, `cross_organization`, `invalid_import`, `invalid_rule` |
//! | `AdminError::Audit`, any other `AdminError::Store` | 503 | `audit_unavailable`, `store_unavailable` |
//!
//! A refusal of the guard not listed is a 403 `guard.denied`, and an
//! administrative error of a kind added later a 503. A name the catalog
//! does not have, in a handler or a gate, is the service's own mistake: a
//! 500 (`unknown_name`). A request without a [`Caller`] is a 401
//! (`unauthenticated`); a caller the directory does not know is a 401 too
//! (`unknown_caller`). A guard refusal's `detail` is a plain sentence: the
//! guard's own words name organizations and roles.
//!
//! A denial says why, by its code, and so tells a caller that a resource
//! or user of another organization exists (`other_organization`,
//! `guard.other_organization`) where a missing one is a 404. A service that
//! must not reveal that answers such problems with its own 404.
//!
//! # Examples
//!
//! ```
//! use axum::{routing::get, Router};
//! use rolegate::{Catalog, Engine, Resource, ResourceId};
//! use rolegate_axum::{permission, Authz, Problem, Require};
//!
//! permission!(
//!     /// Reading workflows.
//!     ReadWorkflows = "workflows", "read"
//! );
//!
//! async fn list(_: Require<ReadWorkflows>) -> &'static str {
//!     "every workflow"
//! }
//!
//! async fn run(authz: Authz) -> Result<&'static str, Problem> {
//!     let catalog = authz.snapshot().policy().catalog();
//!     let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(7), authz.organization());
//!     let execute = catalog.action("execute")?;
//!     let _why = authz.explain(execute, &workflow); // for the service's own logs
//!     let grant = authz.authorize(execute, &workflow)?;
//!     // ... run it ...
//!     grant.success()?;
//!     Ok("ran")
//! }
//!
//! let app: Router = Router::new()
//!     .route("/workflows", get(list))
//!     .route("/workflows/7/run", get(run))
//!     .with_state(Engine::new(Catalog::standard()));
//! ```

#[doc = include_str!("../GUIDE.md")]
pub mod guide {}

use std::marker::PhantomData;
use std::sync::{Arc, OnceLock};

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rolegate::audit::{AuditError, AuthorizeError, Grant};
use rolegate::catalog::RuleSpecError;
use rolegate::engine::GuardError;
use rolegate::store::StoreErrorKind;
use rolegate::{
    ActionId, Admin, AdminError, Catalog, Denial, Engine, Explanation, NameError, OrgId, Resource,
    ResourceId, ResourceTypeId, RoleError, RuleError, Snapshot, UserId,
};

/// The core crate, for the expansion of [`permission!`].
#[doc(hidden)]
pub use rolegate as __rolegate;

/// The calling user, as the host's authentication found it: put it in the
/// request's extensions (`request.extensions_mut().insert(Caller(id))`)
/// before the handlers run.
///
/// # Examples
///
/// ```
/// use axum::http::Request;
/// use rolegate::UserId;
/// use rolegate_axum::Caller;
///
/// let mut request = Request::new(());
/// request.extensions_mut().insert(Caller(UserId::new(7)));
/// assert_eq!(request.extensions().get::<Caller>(), Some(&Caller(UserId::new(7))));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Caller(pub UserId);

/// The caller resolved against the engine's current state when the request
/// is extracted. [`can`](Self::can), [`check`](Self::check),
/// [`explain`](Self::explain) and [`snapshot`](Self::snapshot) answer from
/// one state, taken at the first of them, so the checks of a request agree
/// with each other. [`authorize`](Self::authorize) and
/// [`admin`](Self::admin) act on the engine's current state when they are
/// called, as recording and changing must.
///
/// # Examples
///
/// See the [crate's example](crate).
#[derive(Clone, Debug)]
pub struct Authz {
    engine: Engine,
    /// Taken at the first check of the request that needs to keep it.
    snapshot: OnceLock<Arc<Snapshot>>,
    user: UserId,
    organization: OrgId,
}

impl<S> FromRequestParts<S> for Authz
where
    Engine: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Some(&Caller(user)) = parts.extensions.get::<Caller>() else {
            return Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "the request names no caller".to_owned(),
            ));
        };
        let engine = Engine::from_ref(state);
        let Some(organization) = engine.with_current(|s| s.organization_of(user)) else {
            return Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "unknown_caller",
                "the caller is not a user of this service".to_owned(),
            ));
        };
        Ok(Self {
            organization,
            engine,
            snapshot: OnceLock::new(),
            user,
        })
    }
}

impl Authz {
    /// The caller.
    ///
    /// # Examples
    ///
    /// See the [crate's example](crate).
    #[must_use]
    pub fn user(&self) -> UserId {
        self.user
    }

    /// The caller's organization.
    ///
    /// # Examples
    ///
    /// See the [crate's example](crate).
    #[must_use]
    pub fn organization(&self) -> OrgId {
        self.organization
    }

    /// The state the request is checked against.
    ///
    /// # Examples
    ///
    /// See the [crate's example](crate).
    #[must_use]
    pub fn snapshot(&self) -> &Snapshot {
        self.snapshot.get_or_init(|| self.engine.snapshot())
    }

    /// The engine, for calls this type does not wrap.
    ///
    /// # Examples
    ///
    /// See the [crate's example](crate).
    #[must_use]
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether the caller may perform `action` on `resource`; records
    /// nothing.
    ///
    /// # Examples
    ///
    /// See the [crate's example](crate).
    #[must_use]
    pub fn can(&self, action: ActionId, resource: &Resource<'_>) -> bool {
        self.snapshot().can(self.user, action, resource)
    }

    /// Why the caller may or may not perform `action` on `resource`, on the
    /// request's state: for logs and for the service's own use. Records
    /// nothing; a [`Problem`] sent to the client carries only the code.
    ///
    /// # Examples
    ///
    /// See the [crate's example](crate).
    #[must_use]
    pub fn explain(&self, action: ActionId, resource: &Resource<'_>) -> Explanation {
        self.snapshot().explain(self.user, action, resource)
    }

    /// [`can`](Self::can) as a result: a denial is a 403 [`Problem`] with
    /// its reason code and the permission. Records nothing.
    ///
    /// # Errors
    ///
    /// The 403 problem when the caller may not.
    ///
    /// # Examples
    ///
    /// See the [crate's example](crate).
    pub fn check(&self, action: ActionId, resource: &Resource<'_>) -> Result<(), Problem> {
        if self.can(action, resource) {
            return Ok(());
        }
        let why = self.snapshot().explain(self.user, action, resource);
        Err(self.denied(why.denial(), action, resource))
    }

    /// Checks and records: the decision goes to the audit log before the
    /// grant is returned, and the grant records how the work ended.
    ///
    /// # Errors
    ///
    /// A 403 problem when the caller may not (the denial is recorded), a
    /// 503 when the audit log cannot record an allowed decision.
    ///
    /// # Examples
    ///
    /// See the [crate's example](crate).
    pub fn authorize(&self, action: ActionId, resource: &Resource<'_>) -> Result<Grant, Problem> {
        match self.engine.authorize(self.user, action, resource) {
            Ok(grant) => Ok(grant),
            Err(AuthorizeError::Denied { denial, .. }) => {
                Err(self.denied(Some(&denial), action, resource))
            }
            Err(AuthorizeError::Audit(e)) => Err(Problem::from(e)),
            Err(other) => Err(Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "audit_unavailable",
                other.to_string(),
            )),
        }
    }

    /// Administrative calls in the caller's name, through the delegation
    /// guard; their errors convert into [`Problem`] with `?`.
    ///
    /// # Examples
    ///
    /// See the [crate's example](crate).
    #[must_use]
    pub fn admin(&self) -> Admin<'_> {
        self.engine.admin(self.user)
    }

    fn denied(
        &self,
        denial: Option<&Denial>,
        action: ActionId,
        resource: &Resource<'_>,
    ) -> Problem {
        let permission = self
            .engine
            .catalog()
            .pair_name(resource.resource_type(), action);
        Problem::new(
            StatusCode::FORBIDDEN,
            denial.map_or("denied", Denial::code),
            format!("the caller may not {permission} here"),
        )
        .with_permission(permission)
    }
}

/// A permission a route is gated on, declared with [`permission!`].
///
/// # Examples
///
/// ```
/// use rolegate_axum::{permission, Permission};
///
/// permission!(
///     /// Managing roles.
///     ManageRoles = "roles", "manage"
/// );
/// assert_eq!((ManageRoles::RESOURCE, ManageRoles::ACTION), ("roles", "manage"));
/// ```
pub trait Permission: Send + Sync + 'static {
    /// The resource type's name.
    const RESOURCE: &'static str;
    /// The action's name.
    const ACTION: &'static str;

    /// The permission's resource type and action in `catalog`, by name.
    /// [`permission!`] keeps them once per catalog, so that a gated request
    /// looks no name up.
    ///
    /// # Errors
    ///
    /// The [`NameError`] of a name the catalog does not have.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    /// use rolegate_axum::{permission, Permission};
    ///
    /// permission!(
    ///     /// Reading workflows.
    ///     ReadWorkflows = "workflows", "read"
    /// );
    /// let catalog = Catalog::standard();
    /// let (ty, action) = ReadWorkflows::resolve(&catalog)?;
    /// assert_eq!((ty, action), (catalog.resource_type("workflows")?, catalog.action("read")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn resolve(catalog: &Catalog) -> Result<(ResourceTypeId, ActionId), NameError> {
        Ok((
            catalog.resource_type(Self::RESOURCE)?,
            catalog.action(Self::ACTION)?,
        ))
    }
}

/// What [`permission!`] keeps of a permission: its ids in the catalog of
/// one fingerprint, resolved the first time a request needs them.
#[doc(hidden)]
#[derive(Debug)]
pub struct Resolved(OnceLock<(u64, ResourceTypeId, ActionId)>);

impl Resolved {
    #[doc(hidden)]
    #[must_use]
    pub const fn new() -> Self {
        Self(OnceLock::new())
    }

    /// The ids in `catalog`: kept for the first catalog asked, looked up
    /// by name for any other.
    #[doc(hidden)]
    pub fn get<P: Permission + ?Sized>(
        &self,
        catalog: &Catalog,
    ) -> Result<(ResourceTypeId, ActionId), NameError> {
        // The fingerprint picks the catalog; the names, read back by id,
        // make sure of it.
        if let Some(&(fingerprint, ty, action)) = self.0.get()
            && fingerprint == catalog.fingerprint()
            && catalog.resource_type_name(ty) == Some(P::RESOURCE)
            && catalog.action_name(action) == Some(P::ACTION)
        {
            return Ok((ty, action));
        }
        let (ty, action) = (
            catalog.resource_type(P::RESOURCE)?,
            catalog.action(P::ACTION)?,
        );
        let _ = self.0.set((catalog.fingerprint(), ty, action));
        Ok((ty, action))
    }
}

impl Default for Resolved {
    fn default() -> Self {
        Self::new()
    }
}

/// Declares a [`Permission`] type: `permission!(Name = "resource", "action");`.
///
/// # Examples
///
/// ```
/// use rolegate_axum::{permission, Permission};
///
/// permission!(
///     /// Reading the audit log.
///     ReadAudit = "audit_log", "read"
/// );
/// assert_eq!(ReadAudit::ACTION, "read");
/// ```
#[macro_export]
macro_rules! permission {
    ($(#[$meta:meta])* $name:ident = $resource:literal, $action:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug)]
        pub struct $name;

        impl $crate::Permission for $name {
            const RESOURCE: &'static str = $resource;
            const ACTION: &'static str = $action;

            fn resolve(
                catalog: &$crate::__rolegate::Catalog,
            ) -> ::core::result::Result<
                ($crate::__rolegate::ResourceTypeId, $crate::__rolegate::ActionId),
                $crate::__rolegate::NameError,
            > {
                static RESOLVED: $crate::Resolved = $crate::Resolved::new();
                RESOLVED.get::<Self>(catalog)
            }
        }
    };
}

/// Gates a route on permission `P`: the request goes on only when the
/// caller's role grants `P` on a resource of the caller's organization that
/// names no customer, team or owner. A permission the role grants only under
/// must-match keys or conditions is checked in the handler, on the loaded
/// resource, with [`Authz::check`] or [`Authz::authorize`]. Records nothing.
///
/// # Examples
///
/// See the [crate's example](crate).
#[derive(Debug)]
pub struct Require<P> {
    /// The caller, resolved.
    pub authz: Authz,
    permission: PhantomData<P>,
}

impl<S, P> FromRequestParts<S> for Require<P>
where
    Engine: FromRef<S>,
    S: Send + Sync,
    P: Permission,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let authz = Authz::from_request_parts(parts, state).await?;
        let (resource_type, action) = P::resolve(authz.engine.catalog())?;
        let resource = Resource::new(resource_type, ResourceId::new(0), authz.organization);
        // The gate keeps no state: it checks on the current one, as
        // `Engine::can` does; the handler's checks take their own.
        if !authz.engine.can(authz.user, action, &resource) {
            let why = authz.engine.explain(authz.user, action, &resource);
            return Err(authz.denied(why.denial(), action, &resource));
        }
        Ok(Self {
            authz,
            permission: PhantomData,
        })
    }
}

/// An RFC 9457 problem: `application/problem+json` with `type`
/// (`about:blank`), `title` (the status's phrase), `status`, `detail`, and
/// the extensions `code` (for a denial, its reason code) and, for a
/// denial, `permission`.
///
/// # Examples
///
/// ```
/// use axum::http::StatusCode;
/// use axum::response::IntoResponse;
/// use rolegate::{AdminError, UserId};
/// use rolegate_axum::Problem;
///
/// let problem = Problem::from(AdminError::UnknownUser { user: UserId::new(9) });
/// assert_eq!((problem.status(), problem.code()), (StatusCode::NOT_FOUND, "unknown_user"));
/// let response = problem.into_response();
/// assert_eq!(response.headers()["content-type"], "application/problem+json");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    status: StatusCode,
    code: &'static str,
    detail: String,
    permission: Option<String>,
}

impl Problem {
    /// A problem with this status, code and detail.
    ///
    /// # Examples
    ///
    /// ```
    /// use axum::http::StatusCode;
    /// use rolegate_axum::Problem;
    ///
    /// let p = Problem::new(StatusCode::CONFLICT, "busy", "try again".to_owned());
    /// assert_eq!(p.detail(), "try again");
    /// ```
    #[must_use]
    pub fn new(status: StatusCode, code: &'static str, detail: String) -> Self {
        Self {
            status,
            code,
            detail,
            permission: None,
        }
    }

    fn with_permission(mut self, permission: String) -> Self {
        self.permission = Some(permission);
        self
    }

    /// The HTTP status.
    ///
    /// # Examples
    ///
    /// ```
    /// use axum::http::StatusCode;
    /// use rolegate_axum::Problem;
    ///
    /// assert_eq!(Problem::new(StatusCode::CONFLICT, "busy", String::new()).status(), StatusCode::CONFLICT);
    /// ```
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The code: a denial's reason code, or the administrative error's.
    ///
    /// # Examples
    ///
    /// ```
    /// use axum::http::StatusCode;
    /// use rolegate_axum::Problem;
    ///
    /// assert_eq!(Problem::new(StatusCode::CONFLICT, "busy", String::new()).code(), "busy");
    /// ```
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The detail, in words.
    ///
    /// # Examples
    ///
    /// ```
    /// use axum::http::StatusCode;
    /// use rolegate_axum::Problem;
    ///
    /// assert_eq!(Problem::new(StatusCode::CONFLICT, "busy", "later".to_owned()).detail(), "later");
    /// ```
    #[must_use]
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// The permission a denial was for.
    ///
    /// # Examples
    ///
    /// ```
    /// use axum::http::StatusCode;
    /// use rolegate_axum::Problem;
    ///
    /// assert_eq!(Problem::new(StatusCode::CONFLICT, "busy", String::new()).permission(), None);
    /// ```
    #[must_use]
    pub fn permission(&self) -> Option<&str> {
        self.permission.as_deref()
    }

    /// The JSON body.
    fn body(&self) -> serde_json::Value {
        let mut body = serde_json::json!({
            "type": "about:blank",
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
            "code": self.code,
        });
        if let (Some(permission), Some(map)) = (&self.permission, body.as_object_mut()) {
            map.insert("permission".to_owned(), permission.clone().into());
        }
        body
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body().to_string()).into_response();
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

/// A name the catalog does not have, in a handler or a gate: a mistake of
/// the service's own, so a 500.
impl From<NameError> for Problem {
    fn from(e: NameError) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "unknown_name",
            e.to_string(),
        )
    }
}

/// A rule read from a request that the catalog refuses: a 400 naming what
/// is wrong (an unknown resource, an inapplicable action, a bad condition).
impl From<RuleError> for Problem {
    fn from(e: RuleError) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_rule", e.to_string())
    }
}

/// A role's rules read from a request that the catalog refuses: a 400
/// naming the rule and field (`rules[1].action: ...`).
impl From<RuleSpecError> for Problem {
    fn from(e: RuleSpecError) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_rule", e.to_string())
    }
}

impl From<AuditError> for Problem {
    fn from(e: AuditError) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "audit_unavailable",
            e.to_string(),
        )
    }
}

/// As the [table](crate#administrative-errors-as-http) says.
impl From<AdminError> for Problem {
    fn from(e: AdminError) -> Self {
        let (status, code) = match &e {
            AdminError::Denied(guard) => (StatusCode::FORBIDDEN, guard_code(guard)),
            AdminError::UnknownRole { .. } => (StatusCode::NOT_FOUND, "unknown_role"),
            AdminError::UnknownUser { .. } => (StatusCode::NOT_FOUND, "unknown_user"),
            AdminError::UnknownTeam { .. } => (StatusCode::NOT_FOUND, "unknown_team"),
            AdminError::Role(RoleError::DuplicateName { .. }) => {
                (StatusCode::CONFLICT, "duplicate_role_name")
            }
            AdminError::RoleInUse { .. } => (StatusCode::CONFLICT, "role_in_use"),
            AdminError::DuplicateUser { .. } => (StatusCode::CONFLICT, "duplicate_user"),
            AdminError::DuplicateTeamName { .. } => (StatusCode::CONFLICT, "duplicate_team_name"),
            AdminError::TeamIdUsed { .. } => (StatusCode::CONFLICT, "team_id_used"),
            AdminError::Role(_) => (StatusCode::BAD_REQUEST, "invalid_role"),
            AdminError::InvalidTeamName { .. } => (StatusCode::BAD_REQUEST, "invalid_team_name"),
            AdminError::CrossOrganization { .. } => (StatusCode::BAD_REQUEST, "cross_organization"),
            AdminError::Import(_) => (StatusCode::BAD_REQUEST, "invalid_import"),
            AdminError::Audit(_) => (StatusCode::SERVICE_UNAVAILABLE, "audit_unavailable"),
            AdminError::Store(s) if s.kind() == StoreErrorKind::Conflict => {
                (StatusCode::CONFLICT, "conflict")
            }
            _ => (StatusCode::SERVICE_UNAVAILABLE, "store_unavailable"),
        };
        // The guard's own words name organizations and roles; the client
        // gets the code and a plain sentence.
        let detail = match &e {
            AdminError::Denied(_) => "the delegation guard refused the call".to_owned(),
            _ => e.to_string(),
        };
        Self::new(status, code, detail)
    }
}

fn guard_code(guard: &GuardError) -> &'static str {
    match guard {
        GuardError::UnknownActor { .. } => "guard.unknown_actor",
        GuardError::InactiveActor { .. } => "guard.inactive_actor",
        GuardError::OtherOrganization { .. } => "guard.other_organization",
        GuardError::MissingPermission { .. } => "guard.missing_permission",
        GuardError::Escalation { .. } => "guard.escalation",
        GuardError::OwnerOnly => "guard.owner_only",
        GuardError::LastOwner { .. } => "guard.last_owner",
        _ => "guard.denied",
    }
}
