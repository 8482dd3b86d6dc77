//! A filter as a SQL `WHERE` fragment with bind parameters, for SQLite and
//! PostgreSQL.

use std::fmt::Write as _;

use super::{Clause, Comparison, Filter, Test, Value};
use crate::catalog::{AttrType, Catalog};
use crate::id::AttributeId;

/// The SQL dialect a filter is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// SQLite: `?` placeholders. Columns hold any type, so each comparison
    /// also checks the value's storage class (`typeof`), and booleans are
    /// the integers 0 and 1.
    ///
    /// In both, strings are compared byte by byte as `can` compares them
    /// (`COLLATE BINARY`, `COLLATE "C"`), whatever the column's collation.
    Sqlite,
    /// PostgreSQL: `$1`, `$2`... placeholders and typed columns (`text`,
    /// `bigint`, `boolean`).
    Postgres,
}

/// Which column holds each field of a resource: the host's table, in the
/// host's words. Names are written into the SQL as they are given: they
/// are the host's own identifiers, never user input.
///
/// # Examples
///
/// ```
/// use rolegate::filter::Columns;
/// use rolegate::Catalog;
///
/// let catalog = Catalog::standard();
/// let columns = Columns::new("org_id")
///     .team("team_id")
///     .owner("owner_id")
///     .attribute(catalog.attribute("status")?, "status");
/// assert_eq!(columns.organization_column(), "org_id");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Columns {
    organization: String,
    customer: Option<String>,
    team: Option<String>,
    owner: Option<String>,
    attributes: Vec<(AttributeId, String)>,
}

impl Columns {
    /// A mapping whose organization column is `organization`.
    #[must_use]
    pub fn new(organization: &str) -> Self {
        Self {
            organization: organization.to_owned(),
            ..Self::default()
        }
    }

    /// The column of the resource's customer.
    #[must_use]
    pub fn customer(mut self, column: &str) -> Self {
        self.customer = Some(column.to_owned());
        self
    }

    /// The column of the resource's team.
    #[must_use]
    pub fn team(mut self, column: &str) -> Self {
        self.team = Some(column.to_owned());
        self
    }

    /// The column of the resource's owner.
    #[must_use]
    pub fn owner(mut self, column: &str) -> Self {
        self.owner = Some(column.to_owned());
        self
    }

    /// The column of an attribute.
    #[must_use]
    pub fn attribute(mut self, attribute: AttributeId, column: &str) -> Self {
        match self.attributes.iter_mut().find(|(a, _)| *a == attribute) {
            Some(slot) => column.clone_into(&mut slot.1),
            None => self.attributes.push((attribute, column.to_owned())),
        }
        self
    }

    /// The organization column.
    #[must_use]
    pub fn organization_column(&self) -> &str {
        &self.organization
    }

    fn attribute_column(&self, attribute: AttributeId) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(a, _)| *a == attribute)
            .map(|(_, c)| c.as_str())
    }
}

/// A bind parameter of a rendered filter.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SqlValue {
    /// Text.
    Text(String),
    /// A 64-bit integer: integers, ids, and in SQLite booleans (0 or 1).
    Integer(i64),
    /// A boolean (PostgreSQL).
    Boolean(bool),
}

/// A rendered filter: the `WHERE` fragment and its parameters in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlFilter {
    /// The fragment, to be put after `WHERE` or joined with `AND`; always
    /// parenthesised.
    pub sql: String,
    /// The values of its placeholders, in order.
    pub params: Vec<SqlValue>,
}

/// Why a filter could not be rendered: nothing is rendered wider or
/// narrower than the filter.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SqlError {
    /// The filter compares an attribute the mapping has no column for.
    #[error("no column for attribute {name:?}")]
    NoAttributeColumn {
        /// The attribute's name.
        name: String,
    },
    /// The filter needs the resource's customer, team or owner, and the
    /// mapping has no column for it.
    #[error("no column for the resource's {field}")]
    NoKeyColumn {
        /// `customer`, `team` or `owner`.
        field: &'static str,
    },
    /// An id above `i64::MAX`, which a SQL integer cannot hold.
    #[error("id {id} does not fit a SQL integer")]
    IdOutOfRange {
        /// The id.
        id: u64,
    },
}

/// Placeholders and parameters as they are written.
struct Writer<'c> {
    dialect: Dialect,
    columns: &'c Columns,
    catalog: &'c Catalog,
    sql: String,
    params: Vec<SqlValue>,
}

fn id(value: u64) -> Result<SqlValue, SqlError> {
    i64::try_from(value)
        .map(SqlValue::Integer)
        .map_err(|_| SqlError::IdOutOfRange { id: value })
}

impl Writer<'_> {
    fn param(&mut self, value: SqlValue) {
        self.params.push(value);
        match self.dialect {
            Dialect::Sqlite => self.sql.push('?'),
            Dialect::Postgres => {
                let _ = write!(self.sql, "${}", self.params.len());
            }
        }
    }

    fn value(&self, value: &Value) -> Result<SqlValue, SqlError> {
        Ok(match value {
            Value::String(s) => SqlValue::Text(s.to_string()),
            Value::Integer(i) => SqlValue::Integer(*i),
            Value::Boolean(b) => match self.dialect {
                Dialect::Sqlite => SqlValue::Integer(i64::from(*b)),
                Dialect::Postgres => SqlValue::Boolean(*b),
            },
            Value::User(u) => id(u.get())?,
            Value::Organization(o) => id(o.get())?,
            Value::Customer(c) => id(c.get())?,
        })
    }

    /// Placeholders for `values`, comma-separated, and the closing `)` of
    /// the list they end.
    fn params_list(&mut self, values: Vec<SqlValue>) {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.param(v);
        }
        self.sql.push(')');
    }

    /// `column = ?`, for a key column (an integer id, never NULL-equal).
    fn key(&mut self, column: &str, value: u64) -> Result<(), SqlError> {
        let value = id(value)?;
        let _ = write!(self.sql, "{column} = ");
        self.param(value);
        Ok(())
    }

    /// The guard that the column holds a value of `ty`: a NULL (a missing
    /// attribute) or a value of another type fails every comparison.
    fn guard(&mut self, column: &str, ty: AttrType) {
        match self.dialect {
            Dialect::Sqlite => {
                let class = match ty {
                    AttrType::String => "text",
                    _ => "integer",
                };
                let _ = write!(self.sql, "typeof({column}) = '{class}'");
                if ty == AttrType::Boolean {
                    let _ = write!(self.sql, " AND {column} IN (0, 1)");
                }
            }
            Dialect::Postgres => {
                let _ = write!(self.sql, "{column} IS NOT NULL");
            }
        }
    }

    /// The collation string comparisons are made in: bytes, as `can`
    /// compares them, whatever the column's own collation (a
    /// case-insensitive or language-ordered one would widen `=` or reorder
    /// `<`).
    fn collate(&self, ty: AttrType) -> &'static str {
        match (self.dialect, ty) {
            (Dialect::Sqlite, AttrType::String) => " COLLATE BINARY",
            (Dialect::Postgres, AttrType::String) => " COLLATE \"C\"",
            _ => "",
        }
    }

    fn test(&mut self, test: &Test) -> Result<(), SqlError> {
        let column = self
            .columns
            .attribute_column(test.attribute)
            .ok_or_else(|| SqlError::NoAttributeColumn {
                name: self
                    .catalog
                    .attribute_name(test.attribute)
                    .map_or_else(|| test.attribute.to_string(), str::to_owned),
            })?
            .to_owned();
        let (op, value) = match &test.comparison {
            Comparison::Eq(v) => ("=", v),
            Comparison::Ne(v) => ("<>", v),
            Comparison::Lt(v) => ("<", v),
            Comparison::Le(v) => ("<=", v),
            Comparison::Gt(v) => (">", v),
            Comparison::Ge(v) => (">=", v),
            Comparison::In { ty, values } | Comparison::NotIn { ty, values } => {
                let negate = matches!(test.comparison, Comparison::NotIn { .. });
                return self.list(&column, *ty, values, negate);
            }
        };
        let ty = value.attr_type();
        self.sql.push('(');
        self.guard(&column, ty);
        let collate = self.collate(ty);
        let _ = write!(self.sql, " AND {column}{collate} {op} ");
        let value = self.value(value)?;
        self.param(value);
        self.sql.push(')');
        Ok(())
    }

    fn list(
        &mut self,
        column: &str,
        ty: AttrType,
        values: &[Value],
        negate: bool,
    ) -> Result<(), SqlError> {
        self.sql.push('(');
        self.guard(column, ty);
        if values.is_empty() {
            // `in []` holds for nothing; `not in []` for any value of the type.
            if !negate {
                self.sql.push_str(" AND FALSE");
            }
        } else {
            let collate = self.collate(ty);
            let _ = write!(
                self.sql,
                " AND {column}{collate} {}IN (",
                if negate { "NOT " } else { "" }
            );
            let values = values
                .iter()
                .map(|v| self.value(v))
                .collect::<Result<Vec<_>, _>>()?;
            self.params_list(values);
        }
        self.sql.push(')');
        Ok(())
    }

    fn clause(&mut self, clause: &Clause) -> Result<(), SqlError> {
        let mut parts = 0;
        let mut and = |w: &mut Self| {
            if parts > 0 {
                w.sql.push_str(" AND ");
            }
            parts += 1;
        };
        self.sql.push('(');
        if let Some(customer) = clause.customer {
            let column = self
                .columns
                .customer
                .clone()
                .ok_or(SqlError::NoKeyColumn { field: "customer" })?;
            and(self);
            self.key(&column, customer.get())?;
        }
        if let Some(teams) = &clause.teams {
            let column = self
                .columns
                .team
                .clone()
                .ok_or(SqlError::NoKeyColumn { field: "team" })?;
            and(self);
            let teams = teams
                .iter()
                .map(|t| id(t.get()))
                .collect::<Result<Vec<_>, _>>()?;
            let _ = write!(self.sql, "{column} IN (");
            self.params_list(teams);
        }
        if let Some(owner) = clause.owner {
            let column = self
                .columns
                .owner
                .clone()
                .ok_or(SqlError::NoKeyColumn { field: "owner" })?;
            and(self);
            self.key(&column, owner.get())?;
        }
        for test in &clause.tests {
            and(self);
            self.test(test)?;
        }
        if parts == 0 {
            self.sql.push_str("TRUE");
        }
        self.sql.push(')');
        Ok(())
    }
}

impl Filter {
    /// The filter as a `WHERE` fragment over a table of resources of the
    /// filter's type, with its bind parameters, in `dialect`. The fragment
    /// selects exactly the rows [`matches`](Self::matches) accepts when a
    /// row is read as a resource (a NULL as a missing attribute or key):
    /// a comparison on a NULL or on a value of another type is false, `<>`
    /// and `NOT IN` included. Put it after `WHERE`, or after `AND` with the
    /// host's own conditions.
    ///
    /// # Errors
    ///
    /// [`SqlError`] when the filter needs a column `columns` does not name,
    /// or an id too large for a SQL integer: never a wider or narrower
    /// fragment.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::filter::{Columns, Dialect, SqlValue};
    /// use rolegate::{Catalog, MustMatch, OrgId, Policy, Rule, Subject, TeamId, UserId, UserStatus};
    ///
    /// let catalog = Catalog::standard();
    /// let org = OrgId::new(1);
    /// let mut builder = Policy::builder(catalog.clone());
    /// let editor = builder.create_role(org, "Editor", [Rule::builder(&catalog, "workflows", "update")
    ///     .must_match(MustMatch::TEAM)
    ///     .conditions(r#"status != "archived""#)
    ///     .build()?])?;
    /// let policy = builder.build();
    /// let alice = Subject::new(UserId::new(7), org, editor, UserStatus::Active).with_team(TeamId::new(3));
    /// let filter = policy.filter(&alice, catalog.action("update")?, catalog.resource_type("workflows")?);
    ///
    /// let columns = Columns::new("org").team("team").attribute(catalog.attribute("status")?, "status");
    /// let sql = filter.to_sql(&catalog, &columns, Dialect::Postgres)?;
    /// assert_eq!(sql.sql, "(org = $1 AND ((team IN ($2) AND (status IS NOT NULL AND status COLLATE \"C\" <> $3))))");
    /// assert_eq!(sql.params, [SqlValue::Integer(1), SqlValue::Integer(3), SqlValue::Text("archived".into())]);
    /// let sqlite = filter.to_sql(&catalog, &columns, Dialect::Sqlite)?;
    /// assert_eq!(sqlite.sql, "(org = ? AND ((team IN (?) AND (typeof(status) = 'text' AND status COLLATE BINARY <> ?))))");
    ///
    /// let err = filter.to_sql(&catalog, &Columns::new("org").team("team"), Dialect::Sqlite).unwrap_err();
    /// assert_eq!(err.to_string(), r#"no column for attribute "status""#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_sql(
        &self,
        catalog: &Catalog,
        columns: &Columns,
        dialect: Dialect,
    ) -> Result<SqlFilter, SqlError> {
        let mut w = Writer {
            dialect,
            columns,
            catalog,
            sql: String::new(),
            params: Vec::new(),
        };
        match self {
            Self::Nothing => w.sql.push_str("(FALSE)"),
            Self::All { organization, .. } => {
                w.sql.push('(');
                w.key(&columns.organization, organization.get())?;
                w.sql.push(')');
            }
            Self::Any {
                organization,
                clauses,
                ..
            } => {
                w.sql.push('(');
                w.key(&columns.organization, organization.get())?;
                w.sql.push_str(" AND (");
                for (i, clause) in clauses.iter().enumerate() {
                    if i > 0 {
                        w.sql.push_str(" OR ");
                    }
                    w.clause(clause)?;
                }
                w.sql.push_str("))");
            }
        }
        Ok(SqlFilter {
            sql: w.sql,
            params: w.params,
        })
    }
}
