#![allow(non_upper_case_globals)]
#![allow(non_camel_case_types)]
#![allow(non_snake_case)]
#![allow(unused)]
#![allow(clippy::all)]
// Vendored change: bindgen's output, checked in (see VENDORED.md).
include!("bindings_generated.rs");
