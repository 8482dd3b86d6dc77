//! IdSet: the compact persistent sorted set of ids behind the directory's indexes.
//!
//! A small copy-on-write B+tree whose nodes are exact-size `Arc` slices: a
//! clone is O(1), a write rebuilds only the path it touches, and sequential
//! inserts fill every leaf, so a set of 8-byte ids costs about 8.4 bytes each.

use std::fmt;
use std::sync::Arc;

use smallvec::SmallVec;

/// The most keys a leaf holds.
const LEAF: usize = 128;
/// The most children an inner node holds.
const INNER: usize = 64;

/// A node of the tree: never empty.
#[derive(Clone, Debug)]
enum Node<K> {
    /// Keys in ascending order.
    Leaf(Arc<[K]>),
    /// Children in ascending order, each with its smallest key, which routes.
    Inner(Arc<[Entry<K>]>),
}

/// A child of an inner node, with its smallest key.
type Entry<K> = (K, Node<K>);

/// What an insert below a node gives back.
enum Grown<K> {
    /// The node, rebuilt.
    One(Node<K>),
    /// The node split in two; `true` when the right half holds only the new
    /// key's path, because it went at the very end (an append).
    Two(Node<K>, Node<K>, bool),
}

/// A persistent sorted set of small `Copy` keys: cloning is O(1), and a
/// write copies only the path it touches, so earlier clones are unaffected.
#[derive(Clone)]
pub(crate) struct IdSet<K> {
    /// The tree, `None` when the set is empty.
    root: Option<Node<K>>,
    /// How many keys the tree holds.
    len: usize,
}

/// The index of the child of `children` whose range holds `key`.
fn route<K: Ord>(children: &[Entry<K>], key: &K) -> usize {
    children
        .partition_point(|(min, _)| min <= key)
        .saturating_sub(1)
}

/// `items` as one node, or split in two if over `cap`: in halves, or as
/// (all but the last, the last) when the new item was appended (`tail`).
fn grown<T, K>(
    mut items: Vec<T>,
    cap: usize,
    tail: bool,
    make: fn(Arc<[T]>) -> Node<K>,
) -> Grown<K> {
    if items.len() <= cap {
        return Grown::One(make(items.into()));
    }
    let at = if tail { cap } else { items.len() / 2 };
    let right = items.split_off(at);
    Grown::Two(make(items.into()), make(right.into()), tail)
}

/// Merges the leaf at `idx` of `children` into an adjacent leaf when it has
/// fallen under a quarter full and the two fit in one leaf.
fn merge_small<K: Copy>(children: &mut Vec<Entry<K>>, idx: usize) {
    if !matches!(children.get(idx), Some((_, Node::Leaf(keys))) if keys.len() < LEAF / 4) {
        return;
    }
    let neighbours = [idx.checked_sub(1), idx.checked_add(1)];
    for lo in neighbours.into_iter().flatten().map(|other| other.min(idx)) {
        let hi = lo.saturating_add(1);
        let merged = match (children.get(lo), children.get(hi)) {
            (Some((min, Node::Leaf(a))), Some((_, Node::Leaf(b)))) if a.len() + b.len() <= LEAF => {
                (*min, Node::Leaf(a.iter().chain(&**b).copied().collect()))
            }
            _ => continue,
        };
        if let Some(slot) = children.get_mut(lo) {
            *slot = merged;
            children.remove(hi);
        }
        return;
    }
}

impl<K: Copy + Ord> Node<K> {
    /// The smallest key below this node.
    fn min(&self) -> Option<K> {
        match self {
            Node::Leaf(keys) => keys.first().copied(),
            Node::Inner(children) => children.first().map(|(min, _)| *min),
        }
    }

    /// This node as an entry of its parent: its smallest key, then itself.
    fn entry(self) -> Option<Entry<K>> {
        Some((self.min()?, self))
    }

    /// This node with `key` added, or `None` if it was already there.
    fn insert(&self, key: K) -> Option<Grown<K>> {
        match self {
            Node::Leaf(keys) => {
                let pos = keys.binary_search(&key).err()?;
                if pos == keys.len() && keys.len() >= LEAF {
                    let new = Node::Leaf(Arc::from([key]));
                    return Some(Grown::Two(self.clone(), new, true));
                }
                let (before, after) = keys.split_at_checked(pos)?;
                let mut v = Vec::with_capacity(keys.len() + 1);
                v.extend_from_slice(before);
                v.push(key);
                v.extend_from_slice(after);
                Some(grown(v, LEAF, false, Node::Leaf))
            }
            Node::Inner(children) => {
                let (before, rest) = children.split_at_checked(route(children, &key))?;
                let ((_, child), after) = rest.split_first()?;
                let mut v = Vec::with_capacity(children.len() + 1);
                v.extend_from_slice(before);
                let tail = match child.insert(key)? {
                    Grown::One(node) => {
                        v.push(node.entry()?);
                        false
                    }
                    Grown::Two(left, right, tail) => {
                        v.push(left.entry()?);
                        v.push(right.entry()?);
                        tail && after.is_empty()
                    }
                };
                v.extend_from_slice(after);
                Some(grown(v, INNER, tail, Node::Inner))
            }
        }
    }

    /// This node without `key` (`Some(None)` if it became empty), or `None`
    /// if `key` was not there.
    fn remove(&self, key: K) -> Option<Option<Node<K>>> {
        match self {
            Node::Leaf(keys) => {
                let pos = keys.binary_search(&key).ok()?;
                let (before, rest) = keys.split_at_checked(pos)?;
                let v: Arc<[K]> = before.iter().chain(rest.get(1..)?).copied().collect();
                Some((!v.is_empty()).then_some(Node::Leaf(v)))
            }
            Node::Inner(children) => {
                let idx = route(children, &key);
                let (before, rest) = children.split_at_checked(idx)?;
                let ((_, child), after) = rest.split_first()?;
                let new = child.remove(key)?;
                let mut v = Vec::with_capacity(children.len());
                v.extend_from_slice(before);
                let kept = new.is_some();
                v.extend(new.and_then(Node::entry));
                v.extend_from_slice(after);
                if kept {
                    merge_small(&mut v, idx);
                }
                Some((!v.is_empty()).then(|| Node::Inner(v.into())))
            }
        }
    }

    /// This node, or its descendant, past every inner node with one child.
    fn collapse(self) -> Node<K> {
        if let Node::Inner(children) = &self
            && let [(_, only)] = &**children
        {
            return only.clone().collapse();
        }
        self
    }
}

impl<K> Default for IdSet<K> {
    fn default() -> Self {
        Self { root: None, len: 0 }
    }
}

impl<K: Copy + Ord> IdSet<K> {
    /// An empty set.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// How many keys the set holds.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Whether the set holds no key.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the set holds `key` (the directory asks its records instead).
    #[cfg(test)]
    pub(crate) fn contains(&self, key: K) -> bool {
        let mut node = self.root.as_ref();
        while let Some(current) = node {
            match current {
                Node::Leaf(keys) => return keys.binary_search(&key).is_ok(),
                Node::Inner(children) => {
                    node = children.get(route(children, &key)).map(|(_, child)| child);
                }
            }
        }
        false
    }

    /// Adds `key`; `true` if it was not there yet.
    pub(crate) fn insert(&mut self, key: K) -> bool {
        let root = match self.root.as_ref().map(|root| root.insert(key)) {
            None => Node::Leaf(Arc::from([key])),
            Some(None) => return false,
            Some(Some(Grown::One(node))) => node,
            Some(Some(Grown::Two(left, right, _))) => match (left.entry(), right.entry()) {
                (Some(left), Some(right)) => Node::Inner(Arc::from([left, right])),
                _ => return false,
            },
        };
        self.root = Some(root);
        self.len = self.len.saturating_add(1);
        true
    }

    /// Takes `key` out; `true` if it was there.
    pub(crate) fn remove(&mut self, key: K) -> bool {
        let Some(new) = self.root.as_ref().and_then(|root| root.remove(key)) else {
            return false;
        };
        self.root = new.map(Node::collapse);
        self.len = self.len.saturating_sub(1);
        true
    }

    /// The keys in ascending order.
    pub(crate) fn iter(&self) -> Iter<'_, K> {
        let mut iter = Iter {
            leaf: &[],
            stack: SmallVec::new(),
            remaining: self.len,
        };
        if let Some(root) = &self.root {
            iter.descend(root);
        }
        iter
    }

    /// The set of `keys`, sorted and deduplicated first unless already
    /// strictly ascending, built bottom-up from full leaves.
    pub(crate) fn from_sorted(mut keys: Vec<K>) -> Self {
        if !keys.is_sorted_by(|a, b| a < b) {
            keys.sort_unstable();
            keys.dedup();
        }
        let leaves = keys.chunks(LEAF).map(|c| Node::Leaf(c.into()).entry());
        let mut level: Vec<Entry<K>> = leaves.flatten().collect();
        while level.len() > 1 {
            let inner = level.chunks(INNER).map(|c| Node::Inner(c.into()).entry());
            level = inner.flatten().collect();
        }
        let (root, len) = (level.pop().map(|(_, root)| root), keys.len());
        Self { root, len }
    }
}

impl<K: Copy + Ord + fmt::Debug> fmt::Debug for IdSet<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<K: Copy + Ord> PartialEq for IdSet<K> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<K: Copy + Ord> Eq for IdSet<K> {}

impl<K: Copy + Ord> FromIterator<K> for IdSet<K> {
    fn from_iter<I: IntoIterator<Item = K>>(iter: I) -> Self {
        Self::from_sorted(iter.into_iter().collect())
    }
}

/// The keys of an [`IdSet`] in ascending order.
pub(crate) struct Iter<'a, K> {
    /// What is left of the current leaf.
    leaf: &'a [K],
    /// What is left of each inner node on the path to the current leaf.
    stack: SmallVec<[&'a [Entry<K>]; 6]>,
    /// How many keys are left.
    remaining: usize,
}

impl<'a, K> Iter<'a, K> {
    /// Starts on `node`: its keys if a leaf, else its children.
    fn descend(&mut self, node: &'a Node<K>) {
        match node {
            Node::Leaf(keys) => self.leaf = keys,
            Node::Inner(children) => self.stack.push(children),
        }
    }
}

impl<K: Copy> Iterator for Iter<'_, K> {
    type Item = K;

    fn next(&mut self) -> Option<K> {
        loop {
            if let Some((first, rest)) = self.leaf.split_first() {
                self.leaf = rest;
                self.remaining = self.remaining.saturating_sub(1);
                return Some(*first);
            }
            let top = self.stack.last_mut()?;
            match top.split_first() {
                Some(((_, child), rest)) => {
                    *top = rest;
                    self.descend(child);
                }
                None => {
                    self.stack.pop();
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<K: Copy> ExactSizeIterator for Iter<'_, K> {}

impl<K> fmt::Debug for Iter<'_, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter")
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    /// Checks the tree's invariants and returns its leaf sizes in order.
    fn check(set: &IdSet<u32>) -> Vec<usize> {
        /// Walks `node` at `depth`, pushing leaf sizes and keys, and recording leaf depth.
        fn walk(
            node: &Node<u32>,
            depth: usize,
            leaves: &mut Vec<usize>,
            keys: &mut Vec<u32>,
            leaf_depth: &mut Option<usize>,
        ) {
            match node {
                Node::Leaf(k) => {
                    assert!(!k.is_empty() && k.len() <= LEAF, "leaf of {}", k.len());
                    assert_eq!(
                        *leaf_depth.get_or_insert(depth),
                        depth,
                        "leaves at different depths"
                    );
                    leaves.push(k.len());
                    keys.extend_from_slice(k);
                }
                Node::Inner(children) => {
                    assert!(
                        !children.is_empty() && children.len() <= INNER,
                        "inner of {}",
                        children.len()
                    );
                    for (min, child) in children.iter() {
                        assert_eq!(
                            Some(*min),
                            child.min(),
                            "routing key is not the child's minimum"
                        );
                        let mut below = Vec::new();
                        walk(child, depth + 1, leaves, &mut below, leaf_depth);
                        assert_eq!(below.first(), Some(min));
                        keys.extend(below);
                    }
                }
            }
        }
        let (mut leaves, mut keys, mut depth) = (Vec::new(), Vec::new(), None);
        if let Some(root) = &set.root {
            walk(root, 0, &mut leaves, &mut keys, &mut depth);
        }
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "keys not strictly ascending"
        );
        assert_eq!(keys.len(), set.len());
        assert_eq!(set.root.is_none(), set.is_empty());
        leaves
    }

    /// Asserts that `set` holds exactly the keys of `model`, probing `probe`.
    fn same(set: &IdSet<u32>, model: &BTreeSet<u32>, probe: std::ops::Range<u32>) {
        check(set);
        assert_eq!(set.len(), model.len());
        assert_eq!(set.iter().size_hint(), (model.len(), Some(model.len())));
        assert!(set.iter().eq(model.iter().copied()));
        for key in probe {
            assert_eq!(set.contains(key), model.contains(&key), "contains {key}");
        }
    }

    #[derive(Clone, Debug)]
    enum Op {
        Insert(u32),
        Remove(u32),
        Contains(u32),
    }

    fn ops(keys: u32, max: usize) -> impl Strategy<Value = Vec<Op>> {
        let op = prop_oneof![
            3 => (0..keys).prop_map(Op::Insert),
            2 => (0..keys).prop_map(Op::Remove),
            1 => (0..keys).prop_map(Op::Contains),
        ];
        proptest::collection::vec(op, 0..max)
    }

    /// Runs `ops` on `set` and `model`, checking a clone taken midway.
    fn run(mut set: IdSet<u32>, mut model: BTreeSet<u32>, ops: &[Op], probe: std::ops::Range<u32>) {
        let mut midway = None;
        for (i, op) in ops.iter().enumerate() {
            if i == ops.len() / 2 {
                midway = Some((set.clone(), model.clone()));
            }
            match *op {
                Op::Insert(k) => assert_eq!(set.insert(k), model.insert(k)),
                Op::Remove(k) => assert_eq!(set.remove(k), model.remove(&k)),
                Op::Contains(k) => assert_eq!(set.contains(k), model.contains(&k)),
            }
            assert_eq!(set.len(), model.len());
        }
        same(&set, &model, probe.clone());
        if let Some((old, old_model)) = midway {
            same(&old, &old_model, probe);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn matches_btreeset(ops in ops(2000, 3000)) {
            run(IdSet::new(), BTreeSet::new(), &ops, 0..2001);
        }

        #[test]
        fn matches_btreeset_on_a_deep_tree(n in 0u32..20_000, ops in ops(60_000, 3000)) {
            let model: BTreeSet<u32> = (0..n).map(|i| i * 3).collect();
            let set = IdSet::from_sorted(model.iter().copied().collect());
            run(set, model, &ops, 0..60_001);
        }

        #[test]
        fn from_sorted_sorts_and_dedups(keys in proptest::collection::vec(0u32..5000, 0..3000)) {
            let set = IdSet::from_sorted(keys.clone());
            same(&set, &keys.iter().copied().collect(), 0..5001);
            prop_assert_eq!(set, keys.into_iter().collect::<IdSet<u32>>());
        }
    }

    #[test]
    fn from_sorted_sizes() {
        for n in [0u32, 1, 128, 129, 100_000] {
            let set = IdSet::from_sorted((0..n).collect());
            let leaves = check(&set);
            assert_eq!(leaves.len(), (n as usize).div_ceil(LEAF));
            assert!(set.iter().eq(0..n));
            assert!(!set.contains(n) && (n == 0 || set.contains(n - 1)));
        }
    }

    #[test]
    fn sequential_inserts_fill_every_leaf() {
        let mut set = IdSet::new();
        for i in 0..100_000u32 {
            assert!(set.insert(i));
        }
        let leaves = check(&set);
        assert_eq!(leaves.len(), 100_000usize.div_ceil(LEAF));
        assert!(leaves[..leaves.len() - 1].iter().all(|&n| n == LEAF));
        assert_eq!(set, IdSet::from_sorted((0..100_000).collect()));
    }

    /// The heap bytes of `node` and below: each `Arc` slice with its two counts.
    fn heap<K>(node: &Node<K>) -> usize {
        let counts = 2 * std::mem::size_of::<usize>();
        match node {
            Node::Leaf(keys) => counts + std::mem::size_of_val(&**keys),
            Node::Inner(children) => {
                let below: usize = children.iter().map(|(_, child)| heap(child)).sum();
                counts + std::mem::size_of_val(&**children) + below
            }
        }
    }

    #[test]
    fn sequential_u64_ids_cost_under_nine_bytes_each() {
        let mut set = IdSet::new();
        for i in 0..1_000_000u64 {
            set.insert(i * 7);
        }
        let bytes = heap(set.root.as_ref().unwrap()) as f64 / set.len() as f64;
        assert!(bytes < 8.5, "{bytes} bytes per id");
    }

    #[test]
    fn small_leaves_merge_and_the_root_collapses() {
        let mut set = IdSet::from_sorted((0..1280u32).collect());
        assert_eq!(check(&set).len(), 10);
        // Leaf 2 down to 40 keys: still over a quarter, no merge.
        (256..344).for_each(|k| assert!(set.remove(k)));
        assert_eq!(check(&set)[..4], [128, 128, 40, 128]);
        // Leaf 3 down to 31 keys: merged into leaf 2.
        (384..481).for_each(|k| assert!(set.remove(k)));
        assert_eq!(check(&set)[..4], [128, 128, 71, 128]);
        assert_eq!(set.len(), 1280 - 88 - 97);
        // Down to a few keys: one leaf, no inner node left.
        let left: Vec<u32> = set.iter().collect();
        left[3..].iter().for_each(|&k| assert!(set.remove(k)));
        assert!(matches!(set.root, Some(Node::Leaf(_))));
        assert!(set.iter().eq([0, 1, 2]));
    }

    #[test]
    fn scattered_inserts_then_removes_back_to_empty() {
        let keys: Vec<u32> = (0..50_000u32)
            .map(|i| i.wrapping_mul(2_654_435_761))
            .collect();
        let mut set = IdSet::new();
        for &k in &keys {
            set.insert(k);
        }
        let leaves = check(&set);
        assert!(set.len() * 10 >= leaves.len() * LEAF * 6, "fill under 60%");
        let snapshot = set.clone();
        for (i, &k) in keys.iter().enumerate() {
            assert!(set.remove(k));
            if i % 5000 == 0 {
                check(&set);
            }
        }
        assert!(set.is_empty() && set.root.is_none() && set.iter().next().is_none());
        assert_eq!(snapshot.len(), keys.len());
        assert_eq!(
            format!("{:?}", IdSet::from_sorted(vec![3u32, 1, 2])),
            "{1, 2, 3}"
        );
        assert_eq!(
            format!("{:?}", snapshot.iter()),
            format!("Iter {{ remaining: {}, .. }}", keys.len())
        );
    }
}
