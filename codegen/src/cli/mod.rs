//! The `diff` and `update` commands: reading both versions (files, folders,
//! a git revision), printing the report, exit codes.

pub mod diff;
mod git;
mod release;
pub mod update;
