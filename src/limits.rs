//! Every size an input controls, bounded ([semantics](crate::semantics) §15).
//!
//! Each limit is checked where the input enters, before any work that grows
//! with it, and a refusal is a typed error naming the limit; nothing is
//! changed by a refused input. Within these limits every administrative
//! call costs at most O(n log n) in its input, so no single call holds the
//! engine's writer for long.
//!
//! | Limit | Value | Refused with |
//! |---|---|---|
//! | [`MAX_CONDITION_TEXT`] | 4,096 bytes | `ConditionErrorKind::TooLong` |
//! | [`MAX_LITERAL`] | 1,024 bytes | `ConditionErrorKind::LiteralTooLong` |
//! | [`MAX_CONDITIONS`] per rule | 32 | `ConditionErrorKind::TooManyConditions` |
//! | [`MAX_LIST_ITEMS`] per `in` list | 1,024 | `ConditionErrorKind::TooManyItems` |
//! | [`MAX_RULES_PER_ROLE`] | 1,024 | `RoleError::TooManyRules` |
//! | [`MAX_ROLES_PER_ORGANIZATION`] | 10,000 custom roles | `RoleError::TooManyRoles` |
//! | [`MAX_CSV_BYTES`] | 16 MiB | `ReadProblemKind::TooLarge` |
//! | [`MAX_CSV_ROWS`] | 100,000 rows | `ReadProblemKind::TooManyRows` |
//! | role and team names | 64 characters | `RoleError::NameTooLong`, `AdminError::InvalidTeamName` |
//! | recorded event text | 512 characters | cut, with `…` |
//!
//! # Examples
//!
//! ```
//! use rolegate::condition::ConditionErrorKind;
//! use rolegate::{limits, Catalog, Rule, RuleError};
//!
//! let catalog = Catalog::standard();
//! let huge = format!("status == \"{}\"", "x".repeat(limits::MAX_LITERAL + 1));
//! let err = Rule::builder(&catalog, "workflows", "read").conditions(&huge).build().unwrap_err();
//! let RuleError::Condition(err) = err else { return Err("a condition error".into()) };
//! assert!(matches!(err.kind(), ConditionErrorKind::LiteralTooLong { .. }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// The longest condition text of one rule, in bytes.
pub const MAX_CONDITION_TEXT: usize = 4_096;

/// The longest string literal in a condition, in bytes once unescaped.
pub const MAX_LITERAL: usize = 1_024;

/// The most comparisons one rule's conditions hold.
pub const MAX_CONDITIONS: usize = 32;

/// The most items of one `in` or `not in` list.
pub const MAX_LIST_ITEMS: usize = 1_024;

/// The most rules one role holds.
pub const MAX_RULES_PER_ROLE: usize = 1_024;

/// The most custom roles one organization holds.
pub const MAX_ROLES_PER_ORGANIZATION: usize = 10_000;

/// The largest roles file read, in bytes.
pub const MAX_CSV_BYTES: usize = 16 * 1024 * 1024;

/// The most rows of a roles file, the header included.
pub const MAX_CSV_ROWS: usize = 100_000;
