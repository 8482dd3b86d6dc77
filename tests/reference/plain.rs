//! The plain model: string-level data shared by the reference and the engine's inputs.

use rolegate::*;

/// An attribute type, as declared in a plain catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    Str,
    Int,
    Bool,
    User,
    Org,
    Customer,
}

pub(crate) const TYS: [Ty; 6] = [Ty::Str, Ty::Int, Ty::Bool, Ty::User, Ty::Org, Ty::Customer];

impl Ty {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Ty::Str => "string",
            Ty::Int => "integer",
            Ty::Bool => "boolean",
            Ty::User => "user",
            Ty::Org => "organization",
            Ty::Customer => "customer",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct TypeDecl {
    pub(crate) name: String,
    pub(crate) builtin: bool,
    pub(crate) actions: Vec<String>,
    pub(crate) attrs: Vec<(String, Ty)>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct CatalogDecl {
    pub(crate) types: Vec<TypeDecl>,
    /// (from, to): every rule on `from` also grants on `to`.
    pub(crate) syncs: Vec<(String, String)>,
    pub(crate) builtin_rules: Vec<RuleDecl>,
}

/// Must-match keys beyond the implied `organization`; `organization` is
/// whether the rule also names it explicitly (which changes nothing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Keys {
    pub(crate) organization: bool,
    pub(crate) customer: bool,
    pub(crate) team: bool,
    pub(crate) owner: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
}

pub(crate) const ALL_OPS: [CmpOp; 8] = [
    CmpOp::Eq,
    CmpOp::Ne,
    CmpOp::Lt,
    CmpOp::Le,
    CmpOp::Gt,
    CmpOp::Ge,
    CmpOp::In,
    CmpOp::NotIn,
];
pub(crate) const BOOL_OPS: [CmpOp; 4] = [CmpOp::Eq, CmpOp::Ne, CmpOp::In, CmpOp::NotIn];
pub(crate) const ID_OPS: [CmpOp; 2] = [CmpOp::Eq, CmpOp::Ne];

impl CmpOp {
    pub(crate) fn text(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Lit {
    Str(String),
    Int(i64),
    Bool(bool),
}

#[derive(Clone, Debug)]
pub(crate) enum Rhs {
    Lit(Lit),
    List(Vec<Lit>),
    SubjectId,
    SubjectOrganization,
    SubjectCustomer,
}

/// One comparison `attr op rhs`; `ty` is the attribute's declared type on the
/// rule's resource type, `spacing` only picks how the text is laid out.
#[derive(Clone, Debug)]
pub(crate) struct Cmp {
    pub(crate) attr: String,
    pub(crate) ty: Ty,
    pub(crate) op: CmpOp,
    pub(crate) rhs: Rhs,
    pub(crate) spacing: u8,
}

#[derive(Clone, Debug)]
pub(crate) struct RuleDecl {
    pub(crate) resource: String,
    pub(crate) action: String,
    pub(crate) keys: Keys,
    pub(crate) conditions: Vec<Cmp>,
    /// The conditions rendered to the crate's text syntax.
    pub(crate) text: String,
}

#[derive(Clone, Debug)]
pub(crate) struct RoleDecl {
    pub(crate) name: String,
    /// `None` for a system role.
    pub(crate) organization: Option<u64>,
    pub(crate) rules: Vec<RuleDecl>,
}

#[derive(Clone, Debug)]
pub(crate) struct PlainSubject {
    pub(crate) id: u64,
    pub(crate) organization: u64,
    pub(crate) customer: Option<u64>,
    pub(crate) teams: Vec<u64>,
    /// Index into the policy's role list (system roles first).
    pub(crate) role: usize,
    pub(crate) status: UserStatus,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PlainValue {
    Str(String),
    Int(i64),
    Bool(bool),
    User(u64),
    Org(u64),
    Customer(u64),
}

impl PlainValue {
    pub(crate) fn ty(&self) -> Ty {
        match self {
            PlainValue::Str(_) => Ty::Str,
            PlainValue::Int(_) => Ty::Int,
            PlainValue::Bool(_) => Ty::Bool,
            PlainValue::User(_) => Ty::User,
            PlainValue::Org(_) => Ty::Org,
            PlainValue::Customer(_) => Ty::Customer,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct PlainResource {
    /// A name of the catalog, or [`UNKNOWN`] for an id the catalog lacks.
    pub(crate) type_name: String,
    pub(crate) id: u64,
    pub(crate) organization: u64,
    pub(crate) customer: Option<u64>,
    pub(crate) team: Option<u64>,
    pub(crate) owner: Option<u64>,
    pub(crate) attrs: Vec<(String, PlainValue)>,
}

/// A resource type or action name no catalog has (not an identifier): the
/// engine side gets an id one past the catalog's last.
pub(crate) const UNKNOWN: &str = "#unknown";
/// An action name standing for [`ActionId::MAX`].
pub(crate) const UNKNOWN_MAX: &str = "#max";
