//! Names people read: role and team names, compared the way a person sees
//! them ([semantics](crate::semantics) §8.1).
//!
//! Two names are the same name when their keys are equal. The key is the
//! name's Unicode NFKC form, lowercased, with every run of whitespace as one
//! space, mapped to its confusable skeleton (Unicode Technical Standard #39):
//! so `"Аdmin"` (Cyrillic А), `"Ｏｗｎｅｒ"` and `"End\u{a0}User"` are
//! `"Admin"`, `"Owner"` and `"End User"`. Invisible and direction characters
//! (`Default_Ignorable_Code_Point`, which holds every `Bidi_Control`),
//! deprecated and unassigned code points have no place in a name and are
//! refused rather than compared.

use unicode_normalization::UnicodeNormalization;
use unicode_security::GeneralSecurityProfile;
use unicode_security::general_security_profile::IdentifierType;

/// The first character of `name` that no name may hold: a control
/// character, an invisible or direction character, a deprecated or an
/// unassigned code point.
pub(crate) fn forbidden_char(name: &str) -> Option<char> {
    name.chars().find(|&c| is_forbidden(c))
}

/// Whether `c` may not appear in a name.
pub(crate) fn is_forbidden(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// Whether `c` is invisible, steers the text's direction, or is no
/// character at all: a Unicode `Default_Ignorable_Code_Point` (zero-width
/// characters, joiners, the byte order mark, bidi embeddings, overrides,
/// isolates and marks), a deprecated code point (tag characters among
/// them) or an unassigned, private-use or surrogate code point. Controls are
/// not counted here.
pub(crate) fn is_invisible(c: char) -> bool {
    // A code point the identifier-type table does not list has the type
    // `Not_Character` (the table's `@missing` default): unassigned,
    // private use, noncharacters.
    !c.is_control()
        && matches!(
            c.identifier_type(),
            None | Some(
                IdentifierType::Default_Ignorable
                    | IdentifierType::Deprecated
                    | IdentifierType::Not_Character
            )
        )
}

/// A team name trimmed, if it is 1 to `max` characters long and holds no
/// forbidden character.
pub(crate) fn valid_team_name(name: &str, max: usize) -> Option<&str> {
    let trimmed = name.trim();
    let length = trimmed.chars().count();
    (length > 0 && length <= max && forbidden_char(trimmed).is_none()).then_some(trimmed)
}

/// The key two names are compared by: equal keys are names a person cannot
/// tell apart.
pub(crate) fn key(name: &str) -> String {
    let folded: String = name
        .nfkc()
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .nfkc()
        .collect();
    let mut spaced = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        if !spaced.is_empty() {
            spaced.push(' ');
        }
        spaced.push_str(word);
    }
    unicode_security::skeleton(&spaced).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alikes_share_a_key_and_different_names_do_not() {
        for (a, b) in [
            ("\u{410}dmin", "Admin"),
            ("Ｏｗｎｅｒ", "Owner"),
            ("End  User", "End User"),
            ("End\u{a0}User", "end user"),
            ("Ro\u{302}le", "R\u{f4}le"),
        ] {
            assert_eq!(key(a), key(b), "{a:?} and {b:?}");
        }
        assert_ne!(key("Admin"), key("Owner"));
        assert_ne!(key("Editors"), key("Editor"));
    }

    #[test]
    fn invisible_and_direction_characters_are_forbidden_and_letters_are_not() {
        for c in [
            '\u{200b}',
            '\u{feff}',
            '\u{2060}',
            '\u{202e}',
            '\u{2066}',
            '\u{61c}',
            '\u{ad}',
            '\u{e0001}',
            '\u{7}',
            // Unassigned, private use, noncharacters.
            '\u{378}',
            '\u{e000}',
            '\u{f0000}',
            '\u{fdd0}',
            '\u{ffff}',
        ] {
            assert!(is_forbidden(c), "{:04X}", u32::from(c));
        }
        for c in [
            'a',
            'Z',
            ' ',
            '\u{a0}',
            '\u{410}',
            '\u{f4}',
            '7',
            '*',
            '\u{1f600}',
        ] {
            assert!(!is_forbidden(c), "{:04X}", u32::from(c));
        }
    }
}
