//! The Application Identifier dictionary.
