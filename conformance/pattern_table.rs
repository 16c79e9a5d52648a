//! Part of `build.rs`: the table of patterns behind `tests/patterns.rs`. Each
//! pattern the generator compiles to Rust is emitted here exactly as the
//! generator emits it for a schema, with strings to try it on.

use std::fmt::Write as _;
use std::path::Path;

use stytch_codegen::pattern::{Engine, engine};

/// Random patterns added to the table, from a fixed seed.
const RANDOM_PATTERNS: usize = 1500;
/// Accepted strings drawn per compiled pattern (mutated by the test).
const WITNESSES: usize = 12;

/// A small deterministic generator (xorshift64*), so the table is the same on
/// every build.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.next() as usize % from.len()]
    }
}

/// Every `pattern` and `patternProperties` name in a schema document.
pub fn collect_patterns(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("pattern", serde_json::Value::String(p)) => out.push(p.clone()),
                    ("patternProperties", serde_json::Value::Object(ps)) => {
                        out.extend(ps.keys().cloned());
                    }
                    _ => {}
                }
                collect_patterns(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_patterns(v, out)),
        _ => {}
    }
}

/// Patterns built from the pieces real patterns use, most in the compiled
/// subset, some just outside it (overlapping counts, prefix alternatives).
fn random_patterns(count: usize) -> Vec<String> {
    const ATOMS: &[&str] = &[
        "a",
        "b",
        "é",
        "_",
        "1",
        "٣",
        " ",
        "-",
        ".",
        r"\d",
        r"\D",
        r"\w",
        r"\W",
        r"\s",
        r"\S",
        "[a-c]",
        "[^a]",
        r"[\w-]",
        r"[\s\d]",
        r"[^\W]",
        r"\.",
        r"\u00e9",
        r"\x61",
        r"\n",
        "[]",
        "[^]",
        r"\+",
        "[0-9]",
        "[1-9]",
        "[A-Z]",
        "[a-z0-9]",
        "😀",
        r"\u{1F600}",
        "[😀-😂]",
        r"[\u2028\n]",
        "(?:ab|c)",
        "(foo|bar)",
        "(a|ab)",
        "(?<n>x|yz)",
        r"\/",
        "[.]",
    ];
    const COUNTS: &[&str] = &[
        "", "", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "*?", "??", "{1,14}",
    ];
    let mut rng = Rng::new(0x5EED_9A77);
    (0..count)
        .map(|_| {
            let mut p = String::new();
            if rng.next() % 2 == 0 {
                p.push('^');
            }
            for _ in 0..1 + rng.next() % 4 {
                p.push_str(rng.pick(ATOMS));
                p.push_str(rng.pick(COUNTS));
            }
            if rng.next() % 2 == 0 {
                p.push('$');
            }
            p
        })
        .collect()
}

/// `patterns.rs`: `fn pN` for each compiled pattern and the `CASES` table.
/// `sources` pairs each pattern with where it comes from.
pub fn write(out: &Path, hand: &Path, sources: Vec<(String, &'static str)>) -> Result<(), String> {
    let text = std::fs::read_to_string(hand).map_err(|e| format!("{}: {e}", hand.display()))?;
    let hand: Vec<String> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", hand.display()))?;
    let mut all = sources;
    all.extend(hand.into_iter().map(|p| (p, "hand-written")));
    all.extend(
        random_patterns(RANDOM_PATTERNS)
            .into_iter()
            .map(|p| (p, "random")),
    );
    let mut seen = std::collections::BTreeSet::new();
    all.retain(|(p, _)| seen.insert(p.clone()));

    let mut rng = Rng::new(0xD1FF);
    let mut fns = String::new();
    let mut table =
        String::from("/// Every pattern, compiled or not.\npub static CASES: &[Case] = &[\n");
    for (n, (source, origin)) in all.iter().enumerate() {
        let matcher = match engine(source) {
            Engine::Compiled(m) => {
                let name = format!("p{n}");
                let _ = writeln!(fns, "{}", m.emit_fn(&name));
                let alphabet: String = m.alphabet().into_iter().collect();
                let witnesses = m.witnesses(WITNESSES, &mut || rng.next());
                format!(
                    "Some(Compiled {{ matches: {name}, alphabet: {alphabet:?}, witnesses: &{witnesses:?} }})"
                )
            }
            _ => "None".to_owned(),
        };
        let linear = match engine(source) {
            Engine::Linear(linear) => format!("Some({linear:?})"),
            _ => "None".to_owned(),
        };
        let _ = writeln!(
            table,
            "    Case {{ source: {source:?}, origin: {origin:?}, compiled: {matcher}, linear: {linear} }},"
        );
    }
    table.push_str("];\n");
    std::fs::write(out.join("patterns.rs"), format!("{fns}\n{table}"))
        .map_err(|e| format!("cannot write the pattern table: {e}"))
}
