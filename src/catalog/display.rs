//! Rules and conditions displayed with the catalog's names, in canonical text.

use core::fmt;

use super::Catalog;
use crate::condition::{Condition, Conditions};
use crate::rule::Rule;

impl Rule {
    /// Displays the rule with names from `catalog`:
    /// `resource.action [must-match] if conditions`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, MustMatch, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "connections", "execute")
    ///     .must_match(MustMatch::CUSTOMER | MustMatch::OWNER)
    ///     .conditions(r#"environment in ["test", "staging"]"#)
    ///     .build()?;
    /// assert_eq!(
    ///     rule.display(&catalog).to_string(),
    ///     r#"connections.execute [organization;customer;owner] if environment in ["test", "staging"]"#
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn display<'a>(&'a self, catalog: &'a Catalog) -> RuleDisplay<'a> {
        RuleDisplay {
            rule: self,
            catalog,
        }
    }
}

/// Displays a [`Rule`]. Made by [`Rule::display`].
///
/// # Examples
///
/// ```
/// use rolegate::catalog::RuleDisplay;
/// use rolegate::{Catalog, Rule};
///
/// let catalog = Catalog::standard();
/// let rule = Rule::builder(&catalog, "agents", "update").build()?;
/// let shown: RuleDisplay<'_> = rule.display(&catalog);
/// assert_eq!(format!("granted by {shown}"), "granted by agents.update [organization]");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct RuleDisplay<'a> {
    rule: &'a Rule,
    catalog: &'a Catalog,
}

impl fmt::Display for RuleDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.catalog.permission_name(self.rule.permission()) {
            Some(name) => f.write_str(name)?,
            None => write!(f, "{}", self.rule.permission())?,
        }
        write!(f, " [{}]", self.rule.must_match())?;
        if !self.rule.conditions().is_empty() {
            write!(f, " if {}", self.rule.conditions().display(self.catalog))?;
        }
        Ok(())
    }
}

impl Condition {
    /// The canonical text of this one comparison, with the attribute name
    /// from `catalog`: `priority <= 3`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::Conditions;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let agents = catalog.resource_type("agents")?;
    /// let conditions = Conditions::parse(&catalog, agents, r#"environment=="prod" and priority<=3"#)?;
    /// let shown: Vec<String> = conditions
    ///     .as_slice()
    ///     .iter()
    ///     .map(|c| c.display(&catalog).to_string())
    ///     .collect();
    /// assert_eq!(shown, [r#"environment == "prod""#, "priority <= 3"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn display<'a>(&'a self, catalog: &'a Catalog) -> ConditionDisplay<'a> {
        ConditionDisplay {
            condition: self,
            catalog,
        }
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, catalog: &Catalog) -> fmt::Result {
        match catalog.attribute_name(self.attribute) {
            Some(name) => f.write_str(name)?,
            None => write!(f, "{}", self.attribute)?,
        }
        write!(f, " {} {}", self.op, self.operand)
    }
}

/// Displays one [`Condition`] in canonical text. Made by
/// [`Condition::display`].
///
/// # Examples
///
/// ```
/// use rolegate::catalog::ConditionDisplay;
/// use rolegate::condition::Conditions;
/// use rolegate::Catalog;
///
/// let catalog = Catalog::standard();
/// let tools = catalog.resource_type("tools")?;
/// let conditions = Conditions::parse(&catalog, tools, "priority<1")?;
/// let condition = conditions.as_slice().first().ok_or("no condition")?;
/// let shown: ConditionDisplay<'_> = condition.display(&catalog);
/// assert_eq!(format!("fails `{shown}`"), "fails `priority < 1`");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ConditionDisplay<'a> {
    condition: &'a Condition,
    catalog: &'a Catalog,
}

impl fmt::Display for ConditionDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.condition.write(f, self.catalog)
    }
}

impl Conditions {
    /// The canonical text form, with attribute names from `catalog`:
    /// `status != "archived" and priority <= 3`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::Conditions;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let tools = catalog.resource_type("tools")?;
    /// let text = r#"environment in ["prod","staging"]  and priority>0"#;
    /// let conditions = Conditions::parse(&catalog, tools, text)?;
    /// assert_eq!(
    ///     conditions.display(&catalog).to_string(),
    ///     r#"environment in ["prod", "staging"] and priority > 0"#
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn display<'a>(&'a self, catalog: &'a Catalog) -> ConditionsDisplay<'a> {
        ConditionsDisplay {
            conditions: self,
            catalog,
        }
    }
}

/// Displays [`Conditions`] in canonical text. Made by
/// [`Conditions::display`].
///
/// # Examples
///
/// ```
/// use rolegate::catalog::ConditionsDisplay;
/// use rolegate::{Catalog, Rule};
///
/// let catalog = Catalog::standard();
/// let rule = Rule::builder(&catalog, "workflows", "update")
///     .conditions("priority <= 3")
///     .build()?;
/// let shown: ConditionsDisplay<'_> = rule.conditions().display(&catalog);
/// assert_eq!(format!("only if {shown}"), "only if priority <= 3");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ConditionsDisplay<'a> {
    conditions: &'a Conditions,
    catalog: &'a Catalog,
}

impl fmt::Display for ConditionsDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.conditions.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" and ")?;
            }
            c.write(f, self.catalog)?;
        }
        Ok(())
    }
}
