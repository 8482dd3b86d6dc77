//! Raw generated data: plain numbers that proptest shrinks, and the strategies that make them.

use proptest::prelude::*;

use crate::pools::REQUESTS_PER_POLICY;

#[derive(Clone, Debug)]
pub(crate) struct RawType {
    pub(crate) name: usize,
    pub(crate) builtin: bool,
    pub(crate) actions: u16,
    pub(crate) attrs: Vec<(usize, usize)>,
    pub(crate) rank: u8,
}

#[derive(Clone, Debug)]
pub(crate) enum RawCatalog {
    Random {
        types: Vec<RawType>,
        syncs: Vec<(usize, usize)>,
        builtin_rules: Vec<RawRule>,
    },
    Standard,
    ContentPlatform,
}

#[derive(Clone, Debug)]
pub(crate) struct RawCond {
    pub(crate) attr: usize,
    pub(crate) op: usize,
    pub(crate) value: usize,
    pub(crate) list: Vec<usize>,
    pub(crate) spacing: u8,
}

#[derive(Clone, Debug)]
pub(crate) struct RawRule {
    pub(crate) ty: usize,
    pub(crate) action: usize,
    pub(crate) keys: u8,
    pub(crate) conds: Vec<RawCond>,
}

#[derive(Clone, Debug)]
pub(crate) struct RawRole {
    pub(crate) org: u8,
    pub(crate) rules: Vec<RawRule>,
}

#[derive(Clone, Debug)]
pub(crate) struct RawSubject {
    pub(crate) id: usize,
    pub(crate) org: u8,
    pub(crate) customer: Option<usize>,
    pub(crate) teams: Vec<usize>,
    pub(crate) status: u8,
    pub(crate) role_kind: u8,
    pub(crate) role: usize,
}

#[derive(Clone, Debug)]
pub(crate) struct RawResource {
    pub(crate) kind: u8,
    pub(crate) ty: usize,
    pub(crate) org: u8,
    pub(crate) customer: Option<usize>,
    pub(crate) team: Option<usize>,
    pub(crate) owner: Option<usize>,
    pub(crate) values: Vec<(u8, usize)>,
}

#[derive(Clone, Debug)]
pub(crate) struct RawCase {
    pub(crate) catalog: RawCatalog,
    pub(crate) roles: Vec<RawRole>,
    pub(crate) requests: Vec<(RawSubject, RawResource)>,
}

fn pick() -> impl Strategy<Value = usize> {
    0..1000usize
}

fn raw_cond() -> impl Strategy<Value = RawCond> {
    (
        pick(),
        pick(),
        pick(),
        prop::collection::vec(pick(), 0..4),
        any::<u8>(),
    )
        .prop_map(|(attr, op, value, list, spacing)| RawCond {
            attr,
            op,
            value,
            list,
            spacing,
        })
}

fn raw_rule() -> impl Strategy<Value = RawRule> {
    (
        pick(),
        pick(),
        any::<u8>(),
        prop::collection::vec(raw_cond(), 0..3),
    )
        .prop_map(|(ty, action, keys, conds)| RawRule {
            ty,
            action,
            keys,
            conds,
        })
}

fn raw_type() -> impl Strategy<Value = RawType> {
    (
        pick(),
        prop::bool::weighted(0.12),
        any::<u16>(),
        prop::collection::vec((pick(), pick()), 0..4),
        any::<u8>(),
    )
        .prop_map(|(name, builtin, actions, attrs, rank)| RawType {
            name,
            builtin,
            actions,
            attrs,
            rank,
        })
}

fn raw_catalog() -> impl Strategy<Value = RawCatalog> {
    let random = (
        prop::collection::vec(raw_type(), 1..15),
        prop::collection::vec((pick(), pick()), 0..6),
        prop::collection::vec(raw_rule(), 0..3),
    )
        .prop_map(|(types, syncs, builtin_rules)| RawCatalog::Random {
            types,
            syncs,
            builtin_rules,
        });
    prop_oneof![
        8 => random,
        1 => Just(RawCatalog::Standard),
        1 => Just(RawCatalog::ContentPlatform),
    ]
}

fn raw_role() -> impl Strategy<Value = RawRole> {
    (any::<u8>(), prop::collection::vec(raw_rule(), 0..8))
        .prop_map(|(org, rules)| RawRole { org, rules })
}

fn raw_subject() -> impl Strategy<Value = RawSubject> {
    (
        pick(),
        any::<u8>(),
        prop::option::weighted(0.8, pick()),
        prop::collection::vec(pick(), 0..6),
        any::<u8>(),
        any::<u8>(),
        pick(),
    )
        .prop_map(
            |(id, org, customer, teams, status, role_kind, role)| RawSubject {
                id,
                org,
                customer,
                teams,
                status,
                role_kind,
                role,
            },
        )
}

fn raw_resource() -> impl Strategy<Value = RawResource> {
    (
        any::<u8>(),
        pick(),
        any::<u8>(),
        prop::option::weighted(0.8, pick()),
        prop::option::weighted(0.7, pick()),
        prop::option::weighted(0.7, pick()),
        prop::collection::vec((any::<u8>(), pick()), 1..6),
    )
        .prop_map(
            |(kind, ty, org, customer, team, owner, values)| RawResource {
                kind,
                ty,
                org,
                customer,
                team,
                owner,
                values,
            },
        )
}

pub(crate) fn raw_case() -> impl Strategy<Value = RawCase> {
    (
        raw_catalog(),
        prop::collection::vec(raw_role(), 0..5),
        prop::collection::vec((raw_subject(), raw_resource()), REQUESTS_PER_POLICY),
    )
        .prop_map(|(catalog, roles, requests)| RawCase {
            catalog,
            roles,
            requests,
        })
}
