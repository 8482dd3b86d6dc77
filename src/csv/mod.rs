//! CSV export and import of roles ([semantics](crate::semantics) §13), with RFC 4180 quoting.
//!
//! One row per rule: `Role name,Resource,Action,Conditions,Must Match`, the
//! conditions in canonical text and the must-match keys joined by `;`. A
//! role without rules is one row with empty resource and action. Any cell a
//! spreadsheet could run as a formula (its first visible character `=`, `+`,
//! `-` or `@` once in NFKC form, fullwidth and small forms included, or a
//! leading tab or carriage return) is written with a leading `'`; so is a
//! cell that starts with `'`, and import removes exactly one leading `'`, so
//! every value survives the trip. A file is at most
//! [`MAX_CSV_BYTES`] long and
//! [`MAX_CSV_ROWS`] rows; lines are counted with
//! `\r\n`, `\n` and a bare `\r` each as one break.

use std::borrow::Cow;
use std::fmt;
use std::io;

use crate::catalog::{Catalog, NameError, RuleError};
use crate::condition::ConditionError;
use hashbrown::HashMap;

use crate::id::OrgId;
use crate::limits::{MAX_CSV_BYTES, MAX_CSV_ROWS};
use crate::role::{Role, RoleError, SystemRole};
use crate::rule::{MustMatch, MustMatchError, Rule};
use crate::text::excerpt;

/// The header of a roles file.
pub const HEADER: [&str; 5] = [
    "Role name",
    "Resource",
    "Action",
    "Conditions",
    "Must Match",
];

/// A cell made safe for a spreadsheet: one a spreadsheet could read as a
/// formula gets a leading `'`.
fn neutralise(cell: &str) -> Cow<'_, str> {
    if is_formula_like(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Whether a spreadsheet could take `cell` for a formula: its first
/// character that is neither whitespace nor invisible is, once in NFKC form,
/// `=`, `+`, `-` or `@` (so the fullwidth `＝` and the small-form `﹦` count);
/// or it starts with a tab, a carriage return or `'` (which import strips).
fn is_formula_like(cell: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    if cell.starts_with(['\t', '\r', '\'']) {
        return true;
    }
    let first = cell
        .chars()
        .find(|&c| !c.is_whitespace() && !crate::name::is_forbidden(c));
    first.is_some_and(|c| {
        std::iter::once(c)
            .nfkc()
            .next()
            .is_some_and(|n| matches!(n, '=' | '+' | '-' | '@'))
    })
}

/// Line numbers of byte offsets in a text, counting `\r\n`, `\n` and a bare
/// `\r` each as one line break, as spreadsheets write them. Offsets are
/// asked in increasing order, so the whole file is scanned once.
struct Lines<'t> {
    text: &'t [u8],
    at: usize,
    line: u64,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of the row starting at byte `offset`. The reader
    /// may place a row's start on the line break before it (the `\n` of a
    /// `\r\n`), so breaks at the offset are passed over first.
    fn line_of(&mut self, offset: u64) -> u64 {
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while matches!(self.text.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        while self.at < offset {
            match self.text.get(self.at) {
                Some(b'\n') => self.line += 1,
                Some(b'\r') if self.text.get(self.at + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
            self.at += 1;
        }
        self.line
    }
}

/// A cell as it was before [`neutralise`].
fn restore(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// Why a roles file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("could not write the roles file")]
pub struct WriteError(#[source] io::Error);

/// Writes `roles` as a roles file: the header, then one row per rule (one
/// row with empty resource and action for a role without rules).
///
/// # Errors
///
/// [`WriteError`] when `out` fails.
///
/// # Examples
///
/// ```
/// use rolegate::csv::{read_roles, write_roles};
/// use rolegate::{Catalog, OrgId, Role, Rule};
///
/// let catalog = Catalog::standard();
/// let read = Rule::builder(&catalog, "workflows", "read").build()?;
/// let role = Role::custom(OrgId::new(1), "Reader", [read])?;
/// let mut out = Vec::new();
/// write_roles(&catalog, [&role], &mut out)?;
/// let text = String::from_utf8(out)?;
/// assert_eq!(text, "Role name,Resource,Action,Conditions,Must Match\nReader,workflows,read,,organization\n");
/// assert_eq!(read_roles(&catalog, OrgId::new(1), &text)?, [role]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_roles<'r, W: io::Write>(
    catalog: &Catalog,
    roles: impl IntoIterator<Item = &'r Role>,
    out: W,
) -> Result<(), WriteError> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(out);
    let error = |e: ::csv::Error| WriteError(io::Error::other(e.to_string()));
    writer.write_record(HEADER).map_err(error)?;
    for role in roles {
        let name = neutralise(role.name());
        if role.rules().is_empty() {
            writer
                .write_record([&*name, "", "", "", ""])
                .map_err(error)?;
        }
        for rule in role.rules() {
            let resource = catalog
                .resource_type_name(rule.resource_type())
                .unwrap_or_default();
            let action = catalog.action_name(rule.action()).unwrap_or_default();
            let conditions = rule.conditions().display(catalog).to_string();
            let must_match = rule.must_match().to_string();
            writer
                .write_record([
                    &*name,
                    &neutralise(resource),
                    &neutralise(action),
                    &neutralise(&conditions),
                    &neutralise(&must_match),
                ])
                .map_err(error)?;
        }
    }
    writer.flush().map_err(WriteError)
}

/// One problem in a roles file, where it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {kind}")]
pub struct ReadProblem {
    line: u64,
    column: usize,
    kind: ReadProblemKind,
}

impl ReadProblem {
    /// The 1-based line where the problem's row starts.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::csv::read_roles;
    /// use rolegate::{Catalog, OrgId};
    ///
    /// let csv = "Role name,Resource,Action,Conditions,Must Match\n\
    ///            Editor,workflows,read,,organization\n\
    ///            Editor,workflows,fly,,organization\n";
    /// let err = read_roles(&Catalog::standard(), OrgId::new(1), csv).unwrap_err();
    /// assert_eq!(err.problems().first().map(|p| p.line()), Some(3));
    /// ```
    #[must_use]
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The 1-based column (field) of the problem, 0 for the whole row.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::csv::read_roles;
    /// use rolegate::{Catalog, OrgId};
    ///
    /// let csv = "Role name,Resource,Action,Conditions,Must Match\n\
    ///            Editor,workflows,read,,tenant\n\
    ///            Editor,workflows\n";
    /// let err = read_roles(&Catalog::standard(), OrgId::new(1), csv).unwrap_err();
    /// let columns: Vec<usize> = err.problems().iter().map(|p| p.column()).collect();
    /// assert_eq!(columns, [5, 0], "the must-match cell, then the whole row");
    /// ```
    #[must_use]
    pub fn column(&self) -> usize {
        self.column
    }

    /// What the problem is.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::csv::{read_roles, ReadProblemKind};
    /// use rolegate::{Catalog, OrgId};
    ///
    /// let csv = "Role name,Resource,Action,Conditions,Must Match\n\
    ///            Editor,workflows\n";
    /// let err = read_roles(&Catalog::standard(), OrgId::new(1), csv).unwrap_err();
    /// let kind = err.problems().first().map(|p| p.kind());
    /// assert_eq!(kind, Some(&ReadProblemKind::FieldCount { found: 2 }));
    /// ```
    #[must_use]
    pub fn kind(&self) -> &ReadProblemKind {
        &self.kind
    }
}

/// What is wrong at an [`ReadProblem`]'s place.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadProblemKind {
    /// The text is not valid CSV there.
    #[error("malformed CSV: {message}")]
    Malformed {
        /// What the parser said.
        message: String,
    },
    /// The first row is not the header.
    #[error("expected the header `Role name,Resource,Action,Conditions,Must Match`")]
    Header,
    /// A row does not have five fields.
    #[error("expected 5 fields, found {found}")]
    FieldCount {
        /// How many there were.
        found: usize,
    },
    /// The role name is not a valid custom role name.
    #[error(transparent)]
    RoleName(RoleError),
    /// One of resource and action is empty, not both.
    #[error("resource and action must both be given, or both be empty for a role without rules")]
    HalfRule,
    /// The resource type or action is unknown, or the action does not apply
    /// to the type.
    #[error(transparent)]
    Name(NameError),
    /// The permission is built in: no role can grant it.
    #[error("permission {permission:?} is built in and cannot be granted by a rule")]
    NotGrantable {
        /// The permission, `resource.action`.
        permission: String,
    },
    /// The conditions do not parse or type-check.
    #[error(transparent)]
    Condition(ConditionError),
    /// The must-match cell names an unknown key.
    #[error(transparent)]
    MustMatch(MustMatchError),
    /// The file is larger than [`MAX_CSV_BYTES`].
    #[error("the file is {bytes} bytes long, more than {max}", max = crate::limits::MAX_CSV_BYTES)]
    TooLarge {
        /// Its length in bytes.
        bytes: usize,
    },
    /// The file has more than [`MAX_CSV_ROWS`]
    /// rows; reading stopped at the first row beyond.
    #[error("the file has more than {max} rows", max = crate::limits::MAX_CSV_ROWS)]
    TooManyRows,
    /// A row of a system role does not match one of that role's rules.
    #[error("system role {role} has no such rule; its rows are checked, not imported")]
    SystemRoleMismatch {
        /// The system role.
        role: String,
    },
}

/// A roles file was rejected: every problem found, each with its line and
/// column. Nothing was imported.
///
/// # Examples
///
/// ```
/// use rolegate::csv::read_roles;
/// use rolegate::{Catalog, OrgId};
///
/// let csv = "Role name,Resource,Action,Conditions,Must Match\n\
///            Editor,workflows,fly,,organization\n\
///            Editor,rockets,read,,organization\n";
/// let err = read_roles(&Catalog::standard(), OrgId::new(1), csv).unwrap_err();
/// let places: Vec<(u64, usize)> = err.problems().iter().map(|p| (p.line(), p.column())).collect();
/// assert_eq!(places, [(2, 3), (3, 2)]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ReadError {
    problems: Vec<ReadProblem>,
}

impl ReadError {
    /// Every problem, in file order.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::csv::read_roles;
    /// use rolegate::{Catalog, OrgId};
    ///
    /// let csv = "Role name,Resource,Action,Conditions,Must Match\n\
    ///            Editor,rockets,read,,organization\n\
    ///            Editor,workflows,read,,organization\n\
    ///            Editor,workflows,update,,tenant\n";
    /// let err = read_roles(&Catalog::standard(), OrgId::new(1), csv).unwrap_err();
    /// let lines: Vec<u64> = err.problems().iter().map(|p| p.line()).collect();
    /// assert_eq!(lines, [2, 4], "every bad row, in file order");
    /// ```
    #[must_use]
    pub fn problems(&self) -> &[ReadProblem] {
        &self.problems
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 10;
        write!(f, "the roles file has {} problem(s)", self.problems.len())?;
        for (i, p) in self.problems.iter().take(SHOWN).enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{p}")?;
        }
        if self.problems.len() > SHOWN {
            write!(f, "; and {} more", self.problems.len() - SHOWN)?;
        }
        Ok(())
    }
}

/// A rule error as a problem of its row, with the column it points at.
fn rule_problem(error: RuleError) -> (usize, ReadProblemKind) {
    match error {
        RuleError::Name(
            e @ (NameError::UnknownAction { .. } | NameError::NotApplicable { .. }),
        ) => (3, ReadProblemKind::Name(e)),
        RuleError::Name(e) => (2, ReadProblemKind::Name(e)),
        RuleError::NotGrantable { permission } => (2, ReadProblemKind::NotGrantable { permission }),
        RuleError::Condition(e) => (4, ReadProblemKind::Condition(e)),
    }
}

/// Reads a roles file into the custom roles of `organization` it
/// describes, checking every row: names, resources, actions, conditions,
/// must-match keys, and the rows of system roles against those roles.
///
/// Rows are grouped into roles by name, compared as names are
/// ([semantics](crate::semantics) §8.1); a
/// role's name is spelled as in its first row. A row with empty resource and
/// action stands for a role without rules.
///
/// # Errors
///
/// An [`ReadError`] listing every problem with its line and column.
///
/// # Examples
///
/// ```
/// use rolegate::csv::read_roles;
/// use rolegate::{Catalog, OrgId};
///
/// let csv = "Role name,Resource,Action,Conditions,Must Match\n\
///            Editor,workflows,update,\"status != \"\"archived\"\"\",organization;team\n\
///            Viewer,workflows,read,,organization\n";
/// let roles = read_roles(&Catalog::standard(), OrgId::new(1), csv)?;
/// assert_eq!(roles.len(), 1, "the Viewer row is checked, not imported");
/// assert_eq!(roles[0].name(), "Editor");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_roles(
    catalog: &Catalog,
    organization: OrgId,
    text: &str,
) -> Result<Vec<Role>, ReadError> {
    if text.len() > MAX_CSV_BYTES {
        return Err(ReadError {
            problems: vec![ReadProblem {
                line: 0,
                column: 0,
                kind: ReadProblemKind::TooLarge { bytes: text.len() },
            }],
        });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Lines::new(text);
    let mut rows = 0usize;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut problems = Vec::new();
    // Roles in the order of their first row, and where each is by name key.
    let mut roles: Vec<(String, Vec<Rule>)> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut header_seen = false;
    let mut record = ::csv::StringRecord::new();
    loop {
        let start = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = lines.line_of(e.position().map_or(start, ::csv::Position::byte));
                problems.push(ReadProblem {
                    line,
                    column: 0,
                    kind: ReadProblemKind::Malformed {
                        message: excerpt(&e.to_string()),
                    },
                });
                // A malformed row cannot be read past reliably.
                break;
            }
        }
        let line = lines.line_of(record.position().map_or(start, ::csv::Position::byte));
        rows += 1;
        if rows > MAX_CSV_ROWS {
            problems.push(ReadProblem {
                line,
                column: 0,
                kind: ReadProblemKind::TooManyRows,
            });
            break;
        }
        let mut problem = |column, kind| {
            problems.push(ReadProblem { line, column, kind });
        };
        if !header_seen {
            header_seen = true;
            let found: Vec<&str> = record.iter().map(str::trim).collect();
            if found != HEADER {
                problem(0, ReadProblemKind::Header);
                break;
            }
            continue;
        }
        if record.len() != HEADER.len() {
            problem(
                0,
                ReadProblemKind::FieldCount {
                    found: record.len(),
                },
            );
            continue;
        }
        let cell = |i: usize| restore(record.get(i).unwrap_or_default());
        let name = cell(0).trim();
        let (resource, action) = (cell(1).trim(), cell(2).trim());
        let must_match = match cell(4).parse::<MustMatch>() {
            Ok(keys) => Some(keys),
            Err(e) => {
                problem(5, ReadProblemKind::MustMatch(e));
                None
            }
        };
        let rule = match (resource.is_empty(), action.is_empty()) {
            (true, true) => None,
            (false, false) => {
                let built = Rule::builder(catalog, resource, action)
                    .must_match(must_match.unwrap_or(MustMatch::ORGANIZATION))
                    .conditions(cell(3))
                    .build();
                match built {
                    Ok(rule) => Some(rule),
                    Err(e) => {
                        let (column, kind) = rule_problem(e);
                        problem(column, kind);
                        continue;
                    }
                }
            }
            _ => {
                problem(
                    if resource.is_empty() { 2 } else { 3 },
                    ReadProblemKind::HalfRule,
                );
                continue;
            }
        };
        if must_match.is_none() {
            continue;
        }
        if let Some(system) = SystemRole::from_name(name) {
            let held = Role::system(catalog, system);
            // An empty row stands for a system role without rules (in a
            // catalog that gives it none).
            let mismatch = match &rule {
                None => !held.rules().is_empty(),
                Some(r) => !held.rules().contains(r),
            };
            if mismatch {
                problem(
                    2,
                    ReadProblemKind::SystemRoleMismatch {
                        role: system.name().to_owned(),
                    },
                );
            }
            continue;
        }
        let name = match Role::validate_name(name) {
            Ok(name) => name,
            Err(e) => {
                problem(1, ReadProblemKind::RoleName(e));
                continue;
            }
        };
        let at = *by_key.entry(crate::name::key(name)).or_insert_with(|| {
            roles.push((name.to_owned(), Vec::new()));
            roles.len() - 1
        });
        if let Some((_, rules)) = roles.get_mut(at) {
            rules.extend(rule);
        }
    }
    if !header_seen && problems.is_empty() {
        problems.push(ReadProblem {
            line: 1,
            column: 0,
            kind: ReadProblemKind::Header,
        });
    }
    if !problems.is_empty() {
        return Err(ReadError { problems });
    }
    roles
        .into_iter()
        .map(|(name, rules)| Role::custom(organization, &name, rules))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ReadError {
            problems: vec![ReadProblem {
                line: 0,
                column: 1,
                kind: ReadProblemKind::RoleName(e),
            }],
        })
}
