//! Text shared by every layer: excerpts for error messages, identifiers,
//! text cleaned for the audit log, and the cheap text type of its events.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use hashbrown::HashSet;

/// A name, shortened for an error message when it is very long.
pub(crate) fn excerpt(name: &str) -> String {
    const LIMIT: usize = 120;
    match name.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", name.get(..cut).unwrap_or_default()),
        None => name.to_owned(),
    }
}

/// Whether `name` is a valid catalog name: an ASCII identifier of at most 64
/// characters.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok && name.len() <= 64 && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The longest text an event keeps of a reason, in characters.
pub(crate) const MAX_TEXT: usize = 512;

/// Text made safe for an event: control, line-breaking, invisible and
/// direction characters are escaped (so nothing can forge another event or
/// line, or show a reader other text than is stored), and very long text
/// is cut.
pub(crate) fn clean_text(text: &str) -> String {
    clean_display(&text)
}

/// [`clean_text`] of what `value` displays, written as it is displayed and
/// stopped at the cut: a value whose whole text would be megabytes costs
/// no more than the [`MAX_TEXT`] characters kept.
pub(crate) fn clean_display(value: &dyn fmt::Display) -> String {
    use fmt::Write as _;
    let mut out = Cleaned {
        out: String::new(),
        chars: 0,
    };
    // An error here is the cut (or a display that failed): what was written
    // so far is the text.
    let _ = write!(out, "{value}");
    out.out
}

/// A writer escaping what [`clean_text`] escapes, refusing to go on past
/// [`MAX_TEXT`] characters.
struct Cleaned {
    out: String,
    chars: usize,
}

impl fmt::Write for Cleaned {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        for c in text.chars() {
            if self.chars == MAX_TEXT {
                self.out.push('…');
                self.chars += 1;
                return Err(fmt::Error);
            }
            if self.chars > MAX_TEXT {
                return Err(fmt::Error);
            }
            self.chars += 1;
            if c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}')
                || crate::name::is_invisible(c)
            {
                self.out.extend(c.escape_default());
            } else {
                self.out.push(c);
            }
        }
        Ok(())
    }
}

/// A text field of an event: an immutable string that is copied without
/// allocating (the catalog's names by reference, up to 15 bytes inline,
/// shared beyond).
///
/// # Examples
///
/// ```
/// use rolegate::audit::Text;
///
/// let action = Text::from("workflows.execute");
/// let copy = action.clone();
/// assert_eq!(copy, "workflows.execute");
/// assert_eq!(copy.len(), 17);
/// assert_eq!(copy.as_str(), &*action);
/// ```
#[derive(Clone)]
pub struct Text(Repr);

/// A name the process keeps for good (the catalog's, interned) is held as
/// the reference alone, a text of up to 15 bytes (a role's name, a
/// resource's id) in place, and a longer one shared. Each variant is two
/// aligned words after the tag, so that a copy into an event is whole-word
/// moves (a copy in pieces of odd size would make the next read of the
/// event wait for them).
#[derive(Clone)]
enum Repr {
    Kept(&'static str),
    Small(Small),
    Shared(Arc<str>),
}

/// The bytes a [`Repr::Small`] holds at most.
const SMALL: usize = 15;

/// Up to [`SMALL`] bytes of UTF-8 after their number: two aligned words,
/// one array, so that it is built and copied whole.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct Small([u8; SMALL + 1]);

impl Small {
    fn new(text: &str) -> Option<Self> {
        let mut all = [0u8; SMALL + 1];
        let (len, bytes) = all.split_first_mut()?;
        bytes
            .get_mut(..text.len())?
            .copy_from_slice(text.as_bytes());
        *len = u8::try_from(text.len()).ok()?;
        Some(Self(all))
    }

    fn as_str(&self) -> &str {
        let Some((&len, bytes)) = self.0.split_first() else {
            return "";
        };
        let bytes = bytes.get(..usize::from(len)).unwrap_or_default();
        // Made from a `str` or from ASCII digits: always UTF-8.
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}

const _: () = assert!(size_of::<Text>() == 24, "a text stays three words");

impl Default for Text {
    fn default() -> Self {
        Self(Repr::Kept(""))
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl core::hash::Hash for Text {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Text {
    /// The text.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::Text;
    ///
    /// assert_eq!(Text::from("auth.login").as_str(), "auth.login");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Kept(text) => text,
            Repr::Small(small) => small.as_str(),
            Repr::Shared(text) => text,
        }
    }

    /// Text that is not kept for good: in place when short.
    fn owned(text: &str) -> Self {
        match Small::new(text) {
            Some(small) => Self(Repr::Small(small)),
            None => Self(Repr::Shared(Arc::from(text))),
        }
    }

    /// A number's decimal digits, without allocating up to 15 of them:
    /// gathered in a register with their count, then stored whole.
    #[inline]
    pub(crate) fn number(n: u64) -> Self {
        if n >= 1_000_000_000_000_000 {
            return Self::owned(&n.to_string());
        }
        let (mut digits, mut len, mut rest) = (0u128, 0u8, n);
        loop {
            digits = digits << 8 | u128::from(b'0' + (rest % 10) as u8);
            len += 1;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        // The digit gathered last, the first of the text, is the lowest
        // byte; the count goes below it.
        Self(Repr::Small(Small(
            (digits << 8 | u128::from(len)).to_le_bytes(),
        )))
    }
}

impl Text {
    /// `name`, kept for the life of the process once per distinct name,
    /// so that copies of the text are a pointer and a length: for the
    /// catalog's names, which every recorded check copies. A catalog's
    /// names are few and fixed; rebuilding catalogs with the same names
    /// keeps them once.
    pub(crate) fn interned(name: &str) -> Self {
        static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
        let mut names = NAMES
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let kept: &'static str = match names.get(name) {
            Some(kept) => kept,
            None => {
                let kept: &'static str = Box::leak(Box::from(name));
                names.insert(kept);
                kept
            }
        };
        Self(Repr::Kept(kept))
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Self::owned(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self::owned(&text)
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Self {
        Self::owned(text)
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        match text.0 {
            Repr::Kept(text) => text.to_owned(),
            Repr::Small(small) => small.as_str().to_owned(),
            Repr::Shared(text) => text.as_ref().to_owned(),
        }
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    use super::*;

    fn hash(text: &Text) -> u64 {
        let mut h = DefaultHasher::new();
        text.hash(&mut h);
        h.finish()
    }

    /// Every number's text is its decimal digits, on both sides of the
    /// fifteen digits held in place.
    #[test]
    fn a_numbers_text_is_its_digits() {
        let mut numbers = vec![0, 1, 9, 10, 99, 100, 12_345, u64::MAX - 1, u64::MAX];
        for k in 1..20u32 {
            let p = 10u64.pow(k);
            numbers.extend([p - 1, p, p + 1]);
        }
        for n in numbers {
            let text = Text::number(n);
            assert_eq!(text.as_str(), n.to_string(), "{n}");
            assert_eq!(text, Text::from(n.to_string()));
            let small = n < 1_000_000_000_000_000;
            assert_eq!(matches!(text.0, Repr::Small(_)), small, "{n}");
        }
    }

    /// Kept, in place and shared texts of the same characters are equal,
    /// hash alike and order by their characters.
    #[test]
    fn texts_compare_by_their_characters_whatever_their_form() {
        for s in [
            "",
            "a",
            "Developer",
            "fifteen bytes!!",
            "sixteen bytes!!!",
            "é and more, past any inline size",
        ] {
            let kept = Text::interned(s);
            let owned = Text::from(s);
            let from_string = Text::from(s.to_owned());
            assert!(matches!(kept.0, Repr::Kept(_)));
            assert_eq!(matches!(owned.0, Repr::Small(_)), s.len() <= SMALL, "{s}");
            for t in [&owned, &from_string, &kept.clone(), &owned.clone()] {
                assert_eq!(t.as_str(), s);
                assert_eq!(t, &kept);
                assert_eq!(hash(t), hash(&kept));
                assert_eq!(String::from(t.clone()), s);
            }
        }
        let (a, b) = (Text::interned("a"), Text::from("b"));
        assert!(b > a);
        assert_eq!(a.cmp(&b), core::cmp::Ordering::Less);
        let (abc, abd) = (Text::interned("abc"), Text::from("abd"));
        assert!(abc < abd);
        assert_eq!(abc.cmp(&Text::from("abc")), core::cmp::Ordering::Equal);
        assert_eq!(Text::default(), Text::from(""));
    }
}
