//! GS1 identifier keys.
