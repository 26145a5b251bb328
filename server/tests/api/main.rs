//! Integration tests over real HTTP: one binary, each test with its own database and app.

mod api_keys;
mod audit;
mod auth;
mod cli;
mod helpers;
mod import;
mod links;
mod matrix;
mod migrations;
mod openapi;
mod ops;
mod orgs;
mod prefixes;
mod products;
mod users;
