//! The python binding (in progress).
