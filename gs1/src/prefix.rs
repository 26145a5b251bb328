//! (placeholder, filled in by the GS1 core work)
