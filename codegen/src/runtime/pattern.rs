
// Appended to the validation runtime only when a schema uses `pattern`, so a
// crate without patterns does not depend on regress.

/// A compiled ECMA-262 pattern, built on first use. The generator has already
/// compiled the same source once, so failure here means a broken build.
#[allow(dead_code)]
pub(crate) struct Pattern {
    source: &'static str,
    /// `pattern SOURCE`, rendered by the generator.
    constraint: &'static str,
    regex: std::sync::OnceLock<Option<regress::Regex>>,
}

#[allow(dead_code)]
impl Pattern {
    pub(crate) const fn new(source: &'static str, constraint: &'static str) -> Self {
        Pattern {
            source,
            constraint,
            regex: std::sync::OnceLock::new(),
        }
    }

    /// Patterns are unanchored: they match anywhere in the string.
    pub(crate) fn check(&self, value: &str, path: &Path<'_>, errs: &mut Violations) {
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
