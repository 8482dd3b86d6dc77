//! A runtime-sized set of permissions: a small vector of 64-bit words.

use core::fmt;

use smallvec::SmallVec;

use super::PermissionId;

/// A set of [`PermissionId`]s, one bit each.
///
/// Catalogs of up to 128 permissions fit inline; larger ones spill to the
/// heap. The words never end in a zero word, so equal sets compare equal.
///
/// # Examples
///
/// ```
/// use rolegate::catalog::PermissionSet;
/// use rolegate::Catalog;
///
/// let catalog = Catalog::standard();
/// let read = catalog.permission("workflows", "read")?;
/// let execute = catalog.permission("workflows", "execute")?;
///
/// let mut set = PermissionSet::new();
/// set.insert(read);
/// let both: PermissionSet = [read, execute].into_iter().collect();
/// assert!(set.is_subset(&both));
/// assert_eq!(both.difference(&set).iter().collect::<Vec<_>>(), [execute]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct PermissionSet {
    words: SmallVec<[u64; 2]>,
}

impl PermissionSet {
    /// The empty set.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::PermissionSet;
    ///
    /// let set = PermissionSet::new();
    /// assert!(set.is_empty());
    /// assert_eq!(set, PermissionSet::default());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The word holding bit `word * 64 .. word * 64 + 63`; zero past the end.
    #[inline]
    pub(crate) fn word(&self, word: usize) -> u64 {
        self.words.get(word).copied().unwrap_or(0)
    }

    /// Adds a permission; returns whether it was absent.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::PermissionSet;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let execute = catalog.permission("workflows", "execute")?;
    /// let mut set = PermissionSet::new();
    /// assert!(set.insert(execute));
    /// assert!(!set.insert(execute));
    /// assert_eq!(set.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert(&mut self, permission: PermissionId) -> bool {
        let (w, bit) = locate(permission);
        if self.words.len() <= w {
            self.words.resize(w + 1, 0);
        }
        match self.words.get_mut(w) {
            Some(word) => {
                let absent = *word & bit == 0;
                *word |= bit;
                absent
            }
            None => false,
        }
    }

    /// Removes a permission; returns whether it was present.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Role, SystemRole};
    ///
    /// let catalog = Catalog::standard();
    /// let mut set = Role::system(&catalog, SystemRole::Viewer).permissions();
    /// let read = catalog.permission("organization", "read")?;
    /// assert!(set.remove(read));
    /// assert!(!set.remove(read));
    /// assert_eq!(set.len(), 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove(&mut self, permission: PermissionId) -> bool {
        let (w, bit) = locate(permission);
        let present = match self.words.get_mut(w) {
            Some(word) => {
                let present = *word & bit != 0;
                *word &= !bit;
                present
            }
            None => false,
        };
        self.trim();
        present
    }

    /// Whether the set holds `permission`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Role, SystemRole};
    ///
    /// let catalog = Catalog::standard();
    /// let operator = Role::system(&catalog, SystemRole::Operator).permissions();
    /// assert!(operator.contains(catalog.permission("connections", "share")?));
    /// assert!(!operator.contains(catalog.permission("connectors", "deploy_prod")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    #[must_use]
    pub fn contains(&self, permission: PermissionId) -> bool {
        let (w, bit) = locate(permission);
        self.word(w) & bit != 0
    }

    /// Number of permissions in the set.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Role, SystemRole};
    ///
    /// let catalog = Catalog::standard();
    /// assert_eq!(Role::system(&catalog, SystemRole::Operator).permissions().len(), 18);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether the set is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::PermissionSet;
    /// use rolegate::{OrgId, Role};
    ///
    /// assert!(PermissionSet::new().is_empty());
    /// let nobody = Role::custom(OrgId::new(1), "Nobody", [])?;
    /// assert!(nobody.permissions().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether every permission of `self` is in `other`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Role, SystemRole};
    ///
    /// let catalog = Catalog::standard();
    /// let viewer = Role::system(&catalog, SystemRole::Viewer).permissions();
    /// let operator = Role::system(&catalog, SystemRole::Operator).permissions();
    /// assert!(viewer.is_subset(&operator));
    /// assert!(!operator.is_subset(&viewer));
    /// ```
    #[must_use]
    pub fn is_subset(&self, other: &Self) -> bool {
        self.words
            .iter()
            .enumerate()
            .all(|(i, &w)| w & !other.word(i) == 0)
    }

    /// The permissions in either set.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Role, SystemRole};
    ///
    /// let catalog = Catalog::standard();
    /// let viewer = Role::system(&catalog, SystemRole::Viewer).permissions();
    /// let end_user = Role::system(&catalog, SystemRole::EndUser).permissions();
    /// // 7 + 9 permissions, 4 of them in both.
    /// assert_eq!(viewer.union(&end_user).len(), 12);
    /// ```
    #[must_use]
    pub fn union(&self, other: &Self) -> Self {
        let n = self.words.len().max(other.words.len());
        self.zip_with(other, n, |a, b| a | b)
    }

    /// The permissions in `self` but not in `other`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Role, SystemRole};
    ///
    /// let catalog = Catalog::standard();
    /// let owner = Role::system(&catalog, SystemRole::Owner).permissions();
    /// let developer = Role::system(&catalog, SystemRole::Developer).permissions();
    /// let lacks: Vec<&str> = owner
    ///     .difference(&developer)
    ///     .iter()
    ///     .filter_map(|p| catalog.permission_name(p))
    ///     .collect();
    /// assert_eq!(
    ///     lacks,
    ///     ["organization.update", "billing.read", "billing.update", "members.manage", "roles.manage"]
    /// );
    /// ```
    #[must_use]
    pub fn difference(&self, other: &Self) -> Self {
        self.zip_with(other, self.words.len(), |a, b| a & !b)
    }

    /// The permissions in both sets.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Role, SystemRole};
    ///
    /// let catalog = Catalog::standard();
    /// let viewer = Role::system(&catalog, SystemRole::Viewer).permissions();
    /// let end_user = Role::system(&catalog, SystemRole::EndUser).permissions();
    /// let both: Vec<&str> = viewer
    ///     .intersection(&end_user)
    ///     .iter()
    ///     .filter_map(|p| catalog.permission_name(p))
    ///     .collect();
    /// assert_eq!(both, ["connectors.read", "connections.read", "workflows.read", "activity.read"]);
    /// ```
    #[must_use]
    pub fn intersection(&self, other: &Self) -> Self {
        let n = self.words.len().min(other.words.len());
        self.zip_with(other, n, |a, b| a & b)
    }

    fn zip_with(&self, other: &Self, n: usize, f: impl Fn(u64, u64) -> u64) -> Self {
        let mut out = Self {
            words: (0..n).map(|i| f(self.word(i), other.word(i))).collect(),
        };
        out.trim();
        out
    }

    /// The permissions in ascending id order.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::PermissionSet;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let read = catalog.permission("workflows", "read")?;
    /// let create = catalog.permission("connectors", "create")?;
    /// let set: PermissionSet = [read, create].into_iter().collect();
    /// // Ascending ids: the catalog's declaration order.
    /// assert_eq!(set.iter().collect::<Vec<_>>(), [create, read]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = PermissionId> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            core::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                PermissionId::new(i * 64 + bit)
            })
        })
    }

    fn trim(&mut self) {
        while self.words.last() == Some(&0) {
            self.words.pop();
        }
    }
}

#[inline]
fn locate(permission: PermissionId) -> (usize, u64) {
    let i = permission.index();
    (i >> 6, 1u64 << (i & 63))
}

impl FromIterator<PermissionId> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = PermissionId>>(iter: I) -> Self {
        let mut set = Self::new();
        set.extend(iter);
        set
    }
}

impl Extend<PermissionId> for PermissionSet {
    fn extend<I: IntoIterator<Item = PermissionId>>(&mut self, iter: I) {
        for p in iter {
            self.insert(p);
        }
    }
}

impl fmt::Debug for PermissionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(|p| p.index()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(i: usize) -> PermissionId {
        PermissionId::new(i).unwrap()
    }

    #[test]
    fn grows_past_inline_words_and_trims_back() {
        let mut set = PermissionSet::new();
        assert!(set.insert(p(300)));
        assert!(!set.insert(p(300)));
        assert!(set.insert(p(2)));
        assert!(set.contains(p(300)) && set.contains(p(2)) && !set.contains(p(299)));
        assert_eq!(set.iter().collect::<Vec<_>>(), [p(2), p(300)]);
        assert!(set.remove(p(300)));
        assert_eq!(set, [p(2)].into_iter().collect());
        assert_eq!(set.len(), 1);
    }
}
