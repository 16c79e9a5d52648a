
// Appended to the validation runtime only when a schema's pattern needs
// backtracking (a backreference, lookaround or `\p{…}`), so a crate without
// one does not depend on regress.

/// Longest value, in characters, a backtracking pattern is run on: regress has
/// no step limit, and its time grows with the input. A longer value is a
/// violation. (The generator refuses such patterns with nested quantifiers,
/// whose time is exponential even on short values.)
pub(crate) const BACKTRACK_INPUT_LIMIT: usize = 1000;

/// An ECMA-262 pattern checked by regress, built on first use. The generator
/// has already compiled the same source, so failure here means a broken build.
#[allow(dead_code)]
pub(crate) struct BacktrackPattern {
    source: &'static str,
    /// `pattern SOURCE`, rendered by the generator.
    constraint: &'static str,
    regex: std::sync::OnceLock<Option<regress::Regex>>,
}

#[allow(dead_code)]
impl BacktrackPattern {
    pub(crate) const fn new(source: &'static str, constraint: &'static str) -> Self {
        BacktrackPattern {
            source,
            constraint,
            regex: std::sync::OnceLock::new(),
        }
    }

    /// Patterns are unanchored: they match anywhere in the string.
    pub(crate) fn check(&self, value: &str, path: &Path<'_>, errs: &mut Violations) {
        if value.chars().nth(BACKTRACK_INPUT_LIMIT).is_some() {
            let constraint = format!(
                "{} (checked on at most {BACKTRACK_INPUT_LIMIT} characters: the pattern needs backtracking)",
                self.constraint
            );
            errs.push(path, constraint, value);
            return;
        }
        let regex = self
            .regex
            .get_or_init(|| regress::Regex::with_flags(self.source, "u").ok());
        let ok = match regex {
            Some(re) => re.find(value).is_some(),
            None => false,
        };
        if !ok {
            errs.push(path, self.constraint, value);
        }
    }
}
