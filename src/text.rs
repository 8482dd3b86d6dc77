//! Text shared by every layer: excerpts for error messages, identifiers,
//! text cleaned for the audit log, and the cheap text type of its events.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use std::sync::{Mutex, OnceLock, PoisonError};

use hashbrown::HashSet;
use smol_str::SmolStr;

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
/// allocating (held inline up to 23 bytes, shared beyond).
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
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(SmolStr);

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
        self.0.as_str()
    }

    /// A number's decimal digits, without allocating.
    pub(crate) fn number(n: u64) -> Self {
        let mut buf = [0u8; 20];
        let mut at = buf.len();
        let mut n = n;
        loop {
            at -= 1;
            if let Some(digit) = buf.get_mut(at) {
                *digit = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 || at == 0 {
                break;
            }
        }
        let digits = buf.get(at..).unwrap_or_default();
        // At most 20 digits: always inline (`new_inline` takes up to 23).
        Self(SmolStr::new_inline(
            std::str::from_utf8(digits).unwrap_or_default(),
        ))
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
        Self(SmolStr::new_static(kept))
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Self(SmolStr::new(text))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self(SmolStr::from(text))
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Self {
        Self(SmolStr::new(text))
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        text.0.into()
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
