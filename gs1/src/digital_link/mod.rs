//! GS1 Digital Link URIs.

use crate::element::{AiString, ElementError, Options};

/// The AIs a Digital Link URI carries (placeholder until the Digital Link parser lands).
pub(crate) fn parse_ais(uri: &str, opts: &Options) -> Result<AiString, ElementError> {
    let _ = (uri, opts);
    Err(ElementError::Empty)
}
