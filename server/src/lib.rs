//! gs1-dpp server: the HTTP service, its storage and its command line, as a library.
#![doc = include_str!("../README.md")]

pub mod access_log;
pub mod api;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod metrics;
pub mod middleware;
pub mod rate_limit;
pub mod redis_kv;
pub mod resolver;
pub mod routes;
pub mod seed;
pub mod startup;
pub mod state;
pub mod subscriptions;
pub mod telemetry;
pub mod web;

pub use config::Settings;
pub use startup::Application;
