//! Element strings.
