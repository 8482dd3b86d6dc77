//! The role table: a persistent 32-way radix tree of role slots, indexed by
//! [`RoleId`](crate::RoleId).
//!
//! Cloning the table is one reference count; replacing or adding a slot
//! copies the path to it, at most 32 entries a level, so an edit costs the
//! same among ten roles as among ten thousand. A lookup walks one node per
//! level: a single node for up to 32 roles, three for up to 32,768.

use std::sync::Arc;

use super::{CompiledRole, MaskWord, Span};
use crate::id::OrgId;
use crate::role::Role;
use crate::text::{Text, clean_text};

const BITS: u32 = 5;
const WIDTH: usize = 1 << BITS;
const MASK: usize = WIDTH - 1;

/// A role with its compiled form.
#[derive(Debug)]
pub(crate) struct RoleEntry {
    pub(crate) role: Role,
    pub(crate) compiled: CompiledRole,
    /// The role's name cleaned for the audit log, copied into events.
    pub(crate) label: Text,
}

impl RoleEntry {
    pub(crate) fn new(role: Role, compiled: CompiledRole) -> Self {
        Self {
            label: Text::from(clean_text(role.name())),
            role,
            compiled,
        }
    }
}

/// One position of the table: what a check needs first, inline.
///
/// A slot without an entry (a deleted role) has empty masks and denies.
#[derive(Clone, Debug)]
pub(crate) struct Slot {
    /// Masks of permissions 0 to 63, copied from the compiled role.
    pub(crate) head: MaskWord,
    /// The organization of a custom role; `None` for a system role.
    pub(crate) organization: Option<OrgId>,
    /// The compiled role's spans, shared: a narrowed check with one grant
    /// and at most one test reads these and not the entry.
    pub(crate) spans: Arc<[Span]>,
    pub(crate) entry: Option<Arc<RoleEntry>>,
}

impl Default for Slot {
    fn default() -> Self {
        Self {
            head: MaskWord::default(),
            organization: None,
            spans: Arc::new([]),
            entry: None,
        }
    }
}

impl Slot {
    pub(crate) fn new(entry: RoleEntry) -> Self {
        Self {
            head: entry.compiled.head,
            organization: entry.compiled.organization,
            spans: Arc::clone(&entry.compiled.spans),
            entry: Some(Arc::new(entry)),
        }
    }
}

#[derive(Clone, Debug)]
enum Node {
    Leaf(Arc<[Slot; WIDTH]>),
    Inner(Arc<[Option<Node>; WIDTH]>),
}

fn leaf() -> Node {
    Node::Leaf(Arc::new(core::array::from_fn(|_| Slot::default())))
}

fn inner() -> Node {
    Node::Inner(Arc::new(core::array::from_fn(|_| None)))
}

/// The persistent role table.
#[derive(Clone, Debug)]
pub(crate) struct RoleTable {
    root: Node,
    /// Number of inner levels above the leaves.
    depth: u32,
    len: usize,
}

impl Default for RoleTable {
    fn default() -> Self {
        Self {
            root: leaf(),
            depth: 0,
            len: 0,
        }
    }
}

impl RoleTable {
    /// The slot at `index`: inline for a table of one leaf (up to 32
    /// roles, the six system roles and an organization's few), out of line
    /// for a deeper one.
    #[inline(always)]
    pub(crate) fn get(&self, index: usize) -> Option<&Slot> {
        if index >= self.len {
            return None;
        }
        match &self.root {
            Node::Leaf(slots) => slots.get(index & MASK),
            Node::Inner(_) => self.get_deep(index),
        }
    }

    /// [`get`](Self::get) in a table with inner nodes.
    #[inline(never)]
    fn get_deep(&self, index: usize) -> Option<&Slot> {
        let mut node = &self.root;
        let mut shift = self.depth * BITS;
        loop {
            match node {
                Node::Leaf(slots) => return slots.get(index & MASK),
                Node::Inner(children) => {
                    node = children.get((index >> shift) & MASK)?.as_ref()?;
                    shift = shift.checked_sub(BITS)?;
                }
            }
        }
    }

    /// Replaces the slot at `index`, copying the path to it; `false` when
    /// `index` is past the end.
    #[cfg(test)]
    pub(crate) fn set(&mut self, index: usize, slot: Slot) -> bool {
        if index >= self.len {
            return false;
        }
        self.put(index, slot)
    }

    /// Appends a slot; returns its index.
    #[cfg(test)]
    pub(crate) fn push(&mut self, slot: Slot) -> usize {
        let index = self.len;
        self.put_at(index, slot);
        index
    }

    /// Puts a slot at `index`, growing the table to hold it; slots skipped
    /// over stay empty and take no room.
    pub(crate) fn put_at(&mut self, index: usize, slot: Slot) -> bool {
        while index >= WIDTH.checked_pow(self.depth + 1).unwrap_or(usize::MAX) {
            let old = core::mem::replace(&mut self.root, inner());
            if let Node::Inner(children) = &mut self.root
                && let Some(first) = Arc::make_mut(children).first_mut()
            {
                *first = Some(old);
            }
            self.depth += 1;
        }
        self.len = self.len.max(index + 1);
        self.put(index, slot)
    }

    /// Empties the slot at `index`; a block of 32 slots left all empty is
    /// freed. `false` when `index` is past the end.
    pub(crate) fn clear(&mut self, index: usize) -> bool {
        if index >= self.len {
            return false;
        }
        let depth = self.depth;
        match &mut self.root {
            Node::Leaf(slots) => match Arc::make_mut(slots).get_mut(index & MASK) {
                Some(s) => {
                    *s = Slot::default();
                    true
                }
                None => false,
            },
            Node::Inner(children) => clear_in(children, index, depth * BITS).0,
        }
    }

    fn put(&mut self, index: usize, slot: Slot) -> bool {
        let mut node = &mut self.root;
        let mut shift = self.depth * BITS;
        loop {
            match node {
                Node::Leaf(slots) => {
                    return match Arc::make_mut(slots).get_mut(index & MASK) {
                        Some(s) => {
                            *s = slot;
                            true
                        }
                        None => false,
                    };
                }
                Node::Inner(children) => {
                    let Some(child) = Arc::make_mut(children).get_mut((index >> shift) & MASK)
                    else {
                        return false;
                    };
                    let Some(below) = shift.checked_sub(BITS) else {
                        return false;
                    };
                    let child =
                        child.get_or_insert_with(|| if below == 0 { leaf() } else { inner() });
                    node = child;
                    shift = below;
                }
            }
        }
    }

    /// Every slot with its index, in order; freed blocks are skipped.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &Slot)> + '_ {
        let mut out = Vec::new();
        walk(&self.root, 0, self.depth * BITS, &mut out);
        let len = self.len;
        out.into_iter().filter(move |&(i, _)| i < len)
    }
}

/// Collects the slots under `node`, whose first index is `base`.
fn walk<'t>(node: &'t Node, base: usize, shift: u32, out: &mut Vec<(usize, &'t Slot)>) {
    match node {
        Node::Leaf(slots) => out.extend(slots.iter().enumerate().map(|(i, s)| (base + i, s))),
        Node::Inner(children) => {
            let Some(below) = shift.checked_sub(BITS) else {
                return;
            };
            for (i, child) in children.iter().enumerate() {
                if let Some(child) = child {
                    walk(child, base + (i << shift), below, out);
                }
            }
        }
    }
}

/// Empties slot `index` under `children`, whose child index is taken from
/// bits `shift` up; returns whether it was there and whether `children` is
/// now all empty.
fn clear_in(children: &mut Arc<[Option<Node>; WIDTH]>, index: usize, shift: u32) -> (bool, bool) {
    let at = (index >> shift) & MASK;
    let Some(below) = shift.checked_sub(BITS) else {
        return (false, false);
    };
    let children = Arc::make_mut(children);
    let Some(child) = children.get_mut(at) else {
        return (false, false);
    };
    let (found, empty) = match child {
        None => (false, false),
        Some(Node::Leaf(slots)) => {
            let slots = Arc::make_mut(slots);
            let found = match slots.get_mut(index & MASK) {
                Some(s) => {
                    *s = Slot::default();
                    true
                }
                None => false,
            };
            (found, slots.iter().all(|s| s.entry.is_none()))
        }
        Some(Node::Inner(grand)) => clear_in(grand, index, below),
    };
    if empty {
        *child = None;
    }
    (found, children.iter().all(Option::is_none))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(i: u64) -> Slot {
        Slot {
            organization: Some(OrgId::new(i)),
            ..Slot::default()
        }
    }

    #[test]
    fn grows_through_levels_and_shares_untouched_paths() {
        let mut table = RoleTable::default();
        for i in 0..2000 {
            assert_eq!(table.push(org(i)), i as usize);
        }
        assert_eq!(table.depth, 2);
        for i in [0, 31, 32, 1023, 1024, 1999] {
            assert_eq!(
                table.get(i).unwrap().organization,
                Some(OrgId::new(i as u64))
            );
        }
        assert!(table.get(2000).is_none());

        let before = table.clone();
        assert!(table.set(1500, org(9999)));
        assert!(!table.set(2000, org(1)));
        assert_eq!(
            table.get(1500).unwrap().organization,
            Some(OrgId::new(9999))
        );
        assert_eq!(
            before.get(1500).unwrap().organization,
            Some(OrgId::new(1500))
        );
        assert_eq!(table.iter().count(), 2000);
    }

    #[test]
    fn a_block_of_deleted_slots_is_freed_and_its_indexes_stay_empty() {
        let mut table = RoleTable::default();
        for i in 0..100 {
            table.push(Slot {
                entry: Some(Arc::new(RoleEntry::new(
                    crate::role::Role::custom(OrgId::new(1), &format!("r{i}"), []).unwrap(),
                    super::super::CompiledRole {
                        organization: Some(OrgId::new(1)),
                        head: MaskWord::default(),
                        tail: Box::new([]),
                        spans: Arc::new([]),
                        grants: Box::new([]),
                        tests: Box::new([]),
                    },
                ))),
                ..org(i)
            });
        }
        // Empty all of the second block of 32, and one slot of the third.
        for i in 32..64 {
            assert!(table.clear(i));
        }
        assert!(table.clear(70));
        let leaves = |t: &RoleTable| match &t.root {
            Node::Inner(children) => children.iter().filter(|c| c.is_some()).count(),
            Node::Leaf(_) => 1,
        };
        assert_eq!(leaves(&table), 3, "the emptied block is freed");
        assert!(table.get(40).is_none());
        assert!(table.get(70).is_some_and(|s| s.entry.is_none()));
        assert!(table.get(71).is_some_and(|s| s.entry.is_some()));
        assert_eq!(
            table.iter().filter(|(_, s)| s.entry.is_some()).count(),
            100 - 33
        );
        // A freed block takes a slot again.
        assert!(table.put_at(40, org(40)));
        assert_eq!(leaves(&table), 4);
    }
}
