//! The part of the `jwt-accord` command line that is a library: the env-file
//! reader, pure and public so that the fuzz target (fuzz/fuzz_targets/envfile.rs)
//! and the test table (tests/envfiles/) can drive it directly.

pub mod envfile;
