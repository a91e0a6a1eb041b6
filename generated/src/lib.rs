//! Typed bindings for Joker.com's Domain Management API (DMAPI).
//!
//! Every request of the DMAPI is a struct generated at build time from the TOML spec in
//! `spec/`: required parameters are arguments of `new(...)`, optional ones are chained
//! setters, parameters that exclude each other are enums, and values have types
//! ([`DomainName`], [`Months`], [`Price`], ...). Each request implements [`Request`]: it
//! knows its wire name, encodes itself as ordered form parameters, and parses its typed
//! [`Request::Output`] from the response envelope.
//!
//! ```
//! use dmapi::{DomainName, DomainRenew, Request, Term, Year};
//!
//! let renew = DomainRenew::new("example.com".parse::<DomainName>()?, Term::Expyear(Year::new(2030)?));
//! let form = renew.to_form();
//! assert_eq!(form.get("expyear"), Some("2030"));
//! assert_eq!(DomainRenew::NAME, "domain-renew");
//! # Ok::<(), dmapi::ValueError>(())
//! ```
//!
//! The [`metadata`] module describes every request (parameters, types, groups, response
//! shape) for tools that work on raw parameters, like the sandbox server and the CLI.

pub use dmapi_runtime as runtime;
pub use dmapi_runtime::*;

include!(concat!(env!("OUT_DIR"), "/dmapi.rs"));
