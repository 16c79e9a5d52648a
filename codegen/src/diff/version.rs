//! The next version of the generated crates, from a report: what Cargo's
//! semver rules make of the changes (the breaking component is the first
//! non-zero one: `0.3.1` → `0.4.0`, `1.2.3` → `2.0.0`, `0.0.4` → `0.0.5`).

use std::fmt;

use super::{Impact, Report};

/// How much the crates' version moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Documentation only: the patch number.
    Docs,
    /// Additions: the minor number (the patch number before 1.0, where the
    /// minor one is the breaking component).
    Additive,
    /// Code written against the old crates may stop compiling, or a request
    /// it sends may now be refused: the breaking component.
    Breaking,
}

impl Bump {
    /// The bump `report` calls for; `None` when nothing changed. A wire
    /// break counts as breaking even where the Rust API is unchanged (a
    /// caller's request refused is a change its authors must hear of), and
    /// so does an acknowledged one (acknowledging decides whether CI fails,
    /// not what the change is).
    pub fn of(report: &Report) -> Option<Bump> {
        report
            .changes
            .iter()
            .map(|c| match c.wire.max(c.api) {
                Impact::Breaking => Bump::Breaking,
                Impact::Additive => Bump::Additive,
                Impact::None => Bump::Docs,
            })
            .max()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Docs => "docs",
            Bump::Additive => "additive",
            Bump::Breaking => "breaking",
        }
    }
}

/// A release version: three numbers. Pre-release and build suffixes are
/// refused: which one comes next is a person's call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl std::str::FromStr for Version {
    type Err = String;

    fn from_str(text: &str) -> Result<Version, String> {
        let numbers: Vec<Option<u64>> = text
            .split('.')
            .map(|n| {
                // No sign, no leading zero (semver's rule), digits only.
                let plain = !n.is_empty()
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && (n == "0" || !n.starts_with('0'));
                plain.then(|| n.parse().ok()).flatten()
            })
            .collect();
        match numbers[..] {
            [Some(major), Some(minor), Some(patch)] => Ok(Version {
                major,
                minor,
                patch,
            }),
            _ => Err(format!(
                "version {text:?} is not MAJOR.MINOR.PATCH (pre-release versions are not bumped automatically)"
            )),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Version {
    /// This version moved by `bump`, under Cargo's rules: the leftmost
    /// non-zero number is the breaking one, the next the compatible one.
    pub fn bumped(self, bump: Bump) -> Version {
        let Version {
            major,
            minor,
            patch,
        } = self;
        let at = |major, minor, patch| Version {
            major,
            minor,
            patch,
        };
        match (major, minor, bump) {
            (0, 0, _) => at(0, 0, patch + 1),
            (0, _, Bump::Breaking) => at(0, minor + 1, 0),
            (0, _, _) => at(0, minor, patch + 1),
            (_, _, Bump::Breaking) => at(major + 1, 0, 0),
            (_, _, Bump::Additive) => at(major, minor + 1, 0),
            (_, _, Bump::Docs) => at(major, minor, patch + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Data-driven: (current, bump) → next.
    #[track_caller]
    fn check(current: &str, bump: Bump, expect: &str) {
        let current: Version = current.parse().expect("a version");
        assert_eq!(current.bumped(bump).to_string(), expect);
    }

    #[test]
    fn the_breaking_component_is_the_first_that_is_not_zero() {
        check("0.1.0", Bump::Breaking, "0.2.0");
        check("0.1.3", Bump::Additive, "0.1.4");
        check("0.1.3", Bump::Docs, "0.1.4");
        check("0.0.4", Bump::Breaking, "0.0.5");
        check("0.0.4", Bump::Docs, "0.0.5");
        check("1.2.3", Bump::Breaking, "2.0.0");
        check("1.2.3", Bump::Additive, "1.3.0");
        check("1.2.3", Bump::Docs, "1.2.4");
    }

    #[test]
    fn only_release_versions_are_bumped() {
        for bad in [
            "1.2",
            "1.2.3-rc.1",
            "1.2.3+build",
            "01.2.3",
            "a.b.c",
            "",
            "1..3",
        ] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
    }
}
