//! SeaORM entities for the model in `schema.yaml`.
//!
//! The modules are written by `schemactl generate entities`; nothing here is edited by hand.
