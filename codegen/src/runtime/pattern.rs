
// Appended to the validation runtime only when a schema's pattern runs in
// linear time (`regex`); see `pattern_backtrack.rs` for the others.

/// An ECMA-262 pattern the generator translated to `regex` syntax, which
/// matches exactly the same strings in time linear in the input. Built on
/// first use; the generator has compiled the same text, so failure here means
/// a broken build.
#[allow(dead_code)]
pub(crate) struct Pattern {
    /// `regex` syntax, written by the generator.
    linear: &'static str,
    /// `pattern SOURCE`, rendered by the generator.
    constraint: &'static str,
    regex: std::sync::OnceLock<Option<regex::Regex>>,
}

#[allow(dead_code)]
impl Pattern {
    pub(crate) const fn new(linear: &'static str, constraint: &'static str) -> Self {
        Pattern {
            linear,
            constraint,
            regex: std::sync::OnceLock::new(),
        }
    }

    /// Patterns are unanchored: they match anywhere in the string.
    pub(crate) fn matches(&self, value: &str) -> bool {
        let regex = self
            .regex
            .get_or_init(|| regex::Regex::new(self.linear).ok());
        // `find`, not `is_match`: regex 1.13's `is_match` can answer no when
        // an ASCII word-boundary assertion (`(?-u:\B)`, ECMA's `\B`) also
        // matches inside a multi-byte character (`[^a]|(?-u:\B)` on "aéa"),
        // where `find` drops that empty match and reports the real one.
        regex.as_ref().is_some_and(|re| re.find(value).is_some())
    }

    pub(crate) fn check(&self, value: &str, path: &Path<'_>, errs: &mut Violations) {
        if !self.matches(value) {
            errs.push(path, self.constraint, value);
        }
    }
}
