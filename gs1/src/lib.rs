//! The GS1 domain: identifier keys, the Application Identifier dictionary and its linters,
//! element strings, GS1 Digital Link URIs and scanned data. No I/O, no async.
#![doc = include_str!("../README.md")]

pub mod ai;
pub mod cbv;
pub mod check_digit;
pub mod date;
pub mod digital_link;
pub mod element;
pub mod keys;
pub mod link_type;
pub mod lint;
pub mod prefix;
pub mod scan;
