//! The wasm binding (in progress).
