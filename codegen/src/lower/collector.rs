//! What lowering records on its way, in the manner of serde_derive's
//! `Ctxt`: errors, warnings and the types it makes. A lowering that may be
//! abandoned (a component tried as a typed struct first) records into a
//! collector of its own, merged into its parent when it succeeds and
//! dropped whole when it does not, so nothing has to be undone.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::model::{TypeDef, TypeId, TypeSpace};

/// A lowering failed, and its diagnostics are recorded. Only
/// [`Collector::error`] makes one, so a failure always carries its reason.
#[derive(Debug)]
pub(super) struct Reported(());

/// A lowering's outcome: its result, or [`Reported`].
pub(super) type Lowered<T> = Result<T, Reported>;

/// Every result's value, or a failure once all of them have run (so each
/// failure among them is reported, not only the first).
pub(super) fn all<T>(results: impl IntoIterator<Item = Lowered<T>>) -> Lowered<Vec<T>> {
    let mut out = Vec::new();
    let mut failed = None;
    for result in results {
        match result {
            Ok(value) => out.push(value),
            Err(reported) => failed = Some(reported),
        }
    }
    failed.map_or(Ok(out), Err)
}

#[derive(Default)]
pub(super) struct Collector {
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// The types made so far, by id.
    pub(super) types: BTreeMap<TypeId, TypeDef>,
}

impl Collector {
    pub(super) fn error(&mut self, diagnostic: Diagnostic) -> Reported {
        self.errors.push(diagnostic);
        Reported(())
    }

    /// Records a warning once: a subschema lowered twice (under two dynamic
    /// scopes, say) would otherwise repeat it.
    pub(super) fn warn(&mut self, diagnostic: Diagnostic) {
        if !self.warnings.contains(&diagnostic) {
            self.warnings.push(diagnostic);
        }
    }

    /// `Err` when an error is recorded: the scope failed.
    pub(super) fn check(&self) -> Lowered<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Reported(()))
        }
    }

    /// The errors of a scope being dropped.
    pub(super) fn into_errors(self) -> Vec<Diagnostic> {
        self.errors
    }

    /// Takes in what a child scope recorded.
    pub(super) fn absorb(&mut self, child: Collector) {
        self.errors.extend(child.errors);
        for warning in child.warnings {
            self.warn(warning);
        }
        self.types.extend(child.types);
    }

    /// Hands the run's types and warnings to `space`, its errors to `errors`.
    pub(super) fn finish(self, space: &mut TypeSpace, errors: &mut Vec<Diagnostic>) {
        errors.extend(self.errors);
        for warning in self.warnings {
            if !space.warnings.contains(&warning) {
                space.warnings.push(warning);
            }
        }
        space.types.extend(self.types);
    }
}
