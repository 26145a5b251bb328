//! Integration tests over real HTTP: one binary, each test with its own database and app.

mod api_keys;
mod audit;
mod auth;
// certificates
mod accreditations;
mod cert_support;
mod certificates;
mod cli;
mod flow;
mod helpers;
mod import;
mod links;
mod matrix;
mod migrations;
mod openapi;
mod ops;
mod orgs;
mod page;
mod passports;
mod prefixes;
mod products;
mod seed;
mod serial_states;
mod serials;
mod surveillance;
mod users;
