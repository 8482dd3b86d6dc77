//! The JSON reading and writing every document shares: size and version checks, parse errors, pretty text.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{DocumentError, MAX_DOCUMENT_BYTES, VERSION};

/// The longest message kept from the JSON parser, in bytes: the parser
/// quotes what it did not expect, which may be a whole string.
const MAX_MESSAGE: usize = 400;

/// A parser error as a document error: its position, and its message
/// without the position serde_json appends.
fn json_error(error: &serde_json::Error) -> DocumentError {
    let (line, column) = (error.line(), error.column());
    let text = error.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = text.strip_suffix(&suffix).unwrap_or(&text);
    let message = match message.char_indices().find(|&(i, _)| i >= MAX_MESSAGE) {
        Some((cut, _)) => format!("{}…", message.get(..cut).unwrap_or_default()),
        None => message.to_owned(),
    };
    DocumentError::Json {
        line,
        column,
        message,
    }
}

/// The `version` field, read first and on its own, so that a document of
/// another version is refused as such whatever else it holds.
#[derive(Deserialize)]
#[serde(expecting = "a rolegate document: a JSON object with a version")]
struct VersionProbe {
    #[serde(default)]
    version: Option<u64>,
}

/// The `version` field of a document being read: [`VERSION`] and nothing
/// else.
pub(super) struct Version;

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(VERSION)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match u64::deserialize(d)? {
            VERSION => Ok(Self),
            other => Err(D::Error::custom(format!(
                "unsupported document version {other}; this version of rolegate reads version {VERSION}"
            ))),
        }
    }
}

/// Checks the length and the version, then parses.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, DocumentError> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(DocumentError::TooLarge {
            size: text.len(),
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    let probe: VersionProbe = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    if let Some(found) = probe.version.filter(|&v| v != VERSION) {
        return Err(DocumentError::Version {
            found,
            supported: VERSION,
        });
    }
    serde_json::from_str(text).map_err(|e| json_error(&e))
}

/// Pretty JSON with a final newline. Serializing a document cannot fail:
/// every map key is a field name and no value refuses to be written; were
/// it to fail, the empty text would not read back as a document.
pub(super) fn pretty<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
