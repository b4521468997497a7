//! `generate`: the rendering is `schemactl-codegen`'s (re-exported here); this module adds
//! what needs a database: the columns of views, resolved by the server ([`views`]) or by
//! an in-memory SQLite database ([`sqlite`]).

pub mod sqlite;
pub mod views;

pub use schemactl_codegen::*;
