//! The user table: compact fixed-size records found by id in a few loads.
//!
//! Records live in 4,096 shards chosen by the top bits of a multiplicative
//! hash of the id, each an exact-size slice kept in hash order, with the
//! shard's team lists packed in a second slice. The hash spreads ids evenly,
//! so the rest of its bits say where in the slice a record sits: a check
//! finds its user with two array loads and one record compare, a step or
//! two more when the guess is near, a bisection of what is left when it is
//! not. A change rebuilds one shard and copies the two small arrays above
//! it; every other shard is shared with the snapshots before it.

use std::sync::Arc;

use crate::evaluate::{Principal, UserStatus, Who};
use crate::id::{CustomerId, OrgId, RoleId, TeamId, UserId};

/// Shards per level: 64 × 64 of them in all.
const FAN: usize = 64;

/// Activity never recorded.
pub(super) const NEVER: i64 = i64::MIN;

const _: () = assert!(size_of::<Rec>() == 48, "a user record stays 48 bytes");

/// One user, in 48 bytes: everything a check reads, and when they were
/// last active as of the record's writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Rec {
    /// The id's hash, which orders the shard: compared as it is, with no
    /// multiply per record looked at. The id is read back from it.
    key: u64,
    pub(super) organization: OrgId,
    customer: u64,
    pub(super) last_active: i64,
    pub(super) role: RoleId,
    /// Where the user's teams start in the shard's team slice.
    team_start: u32,
    team_len: u32,
    pub(super) status: UserStatus,
    has_customer: bool,
}

impl Rec {
    pub(super) fn new(
        id: UserId,
        organization: OrgId,
        customer: Option<CustomerId>,
        role: RoleId,
        status: UserStatus,
        last_active: i64,
    ) -> Self {
        Self {
            key: hash(id),
            organization,
            customer: customer.map_or(0, CustomerId::get),
            last_active,
            role,
            team_start: 0,
            team_len: 0,
            status,
            has_customer: customer.is_some(),
        }
    }

    /// The user's id.
    #[inline]
    pub(super) fn id(&self) -> UserId {
        UserId::new(self.key.wrapping_mul(INVERSE))
    }

    pub(super) fn customer(&self) -> Option<CustomerId> {
        self.has_customer.then(|| CustomerId::new(self.customer))
    }
}

/// A record with its teams, as the table hands them out.
#[derive(Clone, Copy, Debug)]
pub(super) struct Entry<'a> {
    pub(super) rec: &'a Rec,
    /// In id order, each once.
    pub(super) teams: &'a [TeamId],
}

impl<'a> Entry<'a> {
    #[inline]
    pub(super) fn who(self) -> Who<'a> {
        Who {
            id: self.rec.id(),
            organization: self.rec.organization,
            customer: self.rec.customer(),
            teams: self.teams,
            role: self.rec.role,
            status: self.rec.status,
        }
    }
}

/// A user found for a check: the record and its shard, the team list and
/// the id read from them only if the check asks (a check that stops at the
/// organization or the status reads neither).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Found<'a> {
    rec: &'a Rec,
    shard: &'a Shard,
}

impl Principal for Found<'_> {
    #[inline(always)]
    fn id(&self) -> UserId {
        self.rec.id()
    }
    #[inline(always)]
    fn organization(&self) -> OrgId {
        self.rec.organization
    }
    #[inline(always)]
    fn customer(&self) -> Option<CustomerId> {
        self.rec.customer()
    }
    /// A list that cannot be read back reads as no team, as in every other
    /// read of the table: teams only ever add access, so that denies what
    /// needs one (fail closed). [`Shard::from_entries`] makes none.
    #[inline(always)]
    fn teams(&self) -> &[TeamId] {
        self.shard.teams_of(self.rec).unwrap_or_default()
    }
    #[inline(always)]
    fn role(&self) -> RoleId {
        self.rec.role
    }
    #[inline(always)]
    fn status(&self) -> UserStatus {
        self.rec.status
    }
}

/// One shard: records in hash order, and their team lists end to end.
#[derive(Clone, Debug, Default)]
struct Shard {
    /// Never absent, so that a lookup tests nothing but the guess's bound.
    recs: Arc<[Rec]>,
    teams: Option<Arc<[TeamId]>>,
}

/// Steps taken from the guessed position before bisecting the rest.
const STEPS: usize = 4;

impl Shard {
    fn recs(&self) -> &[Rec] {
        &self.recs
    }

    /// The record whose id hashes to `h`: the hash is a bijection of the
    /// id, so equal hashes are equal ids.
    #[inline(always)]
    fn find(&self, h: u64) -> Option<&Rec> {
        let recs = &*self.recs;
        let guess = guess(h, recs.len());
        let first = recs.get(guess)?;
        let at = first.key;
        if at == h {
            return Some(first);
        }
        // A few steps towards it, which is where it most often is, then a
        // bisection of what is left.
        if at < h {
            let after = recs.get(guess + 1..)?;
            for rec in after.iter().take(STEPS) {
                if rec.key >= h {
                    return (rec.key == h).then_some(rec);
                }
            }
            Self::bisect(after.get(STEPS..)?, h)
        } else {
            let before = recs.get(..guess)?;
            for rec in before.iter().rev().take(STEPS) {
                if rec.key <= h {
                    return (rec.key == h).then_some(rec);
                }
            }
            Self::bisect(before.get(..before.len().saturating_sub(STEPS))?, h)
        }
    }

    #[cold]
    #[inline(never)]
    fn bisect(recs: &[Rec], h: u64) -> Option<&Rec> {
        recs.get(recs.binary_search_by_key(&h, |r| r.key).ok()?)
    }

    #[inline(always)]
    fn teams_of(&self, rec: &Rec) -> Option<&[TeamId]> {
        if rec.team_len == 0 {
            return Some(&[]);
        }
        let start = usize::try_from(rec.team_start).ok()?;
        let end = start.checked_add(usize::try_from(rec.team_len).ok()?)?;
        self.teams.as_deref()?.get(start..end)
    }

    /// The shard's entries, in hash order. A record whose team list cannot
    /// be read has no team, as in [`UserTable::get`].
    fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        self.recs().iter().map(|rec| Entry {
            rec,
            teams: self.teams_of(rec).unwrap_or_default(),
        })
    }

    /// A shard holding `entries`, which must be in hash order.
    fn from_entries<'a>(entries: impl IntoIterator<Item = (Rec, &'a [TeamId])>) -> Self {
        let mut recs = Vec::new();
        let mut teams = Vec::new();
        for (mut rec, list) in entries {
            // A list the record's fields cannot locate (past 2^32 team ids
            // in one shard) is not kept: the record has no team, which
            // denies whatever needs one (fail closed), and no record can
            // point into another's list.
            let start = u32::try_from(teams.len()).ok();
            let len = u32::try_from(list.len()).ok();
            match (start, len) {
                (Some(start), Some(len)) if start.checked_add(len).is_some() => {
                    rec.team_start = start;
                    rec.team_len = len;
                    teams.extend_from_slice(list);
                }
                _ => {
                    rec.team_start = 0;
                    rec.team_len = 0;
                }
            }
            recs.push(rec);
        }
        Self {
            // An empty shard keeps no allocation of its own.
            recs: if recs.is_empty() {
                Arc::default()
            } else {
                recs.into()
            },
            teams: (!teams.is_empty()).then(|| teams.into()),
        }
    }
}

type Level = [Shard; FAN];

/// The hash of an id. Fibonacci hashing: the top bits of the product
/// spread any run of ids evenly.
#[inline]
fn hash(id: UserId) -> u64 {
    id.get().wrapping_mul(MULTIPLIER)
}

/// Fibonacci hashing's multiplier: 2⁶⁴ over the golden ratio, made odd.
const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// The inverse of [`MULTIPLIER`] modulo 2⁶⁴ (it is odd, so it has one),
/// which turns a hash back into its id.
const INVERSE: u64 = {
    // Newton's iteration doubles the number of correct low bits each step:
    // 1 bit to start (x = m is right modulo 2), 64 after six steps.
    let m = MULTIPLIER;
    let mut x = m;
    let mut i = 0;
    while i < 6 {
        x = x.wrapping_mul(2u64.wrapping_sub(m.wrapping_mul(x)));
        i += 1;
    }
    x
};

const _: () = assert!(MULTIPLIER.wrapping_mul(INVERSE) == 1);

/// Where in a shard of `len` records the one whose id hashes to `h` most
/// likely sits: the bits below the shard's, as a fraction of the slice.
#[inline(always)]
fn guess(h: u64, len: usize) -> usize {
    ((u128::from(h << 12) * len as u128) >> 64) as usize
}

/// Where a hash lives: top and second-level index, from its top 12 bits.
#[inline]
fn place_of(h: u64) -> (usize, usize) {
    ((h >> 58) as usize, ((h >> 52) & 0x3F) as usize)
}

/// Users by id, in shards shared between snapshots.
#[derive(Clone, Debug)]
pub(super) struct UserTable {
    /// Never absent (an empty table shares one empty level), so that a
    /// lookup loads a level with no test.
    top: [Arc<Level>; FAN],
    len: usize,
}

impl Default for UserTable {
    fn default() -> Self {
        Self {
            top: {
                let empty: Arc<Level> = Arc::new(std::array::from_fn(|_| Shard::default()));
                std::array::from_fn(|_| Arc::clone(&empty))
            },
            len: 0,
        }
    }
}

impl UserTable {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    #[inline(always)]
    fn shard(&self, (a, b): (usize, usize)) -> Option<&Shard> {
        self.top.get(a)?.get(b)
    }

    /// The shard at `at`, made unique to this table for a write.
    fn shard_mut(&mut self, (a, b): (usize, usize)) -> Option<&mut Shard> {
        Arc::make_mut(self.top.get_mut(a)?).get_mut(b)
    }

    /// User `id` with their teams.
    #[inline(always)]
    pub(super) fn get(&self, id: UserId) -> Option<Entry<'_>> {
        let h = hash(id);
        let shard = self.shard(place_of(h))?;
        let rec = shard.find(h)?;
        Some(Entry {
            rec,
            teams: shard.teams_of(rec).unwrap_or_default(),
        })
    }

    /// User `id` for a check, its team list read only when the check asks.
    #[inline(always)]
    pub(super) fn find(&self, id: UserId) -> Option<Found<'_>> {
        let h = hash(id);
        let shard = self.shard(place_of(h))?;
        let rec = shard.find(h)?;
        Some(Found { rec, shard })
    }

    /// Adds or replaces the record of `rec.id()`, with `teams` (in id order);
    /// returns the record it replaced.
    pub(super) fn put(&mut self, rec: Rec, teams: &[TeamId]) -> Option<Rec> {
        let h = rec.key;
        let shard = self.shard_mut(place_of(h))?;
        let replaced = shard.find(h).copied();
        let next = Shard::from_entries(
            shard
                .entries()
                .filter(|e| e.rec.key < h)
                .map(|e| (*e.rec, e.teams))
                .chain(std::iter::once((rec, teams)))
                .chain(
                    shard
                        .entries()
                        .filter(|e| e.rec.key > h)
                        .map(|e| (*e.rec, e.teams)),
                ),
        );
        *shard = next;
        if replaced.is_none() {
            self.len += 1;
        }
        replaced
    }

    /// Removes user `id`; returns their record.
    pub(super) fn remove(&mut self, id: UserId) -> Option<Rec> {
        let h = hash(id);
        let at = place_of(h);
        let shard = self.shard(at)?;
        let removed = shard.find(h).copied()?;
        let next = Shard::from_entries(
            shard
                .entries()
                .filter(|e| e.rec.key != h)
                .map(|e| (*e.rec, e.teams)),
        );
        *self.shard_mut(at)? = next;
        self.len = self.len.saturating_sub(1);
        Some(removed)
    }

    /// Adds records for users that are not in the table, with their teams,
    /// rebuilding each shard they land in once. A repeated id keeps the
    /// last of its records.
    pub(super) fn extend(&mut self, mut items: Vec<(Rec, Box<[TeamId]>)>) {
        // Hash order is shard order, then order within the shard.
        items.sort_by_key(|(rec, _)| rec.key);
        let mut rest = items.as_slice();
        while let Some((first, _)) = rest.first() {
            let at = place_of(first.key);
            let n = rest
                .iter()
                .take_while(|(r, _)| place_of(r.key) == at)
                .count();
            let (group, tail) = rest.split_at(n);
            rest = tail;
            let Some(shard) = self.shard_mut(at) else {
                continue;
            };
            let mut merged: Vec<(Rec, &[TeamId])> = shard
                .entries()
                .map(|e| (*e.rec, e.teams))
                .chain(group.iter().map(|(r, t)| (*r, &**t)))
                .collect();
            // Stable: of two records with one id, the later is kept.
            merged.sort_by_key(|(r, _)| r.key);
            let mut kept: Vec<(Rec, &[TeamId])> = Vec::with_capacity(merged.len());
            for item in merged {
                match kept.last_mut() {
                    Some(last) if last.0.key == item.0.key => *last = item,
                    _ => kept.push(item),
                }
            }
            let before = shard.recs().len();
            let after = kept.len();
            *shard = Shard::from_entries(kept);
            self.len = self.len.saturating_sub(before).saturating_add(after);
        }
    }

    /// Every user, shard by shard (not in id order).
    pub(super) fn iter(&self) -> impl Iterator<Item = Entry<'_>> {
        self.top
            .iter()
            .flat_map(|level| level.iter())
            .flat_map(Shard::entries)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::role::SystemRole;

    fn rec(id: u64) -> Rec {
        Rec::new(
            UserId::new(id),
            OrgId::new(id % 7),
            None,
            SystemRole::Viewer.id(),
            UserStatus::Active,
            NEVER,
        )
    }

    /// Every record is found by id and no other id is: a guess that hits,
    /// the steps either side of it, and the bisection past them (shards of
    /// some 50 records, where guesses miss by more than the steps).
    #[test]
    fn every_user_is_found_by_id_and_no_other() {
        let mut table = UserTable::default();
        // Ids in a run spread evenly under the hash and guesses mostly hit;
        // scattered ids (splitmix64) land as chance has it.
        let mut ids: Vec<u64> = (0..100_000u64).map(|i| i * 3 + 1).collect();
        ids.extend((0..100_000u64).map(|i| {
            let mut z = i.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) | 1 << 63
        }));
        table.extend(ids.iter().map(|&id| (rec(id), Box::from([]))).collect());
        assert_eq!(table.len(), ids.len());
        let (mut hits, mut far) = (0, 0);
        for &id in &ids {
            let entry = table.get(UserId::new(id)).unwrap();
            assert_eq!(entry.rec.id(), UserId::new(id));
            assert_eq!(entry.rec.organization, OrgId::new(id % 7));
            let h = hash(UserId::new(id));
            let shard = table.shard(place_of(h)).unwrap();
            let recs = shard.recs();
            let guess = guess(h, recs.len());
            let at = recs.iter().position(|r| r.key == h).unwrap();
            hits += usize::from(at == guess);
            far += usize::from(at.abs_diff(guess) > STEPS);
            assert!(table.get(UserId::new(id.wrapping_add(1))).is_none());
        }
        assert!(hits > 0 && far > 0, "{hits} hits, {far} past the steps");
        assert!(table.get(UserId::new(0)).is_none());
    }

    /// A record whose team list cannot be read back reads as having no team
    /// to every lookup, the one for checks as the one for listings.
    #[test]
    fn a_record_with_an_unreadable_team_list_has_no_team() {
        let mut table = UserTable::default();
        let (ok, bad) = (UserId::new(1), UserId::new(2));
        table.put(rec(1), &[TeamId::new(7)]);
        let mut broken = rec(2);
        broken.team_start = 0;
        broken.team_len = 5;
        let at = place_of(broken.key);
        let shard = table.shard_mut(at).unwrap();
        *shard = Shard {
            recs: Arc::from([broken]),
            teams: Some(Arc::from([TeamId::new(7)])),
        };
        assert!(table.get(bad).unwrap().teams.is_empty());
        assert!(table.find(bad).unwrap().teams().is_empty());
        assert_eq!(table.iter().filter(|e| e.rec.id() == bad).count(), 1);
        let found = table.find(ok).unwrap();
        assert_eq!(found.teams(), [TeamId::new(7)]);
        assert_eq!(table.get(ok).unwrap().teams, [TeamId::new(7)]);
    }

    /// The id read back from a record's key is the id it was made with.
    #[test]
    fn the_key_gives_the_id_back() {
        for id in [0, 1, 2, 12_345, u64::MAX / 3, u64::MAX - 1, u64::MAX] {
            assert_eq!(rec(id).id(), UserId::new(id));
        }
    }
}
