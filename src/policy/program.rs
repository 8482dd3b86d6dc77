//! Conditions and grants in the id-based form checks run on.

use crate::condition::AttrType;
use crate::condition::{Condition, Literal, Op, Operand, SubjectField};
use crate::id::{AttributeId, PermissionId};
use crate::rule::MustMatch;

use super::RuleRef;

/// Bits of an accepted ordering: which of `value.cmp(literal)` pass.
pub(crate) const LESS: u8 = 1;
pub(crate) const EQUAL: u8 = 2;
pub(crate) const GREATER: u8 = 4;

/// A comparison specialised to the attribute's type.
#[derive(Clone, Debug)]
pub(crate) enum Check {
    /// `==` (`equal`) or `!=` on strings: lengths compare first.
    StrEq {
        equal: bool,
        value: Box<str>,
    },
    /// An ordering operator on strings.
    Str {
        accept: u8,
        value: Box<str>,
    },
    Int {
        accept: u8,
        value: i64,
    },
    /// `==` (`equal`) or `!=` on booleans.
    Bool {
        equal: bool,
        value: bool,
    },
    /// `in` (or `not in`, `negate`) on strings; `values` sorted, no
    /// duplicates.
    StrIn {
        negate: bool,
        values: Box<[Box<str>]>,
    },
    /// `in` (or `not in`) on integers; `values` sorted, no duplicates.
    IntIn {
        negate: bool,
        values: Box<[i64]>,
    },
    BoolIn {
        negate: bool,
        values: Box<[bool]>,
    },
    Subject {
        equal: bool,
        field: SubjectField,
    },
}

/// One compiled comparison on a resource attribute.
#[derive(Clone, Debug)]
pub(crate) struct Test {
    pub(crate) attribute: AttributeId,
    pub(crate) check: Check,
}

/// One compiled rule for one permission: what the slow path of a check runs.
#[derive(Clone, Debug)]
pub(crate) struct Clause {
    pub(crate) permission: PermissionId,
    pub(crate) must_match: MustMatch,
    /// This grant's tests: a range of the role's test list.
    pub(crate) tests: TestRange,
    pub(crate) origin: RuleRef,
}

/// A range of a compiled role's test list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TestRange {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl TestRange {
    pub(crate) fn is_empty(self) -> bool {
        self.start >= self.end
    }
}

impl Test {
    /// Heap bytes the test's literals hold.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.check.heap_bytes()
    }
}

impl Check {
    /// Heap bytes the check's literals hold.
    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Check::Str { value, .. } | Check::StrEq { value, .. } => value.len(),
            Check::StrIn { values, .. } => {
                values.len() * size_of::<Box<str>>() + values.iter().map(|v| v.len()).sum::<usize>()
            }
            Check::IntIn { values, .. } => values.len() * 8,
            Check::BoolIn { values, .. } => values.len(),
            Check::Int { .. } | Check::Bool { .. } | Check::Subject { .. } => 0,
        }
    }
}

fn accept(op: Op) -> u8 {
    match op {
        Op::Eq | Op::In => EQUAL,
        Op::Ne | Op::NotIn => LESS | GREATER,
        Op::Lt => LESS,
        Op::Le => LESS | EQUAL,
        Op::Gt => GREATER,
        Op::Ge => GREATER | EQUAL,
    }
}

/// Compiles one validated condition on an attribute of type `ty`; `None`
/// when the condition does not fit the type (it was validated, so only a
/// rule of another catalog could), and the caller drops the whole rule.
pub(crate) fn compile_condition(condition: &Condition, ty: AttrType) -> Option<Test> {
    let op = condition.op;
    let negate = op == Op::NotIn;
    let check = match &condition.operand {
        Operand::Literal(Literal::String(s)) if matches!(op, Op::Eq | Op::Ne) => Check::StrEq {
            equal: op == Op::Eq,
            value: s.clone(),
        },
        Operand::Literal(Literal::String(s)) => Check::Str {
            accept: accept(op),
            value: s.clone(),
        },
        Operand::Literal(Literal::Integer(i)) => Check::Int {
            accept: accept(op),
            value: *i,
        },
        // Booleans take `==` and `!=` only (checked when parsed).
        Operand::Literal(Literal::Boolean(b)) => Check::Bool {
            equal: op == Op::Eq,
            value: *b,
        },
        Operand::Subject(field) => Check::Subject {
            equal: op == Op::Eq,
            field: *field,
        },
        // A list holds literals of the attribute's type; the type, not the
        // first item, picks the representation, so that an empty list still
        // type-checks values at check time. An item of another type fails
        // the whole condition: skipping it would widen `not in`.
        Operand::List(items) => match ty {
            AttrType::Integer => Check::IntIn {
                negate,
                values: all_items(items, Literal::integer)?,
            },
            AttrType::Boolean => Check::BoolIn {
                negate,
                values: all_items(items, Literal::boolean)?,
            },
            AttrType::String => Check::StrIn {
                negate,
                values: all_items(items, Literal::string)?,
            },
            AttrType::User | AttrType::Organization | AttrType::Customer => return None,
        },
    };
    Some(Test {
        attribute: condition.attribute,
        check,
    })
}

/// Every item of a list converted by `item`, sorted and without
/// duplicates (so that a check can search it), or `None` if one does not
/// convert.
fn all_items<T: Ord>(items: &[Literal], item: impl Fn(&Literal) -> Option<T>) -> Option<Box<[T]>> {
    let mut values: Vec<T> = items.iter().map(item).collect::<Option<_>>()?;
    values.sort_unstable();
    values.dedup();
    Some(values.into())
}
