//! The condition language: attribute types, comparisons as typed data, the
//! parser, and the condition error.
//!
//! Conditions are parsed against what a catalog declares of a resource
//! type's attributes, so this
//! module knows nothing of catalogs beyond that.

mod parse;

use core::fmt;

use crate::id::{AttributeId, ResourceTypeId};

pub(crate) use parse::parse;

/// What the parser needs to know of a catalog: the attributes a resource
/// type declares, and its name for messages.
pub(crate) trait Attributes {
    /// The attribute `name` of `resource`, with its declared type.
    fn declared(&self, resource: ResourceTypeId, name: &str) -> Option<(AttributeId, AttrType)>;
    /// The name of `resource`, for messages.
    fn type_name(&self, resource: ResourceTypeId) -> Option<&str>;
}

/// The type of a resource attribute, declared per resource type.
///
/// Conditions are type-checked against it when a rule is written, and a value
/// of another type met at check time makes the comparison false.
///
/// # Examples
///
/// ```
/// use rolegate::catalog::AttrType;
///
/// assert_eq!(AttrType::Integer.to_string(), "integer");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttrType {
    /// Text, compared byte-wise; ordering operators compare lexicographically.
    String,
    /// A signed 64-bit integer.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A user id, comparable with `subject.id`.
    User,
    /// An organization id, comparable with `subject.organization`.
    Organization,
    /// A customer id, comparable with `subject.customer`.
    Customer,
}

impl AttrType {
    /// The lowercase name used in messages: `string`, `integer`, ...
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::AttrType;
    ///
    /// assert_eq!(AttrType::Integer.name(), "integer");
    /// assert_eq!(AttrType::Customer.name(), "customer");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Boolean => "boolean",
            Self::User => "user",
            Self::Organization => "organization",
            Self::Customer => "customer",
        }
    }
}

impl fmt::Display for AttrType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Words of the condition language that cannot name an attribute.
pub(crate) const KEYWORDS: [&str; 6] = ["and", "in", "not", "true", "false", "subject"];

/// Whether `word` is a keyword of the condition language.
pub(crate) fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// A comparison operator.
///
/// # Examples
///
/// ```
/// use rolegate::condition::Op;
///
/// assert_eq!(Op::NotIn.to_string(), "not in");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
}

impl Op {
    /// The operator's text.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::Op;
    ///
    /// assert_eq!(Op::Le.as_str(), "<=");
    /// assert_eq!(Op::NotIn.as_str(), "not in");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "==",
            Self::Ne => "!=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::In => "in",
            Self::NotIn => "not in",
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A literal value written in a condition.
///
/// # Examples
///
/// ```
/// use rolegate::condition::{Conditions, Literal, Operand};
/// use rolegate::Catalog;
///
/// let catalog = Catalog::standard();
/// let workflows = catalog.resource_type("workflows")?;
/// let conditions = Conditions::parse(&catalog, workflows, r#"status == "archived""#)?;
/// let condition = conditions.as_slice().first().ok_or("no condition")?;
/// assert_eq!(condition.operand(), &Operand::Literal(Literal::String("archived".into())));
/// assert_eq!(Literal::String("archived".into()).to_string(), r#""archived""#);
/// assert_eq!(Literal::Integer(3).to_string(), "3");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Literal {
    /// A string, `"archived"`.
    String(Box<str>),
    /// An integer, `3`.
    Integer(i64),
    /// `true` or `false`.
    Boolean(bool),
}

impl Literal {
    /// The attribute type this literal can be compared with.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::AttrType;
    /// use rolegate::condition::Literal;
    ///
    /// assert_eq!(Literal::Integer(3).attr_type(), AttrType::Integer);
    /// assert_eq!(Literal::String("draft".into()).attr_type(), AttrType::String);
    /// ```
    #[must_use]
    pub const fn attr_type(&self) -> AttrType {
        match self {
            Self::String(_) => AttrType::String,
            Self::Integer(_) => AttrType::Integer,
            Self::Boolean(_) => AttrType::Boolean,
        }
    }

    /// The integer, if this is one.
    pub(crate) fn integer(&self) -> Option<i64> {
        match self {
            Self::Integer(i) => Some(*i),
            Self::String(_) | Self::Boolean(_) => None,
        }
    }

    /// The boolean, if this is one.
    pub(crate) fn boolean(&self) -> Option<bool> {
        match self {
            Self::Boolean(b) => Some(*b),
            Self::String(_) | Self::Integer(_) => None,
        }
    }

    /// The string, if this is one.
    pub(crate) fn string(&self) -> Option<Box<str>> {
        match self {
            Self::String(s) => Some(s.clone()),
            Self::Integer(_) | Self::Boolean(_) => None,
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String(s) => write_quoted(f, s),
            Self::Integer(i) => write!(f, "{i}"),
            Self::Boolean(b) => write!(f, "{b}"),
        }
    }
}

/// Writes `s` as a condition string literal, escaping what must be.
fn write_quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if c.is_control() => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

/// A field of the subject a condition can compare with.
///
/// # Examples
///
/// ```
/// use rolegate::catalog::AttrType;
/// use rolegate::condition::{Conditions, Operand, SubjectField};
/// use rolegate::Catalog;
///
/// // The standard catalog has no user attribute; a host catalog may.
/// let catalog = Catalog::builder()
///     .resource_type("reports", ["read", "update"])
///     .attribute("reports", "author", AttrType::User)
///     .build()?;
/// let reports = catalog.resource_type("reports")?;
/// let conditions = Conditions::parse(&catalog, reports, "author == subject.id")?;
/// let condition = conditions.as_slice().first().ok_or("no condition")?;
/// assert_eq!(condition.operand(), &Operand::Subject(SubjectField::Id));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubjectField {
    /// `subject.id`, a [`AttrType::User`].
    Id,
    /// `subject.organization`, a [`AttrType::Organization`].
    Organization,
    /// `subject.customer`, a [`AttrType::Customer`]; a subject without a
    /// customer makes the comparison false.
    Customer,
}

impl SubjectField {
    /// The attribute type this field can be compared with.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::AttrType;
    /// use rolegate::condition::SubjectField;
    ///
    /// assert_eq!(SubjectField::Id.attr_type(), AttrType::User);
    /// assert_eq!(SubjectField::Customer.attr_type(), AttrType::Customer);
    /// ```
    #[must_use]
    pub const fn attr_type(self) -> AttrType {
        match self {
            Self::Id => AttrType::User,
            Self::Organization => AttrType::Organization,
            Self::Customer => AttrType::Customer,
        }
    }

    /// The text form, `subject.id` and so on.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::SubjectField;
    ///
    /// assert_eq!(SubjectField::Organization.as_str(), "subject.organization");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Id => "subject.id",
            Self::Organization => "subject.organization",
            Self::Customer => "subject.customer",
        }
    }
}

/// The right-hand side of a comparison.
///
/// # Examples
///
/// ```
/// use rolegate::condition::{Conditions, Operand};
/// use rolegate::Catalog;
///
/// let catalog = Catalog::standard();
/// let tools = catalog.resource_type("tools")?;
/// let conditions = Conditions::parse(&catalog, tools, r#"environment in ["test","staging"]"#)?;
/// let condition = conditions.as_slice().first().ok_or("no condition")?;
/// assert!(matches!(condition.operand(), Operand::List(items) if items.len() == 2));
/// assert_eq!(condition.operand().to_string(), r#"["test", "staging"]"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Operand {
    /// A literal, for `==`, `!=` and the ordering operators.
    Literal(Literal),
    /// A list of literals of one type, for `in` and `not in`.
    List(Box<[Literal]>),
    /// A field of the subject, for `==` and `!=`.
    Subject(SubjectField),
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Literal(l) => l.fmt(f),
            Self::Subject(s) => f.write_str(s.as_str()),
            Self::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    item.fmt(f)?;
                }
                f.write_str("]")
            }
        }
    }
}

/// One validated comparison, `attribute OP operand`.
///
/// # Examples
///
/// ```
/// use rolegate::condition::{Conditions, Op};
/// use rolegate::Catalog;
///
/// let catalog = Catalog::standard();
/// let agents = catalog.resource_type("agents")?;
/// let conditions = Conditions::parse(&catalog, agents, "priority>=2")?;
/// let condition = conditions.as_slice().first().ok_or("no condition")?;
/// assert_eq!(condition.attribute(), catalog.attribute("priority")?);
/// assert_eq!(condition.op(), Op::Ge);
/// assert_eq!(condition.display(&catalog).to_string(), "priority >= 2");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Condition {
    pub(crate) attribute: AttributeId,
    pub(crate) op: Op,
    pub(crate) operand: Operand,
}

impl Condition {
    /// The resource attribute compared.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::Conditions;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let agents = catalog.resource_type("agents")?;
    /// let conditions = Conditions::parse(&catalog, agents, "priority >= 2")?;
    /// let condition = conditions.as_slice().first().ok_or("no condition")?;
    /// assert_eq!(catalog.attribute_name(condition.attribute()), Some("priority"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn attribute(&self) -> AttributeId {
        self.attribute
    }

    /// The operator.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::{Conditions, Op};
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let agents = catalog.resource_type("agents")?;
    /// let conditions = Conditions::parse(&catalog, agents, r#"status not in ["archived"]"#)?;
    /// let condition = conditions.as_slice().first().ok_or("no condition")?;
    /// assert_eq!(condition.op(), Op::NotIn);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn op(&self) -> Op {
        self.op
    }

    /// The value compared with.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::{Conditions, Literal, Operand};
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let agents = catalog.resource_type("agents")?;
    /// let conditions = Conditions::parse(&catalog, agents, "priority >= 2")?;
    /// let condition = conditions.as_slice().first().ok_or("no condition")?;
    /// assert_eq!(condition.operand(), &Operand::Literal(Literal::Integer(2)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn operand(&self) -> &Operand {
        &self.operand
    }
}

/// A conjunction of validated comparisons on one resource type's attributes.
///
/// Made by [`Conditions::parse`], which checks every attribute, operator and
/// value type against the catalog; printed back in canonical text by
/// [`Conditions::display`]. Printing then parsing gives the same conditions.
///
/// # Examples
///
/// ```
/// use rolegate::condition::Conditions;
/// use rolegate::Catalog;
///
/// let catalog = Catalog::standard();
/// let workflows = catalog.resource_type("workflows")?;
/// let conditions = Conditions::parse(&catalog, workflows, r#"status!="archived"  and priority<=3"#)?;
/// let text = conditions.display(&catalog).to_string();
/// assert_eq!(text, r#"status != "archived" and priority <= 3"#);
/// assert_eq!(Conditions::parse(&catalog, workflows, &text)?, conditions);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Conditions(pub(crate) Box<[Condition]>);

impl Conditions {
    /// No condition: the rule is not narrowed by attributes.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::Conditions;
    /// use rolegate::{Catalog, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let workflows = catalog.resource_type("workflows")?;
    /// assert!(Conditions::none().is_empty());
    /// assert_eq!(Conditions::parse(&catalog, workflows, "  ")?, Conditions::none());
    /// let rule = Rule::builder(&catalog, "workflows", "read").build()?;
    /// assert_eq!(rule.conditions(), &Conditions::none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }

    /// The comparisons, all of which must hold.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::{Conditions, Op};
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let connectors = catalog.resource_type("connectors")?;
    /// let text = r#"status == "active" and environment != "prod""#;
    /// let conditions = Conditions::parse(&catalog, connectors, text)?;
    /// let ops: Vec<Op> = conditions.as_slice().iter().map(|c| c.op()).collect();
    /// assert_eq!(ops, [Op::Eq, Op::Ne]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn as_slice(&self) -> &[Condition] {
        &self.0
    }

    /// Whether there is no comparison.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::Conditions;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let workflows = catalog.resource_type("workflows")?;
    /// assert!(Conditions::parse(&catalog, workflows, "")?.is_empty());
    /// assert!(!Conditions::parse(&catalog, workflows, "priority > 1")?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of comparisons.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::Conditions;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let workflows = catalog.resource_type("workflows")?;
    /// let text = r#"status != "archived" and priority <= 3 and environment == "prod""#;
    /// assert_eq!(Conditions::parse(&catalog, workflows, text)?.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// What the condition grammar wanted where the text had something else.
///
/// # Examples
///
/// ```
/// use rolegate::condition::{ConditionErrorKind, Conditions, Expected};
/// use rolegate::Catalog;
///
/// let catalog = Catalog::standard();
/// let tools = catalog.resource_type("tools")?;
/// let err = Conditions::parse(&catalog, tools, "priority 3").unwrap_err();
/// assert!(matches!(err.kind(), ConditionErrorKind::Unexpected { expected: Expected::Operator, .. }));
/// assert_eq!(Expected::Operator.to_string(), "an operator (== != < <= > >= in, not in)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Expected {
    /// An attribute name.
    Attribute,
    /// An operator.
    Operator,
    /// `in`, after `not`.
    InAfterNot,
    /// A value: a literal or `subject.FIELD`.
    Value,
    /// A single value, where a list was written after an operator other
    /// than `in` and `not in`.
    SingleValue,
    /// A list, after `in` or `not in`.
    List,
    /// `,` or `]` inside a list.
    CommaOrBracket,
    /// `.` after `subject`.
    DotAfterSubject,
    /// A field of the subject: `id`, `organization` or `customer`.
    SubjectField,
    /// `and`, or the end of the text.
    AndOrEnd,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Attribute => "an attribute name",
            Self::Operator => "an operator (== != < <= > >= in, not in)",
            Self::InAfterNot => "`in` after `not`",
            Self::Value => "a value (a string, an integer, true, false or subject.FIELD)",
            Self::SingleValue => "a value (a list goes with `in` or `not in`)",
            Self::List => "a list `[...]`",
            Self::CommaOrBracket => "`,` or `]`",
            Self::DotAfterSubject => "`.` after `subject`",
            Self::SubjectField => "id, organization or customer",
            Self::AndOrEnd => "`and` or end of text",
        })
    }
}

/// Where condition text fails and why.
///
/// # Examples
///
/// ```
/// use rolegate::condition::Conditions;
/// use rolegate::Catalog;
///
/// let catalog = Catalog::standard();
/// let tools = catalog.resource_type("tools")?;
/// let err = Conditions::parse(&catalog, tools, "status ~ \"x\"").unwrap_err();
/// assert_eq!(err.column(), 8);
/// assert_eq!(
///     err.to_string(),
///     "invalid condition \"status ~ \\\"x\\\"\" at column 8: expected an operator (== != < <= > >= in, not in), found `~`"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid condition {text:?} at column {column}: {kind}")]
pub struct ConditionError {
    pub(crate) text: String,
    pub(crate) offset: usize,
    pub(crate) column: usize,
    pub(crate) kind: ConditionErrorKind,
}

impl ConditionError {
    /// The condition text (shortened if very long).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::Conditions;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let workflows = catalog.resource_type("workflows")?;
    /// let err = Conditions::parse(&catalog, workflows, "priority <= high").unwrap_err();
    /// assert_eq!(err.text(), "priority <= high");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The byte offset in the text where the problem starts.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::Conditions;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let workflows = catalog.resource_type("workflows")?;
    /// let text = r#"environment == "zürich-süd" and prio > 1"#;
    /// let err = Conditions::parse(&catalog, workflows, text).unwrap_err();
    /// assert_eq!(err.offset(), 34);
    /// assert_eq!(text.get(err.offset()..), Some("prio > 1"));
    /// // The column counts characters: `ü` is two bytes, one column.
    /// assert_eq!(err.column(), 33);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The 1-based character column where the problem starts.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::Conditions;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let workflows = catalog.resource_type("workflows")?;
    /// let err = Conditions::parse(&catalog, workflows, "status == subject.team").unwrap_err();
    /// assert_eq!(err.column(), 19);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn column(&self) -> usize {
        self.column
    }

    /// What is wrong there.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::AttrType;
    /// use rolegate::condition::{ConditionErrorKind, Conditions};
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let workflows = catalog.resource_type("workflows")?;
    /// let err = Conditions::parse(&catalog, workflows, "status < 3").unwrap_err();
    /// assert!(matches!(
    ///     err.kind(),
    ///     ConditionErrorKind::TypeMismatch { expected: AttrType::String, .. }
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn kind(&self) -> &ConditionErrorKind {
        &self.kind
    }
}

/// What is wrong in condition text, at a [`ConditionError`]'s column.
///
/// # Examples
///
/// ```
/// use rolegate::condition::{ConditionErrorKind, Conditions};
/// use rolegate::Catalog;
///
/// let catalog = Catalog::standard();
/// let workflows = catalog.resource_type("workflows")?;
/// let err = Conditions::parse(&catalog, workflows, "status == subject.team").unwrap_err();
/// assert_eq!(*err.kind(), ConditionErrorKind::UnknownSubjectField { name: "team".into() });
/// assert_eq!(
///     err.kind().to_string(),
///     r#"unknown subject field "team": expected id, organization or customer"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConditionErrorKind {
    /// The text has something else where `expected` was due.
    #[error("expected {expected}, found {found}")]
    Unexpected {
        /// What the grammar wanted.
        expected: Expected,
        /// What was there (or `end of text`).
        found: String,
    },
    /// A string literal has no closing quote.
    #[error("unterminated string")]
    UnterminatedString,
    /// A string literal holds an unknown or malformed escape.
    #[error("invalid escape {found:?} in string")]
    InvalidEscape {
        /// The escape as written.
        found: String,
    },
    /// An integer literal does not fit in 64 bits.
    #[error("integer {found} does not fit in 64 bits")]
    IntegerOutOfRange {
        /// The digits as written.
        found: String,
    },
    /// The resource type does not declare this attribute.
    #[error("resource type {resource:?} declares no attribute {name:?}")]
    UnknownAttribute {
        /// The attribute named.
        name: String,
        /// The resource type of the rule.
        resource: String,
    },
    /// `subject.` is followed by something other than `id`, `organization`
    /// or `customer`.
    #[error("unknown subject field {name:?}: expected id, organization or customer")]
    UnknownSubjectField {
        /// The field named.
        name: String,
    },
    /// The operator does not apply to the attribute's type.
    #[error("operator `{op}` does not apply to {ty} attribute {attribute:?}")]
    OperatorNotSupported {
        /// The operator.
        op: Op,
        /// The attribute.
        attribute: String,
        /// Its declared type.
        ty: AttrType,
    },
    /// The condition text is longer than
    /// [`MAX_CONDITION_TEXT`](crate::limits::MAX_CONDITION_TEXT) bytes.
    #[error("condition text is {length} bytes long, more than {max}", max = crate::limits::MAX_CONDITION_TEXT)]
    TooLong {
        /// Its length in bytes.
        length: usize,
    },
    /// A string literal is longer than
    /// [`MAX_LITERAL`](crate::limits::MAX_LITERAL) bytes.
    #[error("string literal is longer than {max} bytes", max = crate::limits::MAX_LITERAL)]
    LiteralTooLong,
    /// The text holds more than
    /// [`MAX_CONDITIONS`](crate::limits::MAX_CONDITIONS) comparisons.
    #[error("more than {max} comparisons in one rule", max = crate::limits::MAX_CONDITIONS)]
    TooManyConditions,
    /// An `in` list holds more than
    /// [`MAX_LIST_ITEMS`](crate::limits::MAX_LIST_ITEMS) items.
    #[error("more than {max} items in one list", max = crate::limits::MAX_LIST_ITEMS)]
    TooManyItems,
    /// The value's type is not the attribute's declared type.
    #[error("attribute {attribute:?} is of type {expected}, the value is {found}")]
    TypeMismatch {
        /// The attribute.
        attribute: String,
        /// Its declared type.
        expected: AttrType,
        /// What the value is: `a string`, `subject.id`, `a list`...
        found: String,
    },
}
