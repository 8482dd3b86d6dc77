//! The condition text parser: tokens with byte offsets, then a checked
//! conjunction of comparisons.
//!
//! Grammar (whitespace between tokens is free):
//!
//! ```text
//! conditions := ε | comparison ("and" comparison)*
//! comparison := attribute op operand
//! op         := "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in"
//! operand    := literal | "[" (literal ("," literal)*)? "]" | "subject" "." field
//! literal    := string | integer | "true" | "false"
//! ```

use crate::id::ResourceTypeId;
use crate::limits::{MAX_CONDITION_TEXT, MAX_CONDITIONS, MAX_LIST_ITEMS, MAX_LITERAL};
use crate::text::excerpt;

use super::{
    AttrType, Attributes, Condition, ConditionError, ConditionErrorKind, Conditions, Expected,
    Literal, Op, Operand, SubjectField, is_keyword,
};

#[derive(Clone, Debug, PartialEq)]
enum Tok<'t> {
    Ident(&'t str),
    Str(String),
    Int(i64),
    Cmp(Op),
    LBracket,
    RBracket,
    Comma,
    Dot,
    Other(char),
    End,
}

impl Tok<'_> {
    /// How the token is named in an error message.
    fn describe(&self) -> String {
        match self {
            Self::Ident(w) => format!("`{}`", excerpt(w)),
            Self::Str(_) => "a string".to_owned(),
            Self::Int(i) => format!("`{i}`"),
            Self::Cmp(op) => format!("`{op}`"),
            Self::LBracket => "`[`".to_owned(),
            Self::RBracket => "`]`".to_owned(),
            Self::Comma => "`,`".to_owned(),
            Self::Dot => "`.`".to_owned(),
            Self::Other(c) => format!("`{}`", c.escape_debug()),
            Self::End => "end of text".to_owned(),
        }
    }
}

type Failure = (usize, ConditionErrorKind);

struct Lexer<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Lexer<'t> {
    fn rest(&self) -> &'t str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    /// The next token and its starting byte offset.
    fn next(&mut self) -> Result<(Tok<'t>, usize), Failure> {
        let trimmed = self.rest().trim_start();
        self.pos = self.text.len() - trimmed.len();
        let start = self.pos;
        let mut chars = trimmed.chars();
        let Some(c) = chars.next() else {
            return Ok((Tok::End, start));
        };
        let next = chars.next();
        let (tok, len) = match (c, next) {
            ('"', _) => return self.string(start),
            ('-', Some(d)) if d.is_ascii_digit() => return self.integer(start),
            (d, _) if d.is_ascii_digit() => return self.integer(start),
            (a, _) if a.is_ascii_alphabetic() || a == '_' => {
                let len = trimmed
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(trimmed.len());
                (Tok::Ident(trimmed.get(..len).unwrap_or_default()), len)
            }
            ('=', Some('=')) => (Tok::Cmp(Op::Eq), 2),
            ('!', Some('=')) => (Tok::Cmp(Op::Ne), 2),
            ('<', Some('=')) => (Tok::Cmp(Op::Le), 2),
            ('>', Some('=')) => (Tok::Cmp(Op::Ge), 2),
            ('<', _) => (Tok::Cmp(Op::Lt), 1),
            ('>', _) => (Tok::Cmp(Op::Gt), 1),
            ('[', _) => (Tok::LBracket, 1),
            (']', _) => (Tok::RBracket, 1),
            (',', _) => (Tok::Comma, 1),
            ('.', _) => (Tok::Dot, 1),
            (other, _) => (Tok::Other(other), other.len_utf8()),
        };
        self.pos += len;
        Ok((tok, start))
    }

    fn integer(&mut self, start: usize) -> Result<(Tok<'t>, usize), Failure> {
        let rest = self.rest();
        let sign = usize::from(rest.starts_with('-'));
        let digits = rest
            .get(sign..)
            .unwrap_or_default()
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - sign);
        let literal = rest.get(..sign + digits).unwrap_or_default();
        self.pos += literal.len();
        literal
            .parse::<i64>()
            .map(|i| (Tok::Int(i), start))
            .map_err(|_| {
                (
                    start,
                    ConditionErrorKind::IntegerOutOfRange {
                        found: excerpt(literal),
                    },
                )
            })
    }

    fn string(&mut self, start: usize) -> Result<(Tok<'t>, usize), Failure> {
        let body = self.text.get(start + 1..).unwrap_or_default();
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' if out.len() > MAX_LITERAL => {
                    return Err((start, ConditionErrorKind::LiteralTooLong));
                }
                '"' => {
                    self.pos = start + 1 + i + 1;
                    return Ok((Tok::Str(out), start));
                }
                '\\' => {
                    let at = start + 1 + i;
                    let bad = |len: usize| {
                        let found = self.text.get(at..).unwrap_or_default();
                        let end = found
                            .char_indices()
                            .nth(len)
                            .map_or(found.len(), |(j, _)| j);
                        (
                            at,
                            ConditionErrorKind::InvalidEscape {
                                found: found.get(..end).unwrap_or_default().to_owned(),
                            },
                        )
                    };
                    match chars.next() {
                        Some((_, '"')) => out.push('"'),
                        Some((_, '\\')) => out.push('\\'),
                        Some((_, 'n')) => out.push('\n'),
                        Some((_, 'r')) => out.push('\r'),
                        Some((_, 't')) => out.push('\t'),
                        Some((j, 'u')) => {
                            let tail = body.get(j + 1..).unwrap_or_default();
                            let close = tail.find('}').filter(|&k| tail.starts_with('{') && k <= 7);
                            let scalar = close
                                .and_then(|k| tail.get(1..k))
                                .filter(|hex| {
                                    !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit())
                                })
                                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                                .and_then(char::from_u32);
                            match (close, scalar) {
                                (Some(k), Some(ch)) => {
                                    out.push(ch);
                                    // Skip `{hex}`.
                                    for _ in 0..=k {
                                        chars.next();
                                    }
                                }
                                (Some(k), None) => return Err(bad(k + 3)),
                                (None, _) => return Err(bad(2)),
                            }
                        }
                        Some(_) => return Err(bad(2)),
                        None => break,
                    }
                }
                c => out.push(c),
            }
        }
        Err((start, ConditionErrorKind::UnterminatedString))
    }
}

struct Parser<'t, 'c> {
    catalog: &'c dyn Attributes,
    resource: ResourceTypeId,
    lexer: Lexer<'t>,
}

/// Parses and type-checks `text` as conditions on resources of type
/// `resource`.
pub(crate) fn parse(
    catalog: &dyn Attributes,
    resource: ResourceTypeId,
    text: &str,
) -> Result<Conditions, ConditionError> {
    if text.len() > MAX_CONDITION_TEXT {
        return Err(ConditionError {
            text: excerpt(text),
            offset: 0,
            column: 1,
            kind: ConditionErrorKind::TooLong { length: text.len() },
        });
    }
    let mut parser = Parser {
        catalog,
        resource,
        lexer: Lexer { text, pos: 0 },
    };
    parser.conditions().map_err(|(offset, kind)| {
        let column = text.get(..offset).map_or(0, |t| t.chars().count()) + 1;
        ConditionError {
            text: excerpt(text),
            offset,
            column,
            kind,
        }
    })
}

fn unexpected(at: usize, expected: Expected, found: &Tok<'_>) -> Failure {
    (
        at,
        ConditionErrorKind::Unexpected {
            expected,
            found: found.describe(),
        },
    )
}

impl Parser<'_, '_> {
    fn conditions(&mut self) -> Result<Conditions, Failure> {
        let mut out = Vec::new();
        let save = self.lexer.pos;
        if self.lexer.next()?.0 == Tok::End {
            return Ok(Conditions::none());
        }
        self.lexer.pos = save;
        loop {
            if out.len() == MAX_CONDITIONS {
                return Err((self.lexer.pos, ConditionErrorKind::TooManyConditions));
            }
            out.push(self.comparison()?);
            match self.lexer.next()? {
                (Tok::End, _) => return Ok(Conditions(out.into())),
                (Tok::Ident("and"), _) => {}
                (other, at) => return Err(unexpected(at, Expected::AndOrEnd, &other)),
            }
        }
    }

    fn comparison(&mut self) -> Result<Condition, Failure> {
        let (name, name_at) = match self.lexer.next()? {
            (Tok::Ident(w), at) if !is_keyword(w) => (w, at),
            (other, at) => return Err(unexpected(at, Expected::Attribute, &other)),
        };
        let declared = self.catalog.declared(self.resource, name);
        let Some((attribute, ty)) = declared else {
            return Err((
                name_at,
                ConditionErrorKind::UnknownAttribute {
                    name: excerpt(name),
                    resource: self
                        .catalog
                        .type_name(self.resource)
                        .map_or_else(|| self.resource.to_string(), str::to_owned),
                },
            ));
        };

        let (op, op_at) = match self.lexer.next()? {
            (Tok::Cmp(op), at) => (op, at),
            (Tok::Ident("in"), at) => (Op::In, at),
            (Tok::Ident("not"), at) => match self.lexer.next()? {
                (Tok::Ident("in"), _) => (Op::NotIn, at),
                (other, at) => return Err(unexpected(at, Expected::InAfterNot, &other)),
            },
            (other, at) => {
                return Err(unexpected(at, Expected::Operator, &other));
            }
        };
        let supported = match op {
            Op::Eq | Op::Ne => true,
            Op::Lt | Op::Le | Op::Gt | Op::Ge => matches!(ty, AttrType::String | AttrType::Integer),
            Op::In | Op::NotIn => {
                matches!(ty, AttrType::String | AttrType::Integer | AttrType::Boolean)
            }
        };
        if !supported {
            return Err((
                op_at,
                ConditionErrorKind::OperatorNotSupported {
                    op,
                    attribute: name.to_owned(),
                    ty,
                },
            ));
        }

        let mismatch = |at: usize, found: &str| {
            (
                at,
                ConditionErrorKind::TypeMismatch {
                    attribute: name.to_owned(),
                    expected: ty,
                    found: found.to_owned(),
                },
            )
        };
        let operand = if matches!(op, Op::In | Op::NotIn) {
            match self.lexer.next()? {
                (Tok::LBracket, _) => {}
                (other, at) => return Err(unexpected(at, Expected::List, &other)),
            }
            let mut items = Vec::new();
            let save = self.lexer.pos;
            if self.lexer.next()?.0 != Tok::RBracket {
                self.lexer.pos = save;
                loop {
                    if items.len() == MAX_LIST_ITEMS {
                        return Err((self.lexer.pos, ConditionErrorKind::TooManyItems));
                    }
                    let (literal, at) = self.literal()?;
                    if literal.attr_type() != ty {
                        return Err(mismatch(at, literal_kind(&literal)));
                    }
                    items.push(literal);
                    match self.lexer.next()? {
                        (Tok::Comma, _) => {}
                        (Tok::RBracket, _) => break,
                        (other, at) => {
                            return Err(unexpected(at, Expected::CommaOrBracket, &other));
                        }
                    }
                }
            }
            Operand::List(items.into())
        } else {
            let save = self.lexer.pos;
            match self.lexer.next()? {
                (Tok::Ident("subject"), at) => {
                    match self.lexer.next()? {
                        (Tok::Dot, _) => {}
                        (other, at) => {
                            return Err(unexpected(at, Expected::DotAfterSubject, &other));
                        }
                    }
                    let field = match self.lexer.next()? {
                        (Tok::Ident("id"), _) => SubjectField::Id,
                        (Tok::Ident("organization"), _) => SubjectField::Organization,
                        (Tok::Ident("customer"), _) => SubjectField::Customer,
                        (Tok::Ident(other), at) => {
                            return Err((
                                at,
                                ConditionErrorKind::UnknownSubjectField {
                                    name: excerpt(other),
                                },
                            ));
                        }
                        (other, at) => {
                            return Err(unexpected(at, Expected::SubjectField, &other));
                        }
                    };
                    if field.attr_type() != ty {
                        return Err(mismatch(at, field.as_str()));
                    }
                    Operand::Subject(field)
                }
                (Tok::LBracket, at) => {
                    return Err(unexpected(at, Expected::SingleValue, &Tok::LBracket));
                }
                _ => {
                    self.lexer.pos = save;
                    let (literal, at) = self.literal()?;
                    if literal.attr_type() != ty {
                        return Err(mismatch(at, literal_kind(&literal)));
                    }
                    Operand::Literal(literal)
                }
            }
        };
        Ok(Condition {
            attribute,
            op,
            operand,
        })
    }

    fn literal(&mut self) -> Result<(Literal, usize), Failure> {
        match self.lexer.next()? {
            (Tok::Str(s), at) => Ok((Literal::String(s.into()), at)),
            (Tok::Int(i), at) => Ok((Literal::Integer(i), at)),
            (Tok::Ident("true"), at) => Ok((Literal::Boolean(true), at)),
            (Tok::Ident("false"), at) => Ok((Literal::Boolean(false), at)),
            (other, at) => Err(unexpected(at, Expected::Value, &other)),
        }
    }
}

fn literal_kind(literal: &Literal) -> &'static str {
    match literal {
        Literal::String(_) => "a string",
        Literal::Integer(_) => "an integer",
        Literal::Boolean(_) => "a boolean",
    }
}
