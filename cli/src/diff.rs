//! The engine's hints and hazards, under the library's old paths.

pub use schemactl_core::diff::Hints;
pub use schemactl_core::step::Hazard;
