//! Differential test of the patterns the generator compiles to Rust: each
//! compiled matcher (emitted by `build.rs` exactly as for a schema) against
//! regress, the ECMA-262 engine, on strings built from the pattern's own
//! characters, its classes' boundaries and their neighbours, strings it
//! accepts and their mutations, and characters where the dialects differ
//! (line terminators, Unicode spaces, multi-byte characters).

use conformance::patterns::{CASES, Compiled};

/// Characters tried in every pattern's strings.
const EXTRA: &[char] = &[
    'a',
    'Z',
    '0',
    '9',
    '_',
    '-',
    '.',
    '+',
    ' ',
    '\t',
    '\n',
    '\r',
    '\u{b}',
    '\u{c}',
    '\u{0}',
    '\u{85}',
    '\u{a0}',
    '\u{2028}',
    '\u{2029}',
    '\u{feff}',
    '\u{3000}',
    'é',
    '٣',
    '😀',
    '\u{10ffff}',
];

/// Random strings per compiled pattern, besides the mutated witnesses.
const RANDOM_STRINGS: usize = 400;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        self.next() as usize % n.max(1)
    }
}

/// Strings to try: witnesses, each mutated in every position, and random
/// strings over the alphabet.
fn strings(c: &Compiled, rng: &mut Rng) -> Vec<String> {
    let alphabet: Vec<char> = c.alphabet.chars().chain(EXTRA.iter().copied()).collect();
    let mut out = vec![String::new()];
    for w in c.witnesses {
        let chars: Vec<char> = w.chars().collect();
        out.push((*w).to_owned());
        out.push(format!("{w}{w}"));
        for junk in ["x", "\n", "+", "😀", "0"] {
            out.push(format!("{junk}{w}"));
            out.push(format!("{w}{junk}"));
        }
        for i in 0..=chars.len() {
            let pick = alphabet[rng.below(alphabet.len())];
            let mut inserted = chars.clone();
            inserted.insert(i, pick);
            out.push(inserted.into_iter().collect());
            if i < chars.len() {
                let mut removed = chars.clone();
                removed.remove(i);
                out.push(removed.into_iter().collect());
                let mut replaced = chars.clone();
                replaced[i] = alphabet[rng.below(alphabet.len())];
                out.push(replaced.into_iter().collect());
            }
        }
    }
    for _ in 0..RANDOM_STRINGS {
        let len = rng.below(17);
        out.push(
            (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect(),
        );
    }
    out
}

#[test]
fn compiled_patterns_match_as_regress_does() {
    let mut rng = Rng(0x0DD5_EED5);
    let mut disagreements = Vec::new();
    let mut compared = 0usize;
    let mut compiled = 0usize;
    let mut by_origin = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    for case in CASES {
        let Ok(oracle) = regress::Regex::with_flags(case.source, "u") else {
            assert!(
                case.compiled.is_none(),
                "{:?} is not ECMA-262 yet compiled",
                case.source
            );
            continue;
        };
        let entry = by_origin.entry(case.origin).or_default();
        entry.1 += 1;
        let Some(c) = &case.compiled else { continue };
        entry.0 += 1;
        compiled += 1;
        for s in strings(c, &mut rng) {
            compared += 1;
            let want = oracle.find(&s).is_some();
            if (c.matches)(&s) != want {
                disagreements.push(format!("{:?} on {s:?}: regress says {want}", case.source));
            }
        }
    }
    println!("{compared} strings compared over {compiled} compiled patterns");
    for (origin, (compiled, valid)) in &by_origin {
        println!("{origin}: {compiled} of {valid} patterns compiled");
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements, first: {:#?}",
        disagreements.len(),
        &disagreements[..disagreements.len().min(20)]
    );
    // The Stytch document's E.164 pattern is in the subset, and compiled.
    assert!(
        CASES
            .iter()
            .any(|c| c.origin == "stytch" && c.compiled.is_some()),
        "no Stytch pattern compiled"
    );
}

/// What Unicode 17.0 changed for code points 16.0 had assigned, among those
/// the sweep tries: (a property in the pattern, the code point, or `None` for
/// any). U+0295 became `Lo` (no longer a cased lowercase letter), U+0320
/// left Latin's Script_Extensions, and `Extended_Pictographic` was revised.
const UNICODE_17: &[(&str, Option<char>)] = &[
    ("Extended_Pictographic", None),
    ("{Lo}", Some('\u{295}')),
    ("{Ll}", Some('\u{295}')),
    ("{LC}", Some('\u{295}')),
    ("{Cased_Letter}", Some('\u{295}')),
    ("{Cased}", Some('\u{295}')),
    ("{Lowercase}", Some('\u{295}')),
    ("scx=Latn", Some('\u{320}')),
];

/// Code points a Unicode property pattern is tried on: every one below
/// U+3000 (the scripts and categories of most text), then every 61st up to
/// U+10FFFF, and the edges of planes 1, 2 and 14.
fn property_sweep() -> impl Iterator<Item = char> {
    (0..0x3000u32)
        .chain((0x3000..=0x10FFFF).step_by(61))
        .chain([
            0x1_0000, 0x1_FFFF, 0x2_0000, 0x2_A6DF, 0xE_0001, 0xE_01EF, 0x10_FFFF,
        ])
        .filter_map(char::from_u32)
}

/// The patterns the generator runs on `regex` (its translation, as the
/// generated crate compiles it) against regress: those with a Unicode
/// property (`\p{…}`) on every code point of [`property_sweep`] alone and
/// between letters, the others on the dialect-sensitive characters.
///
/// The two crates' tables are of different Unicode versions (regex 1.13:
/// 16.0; regress 0.12: 17.0): a code point one assigns and the other does
/// not is left out, and so are the changes [`UNICODE_17`] lists; any other
/// difference fails.
#[test]
fn linear_translations_match_as_regress_does() {
    let unassigned_here = regex::Regex::new(r"\p{gc=Cn}").expect("compiles");
    let unassigned_there = regress::Regex::with_flags(r"\p{Cn}", "u").expect("compiles");
    let versions_differ: std::collections::BTreeSet<char> = property_sweep()
        .filter(|&c| {
            let s = c.to_string();
            unassigned_here.is_match(&s) != unassigned_there.find(&s).is_some()
        })
        .collect();
    println!(
        "{} code points of the sweep assigned in one crate's Unicode version only",
        versions_differ.len()
    );
    let mut disagreements = Vec::new();
    let mut properties = 0usize;
    for case in CASES {
        let Some(linear) = case.linear else { continue };
        // The generator refuses a pattern regress does, before any engine.
        let Ok(oracle) = regress::Regex::with_flags(case.source, "u") else {
            continue;
        };
        let translated = regex::Regex::new(linear)
            .unwrap_or_else(|e| panic!("{:?}: {linear:?} does not compile: {e}", case.source));
        let has_property = case.source.contains("\\p{") || case.source.contains("\\P{");
        properties += usize::from(has_property);
        let strings: Vec<String> = if has_property {
            property_sweep()
                .flat_map(|c| [c.to_string(), format!("a{c}Z")])
                .collect()
        } else {
            EXTRA
                .iter()
                .flat_map(|&c| [c.to_string(), format!("a{c}"), format!("{c}{c}")])
                .collect()
        };
        for s in strings {
            let changed = |c: char| {
                versions_differ.contains(&c)
                    || UNICODE_17
                        .iter()
                        .any(|(p, at)| case.source.contains(p) && at.is_none_or(|at| at == c))
            };
            if s.chars().any(changed) {
                continue;
            }
            let want = oracle.find(&s).is_some();
            if translated.find(&s).is_some() != want {
                disagreements.push(format!("{:?} on {s:?}: regress says {want}", case.source));
            }
        }
    }
    assert!(
        properties >= 20,
        "only {properties} property patterns in the table"
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements, first: {:#?}",
        disagreements.len(),
        &disagreements[..disagreements.len().min(20)]
    );
}
