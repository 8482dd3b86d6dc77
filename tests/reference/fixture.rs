//! The fixed cases' fixture: custom roles, simple conditions, policies, named subjects.

use rolegate::*;

use crate::engine_inputs::{engine_action, engine_resource, engine_rule, engine_subject};
use crate::evaluator::reference_can;
use crate::plain::{
    ALL_OPS, CatalogDecl, Cmp, Keys, Lit, PlainResource, PlainSubject, Rhs, RoleDecl, RuleDecl,
    TypeDecl,
};
use crate::render::describe_request;
use crate::shipped::{content_platform_decl, standard_decl};
use crate::system_roles::{SYSTEM_ROLE_NAMES, system_roles};

/// A custom role of organization 1 (or `org`) with rules given as
/// (resource, action, keys, condition text) on a plain catalog.
pub(crate) fn custom_role(
    decl: &CatalogDecl,
    org: u64,
    name: &str,
    rules: &[(&str, &str, Keys, &str)],
) -> RoleDecl {
    // Only the shapes the fixed cases use: a conjunction of `attr op literal`.
    let rules = rules
        .iter()
        .map(|&(resource, action, keys, text)| {
            let ty = decl.types.iter().find(|t| t.name == resource).unwrap();
            let conditions = text
                .split(" and ")
                .filter(|p| !p.trim().is_empty())
                .map(|part| parse_simple_cmp(ty, part))
                .collect();
            RuleDecl {
                resource: resource.to_owned(),
                action: action.to_owned(),
                keys,
                conditions,
                text: text.to_owned(),
            }
        })
        .collect();
    RoleDecl {
        name: name.to_owned(),
        organization: Some(org),
        rules,
    }
}

/// `attr op value` for the fixed cases: a quoted string without escapes, an
/// integer, or `subject.FIELD`.
fn parse_simple_cmp(ty: &TypeDecl, text: &str) -> Cmp {
    let mut words = text.split_whitespace();
    let attr = words.next().unwrap().to_owned();
    let op = words.next().unwrap();
    let value = words.collect::<Vec<_>>().join(" ");
    let op = *ALL_OPS.iter().find(|o| o.text() == op).unwrap();
    let attr_ty = ty.attrs.iter().find(|(n, _)| *n == attr).unwrap().1;
    let rhs = match value.as_str() {
        "subject.id" => Rhs::SubjectId,
        "subject.organization" => Rhs::SubjectOrganization,
        "subject.customer" => Rhs::SubjectCustomer,
        v if v.starts_with('"') => Rhs::Lit(Lit::Str(v.trim_matches('"').to_owned())),
        v => Rhs::Lit(Lit::Int(v.parse().unwrap())),
    };
    Cmp {
        attr,
        ty: attr_ty,
        op,
        rhs,
        spacing: 0,
    }
}

pub(crate) struct Fixture {
    decl: CatalogDecl,
    roles: Vec<RoleDecl>,
    policy: Policy,
}

impl Fixture {
    /// The standard catalog, built by the crate's own preset.
    pub(crate) fn standard(custom: impl FnOnce(&CatalogDecl) -> Vec<RoleDecl>) -> Self {
        Self::new(standard_decl(), Catalog::standard(), custom)
    }

    /// The content-platform catalog, built by the crate's own preset.
    pub(crate) fn content_platform(custom: impl FnOnce(&CatalogDecl) -> Vec<RoleDecl>) -> Self {
        Self::new(content_platform_decl(), Catalog::content_platform(), custom)
    }

    fn new(
        decl: CatalogDecl,
        catalog: Catalog,
        custom: impl FnOnce(&CatalogDecl) -> Vec<RoleDecl>,
    ) -> Self {
        let mut roles = system_roles(&decl);
        roles.extend(custom(&decl));
        let engine_roles: Vec<(OrgId, String, Vec<Rule>)> = roles
            .iter()
            .skip(SYSTEM_ROLE_NAMES.len())
            .map(|r| {
                let rules: Vec<Rule> = r.rules.iter().map(|x| engine_rule(&catalog, x)).collect();
                (OrgId::new(r.organization.unwrap()), r.name.clone(), rules)
            })
            .collect();
        let mut builder = Policy::builder(catalog);
        for (organization, name, rules) in engine_roles {
            builder.create_role(organization, &name, rules).unwrap();
        }
        let policy = builder.build();
        Self {
            decl,
            roles,
            policy,
        }
    }

    /// Asserts that both the reference and the engine decide `expected`.
    #[track_caller]
    pub(crate) fn expect(
        &self,
        subject: &PlainSubject,
        action: &str,
        resource: &PlainResource,
        expected: bool,
    ) {
        let what = describe_request(&self.roles, subject, action, resource);
        let reference = reference_can(&self.decl, &self.roles, subject, action, resource);
        assert_eq!(reference, expected, "reference\n{what}");
        let catalog = self.policy.catalog();
        let (s, r) = (engine_subject(subject), engine_resource(catalog, resource));
        let a = engine_action(catalog, action);
        assert_eq!(self.policy.can(&s, a, &r), expected, "can\n{what}");
        assert_eq!(
            self.policy.explain(&s, a, &r).is_allowed(),
            expected,
            "explain\n{what}"
        );
    }
}

pub(crate) const ME: u64 = 100;
pub(crate) const SOMEONE: u64 = 101;
pub(crate) const ORG: u64 = 1;
pub(crate) const OTHER_ORG: u64 = 2;
pub(crate) const ACME: u64 = 30;
pub(crate) const GLOBEX: u64 = 31;
pub(crate) const RED: u64 = 50;
pub(crate) const BLUE: u64 = 51;

pub(crate) fn person(role: usize) -> PlainSubject {
    PlainSubject {
        id: ME,
        organization: ORG,
        customer: None,
        teams: Vec::new(),
        role,
        status: UserStatus::Active,
    }
}

pub(crate) fn thing(type_name: &str) -> PlainResource {
    PlainResource {
        type_name: type_name.to_owned(),
        id: 1,
        organization: ORG,
        customer: None,
        team: None,
        owner: None,
        attrs: Vec::new(),
    }
}

pub(crate) const OWNER: usize = 0;
pub(crate) const ADMIN: usize = 1;
pub(crate) const DEVELOPER: usize = 2;
pub(crate) const OPERATOR_ROLE: usize = 3;
pub(crate) const VIEWER_ROLE: usize = 4;
pub(crate) const END_USER_ROLE: usize = 5;
pub(crate) const FIRST_CUSTOM: usize = 6;
