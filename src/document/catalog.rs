//! A catalog's declarations as a policy document holds them: types, attributes, syncs, rules.

use serde::{Deserialize, Serialize};

use crate::catalog::{AttrType, Catalog, CatalogBuilder, CatalogError, RuleSpec};
use crate::rule::MustMatch;

/// A rule as a document writes it: without the implied `organization`.
pub(super) fn text_form(mut spec: RuleSpec) -> RuleSpec {
    spec.must_match.remove(MustMatch::ORGANIZATION);
    spec
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an attribute: name and type")]
struct AttributeRepr {
    name: String,
    #[serde(rename = "type")]
    ty: AttrType,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a resource type: name, builtin, actions and attributes"
)]
struct TypeRepr {
    name: String,
    #[serde(default)]
    builtin: bool,
    actions: Vec<String>,
    #[serde(default)]
    attributes: Vec<AttributeRepr>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a sync: from and to")]
struct SyncRepr {
    from: String,
    to: String,
}

/// A catalog's declarations, as [`CatalogBuilder`] takes them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a catalog: resource_types, syncs and builtin_rules"
)]
pub(super) struct CatalogRepr {
    resource_types: Vec<TypeRepr>,
    #[serde(default)]
    syncs: Vec<SyncRepr>,
    #[serde(default)]
    builtin_rules: Vec<RuleSpec>,
}

impl CatalogRepr {
    pub(super) fn of(catalog: &Catalog) -> Self {
        let name = |t| catalog.resource_type_name(t).map(str::to_owned);
        let resource_types = catalog
            .resource_types()
            .map(|t| TypeRepr {
                name: name(t).unwrap_or_default(),
                builtin: !catalog.is_grantable(t),
                actions: catalog
                    .actions_of(t)
                    .iter()
                    .filter_map(|&a| catalog.action_name(a).map(str::to_owned))
                    .collect(),
                attributes: catalog
                    .attributes_of(t)
                    .iter()
                    .filter_map(|&(a, ty)| {
                        Some(AttributeRepr {
                            name: catalog.attribute_name(a)?.to_owned(),
                            ty,
                        })
                    })
                    .collect(),
            })
            .collect();
        let syncs = catalog
            .syncs()
            .iter()
            .filter_map(|&(from, to)| {
                Some(SyncRepr {
                    from: name(from)?,
                    to: name(to)?,
                })
            })
            .collect();
        let builtin_rules = catalog
            .builtin_rules()
            .iter()
            .map(|r| text_form(r.spec(catalog)))
            .collect();
        Self {
            resource_types,
            syncs,
            builtin_rules,
        }
    }

    /// Declares everything to a builder, types first, and builds.
    pub(super) fn build(&self) -> Result<Catalog, CatalogError> {
        let mut builder = CatalogBuilder::new();
        for t in &self.resource_types {
            let actions = t.actions.iter().map(String::as_str);
            builder = if t.builtin {
                builder.builtin_resource_type(&t.name, actions)
            } else {
                builder.resource_type(&t.name, actions)
            };
        }
        for t in &self.resource_types {
            for a in &t.attributes {
                builder = builder.attribute(&t.name, &a.name, a.ty);
            }
        }
        for s in &self.syncs {
            builder = builder.sync(&s.from, &s.to);
        }
        for r in &self.builtin_rules {
            builder = builder.builtin_rule(&r.resource, &r.action, r.must_match, &r.conditions);
        }
        builder.build()
    }
}
