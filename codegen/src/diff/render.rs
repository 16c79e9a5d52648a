//! A report as text: a Markdown PR comment, JSON, or GitHub Actions
//! annotations. Pure: strings out.

use std::fmt::Write;

use serde_json::json;

use super::{Change, Report, Severity};

const SEVERITIES: [Severity; 3] = [Severity::Breaking, Severity::Additive, Severity::Docs];

/// `3 breaking (1 acknowledged), 2 additive, 12 docs`.
pub fn summary(report: &Report) -> String {
    let acknowledged = report.changes.iter().filter(|c| c.acknowledged).count();
    SEVERITIES
        .iter()
        .map(|s| {
            let n = report.count(*s);
            match (s, acknowledged) {
                (Severity::Breaking, 1..) => format!("{n} breaking ({acknowledged} acknowledged)"),
                _ => format!("{n} {}", s.as_str()),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The most characters GitHub takes in an issue or pull-request comment.
pub const COMMENT_LIMIT: usize = 65_536;

/// The whole report as Markdown: [`markdown_within`] with no limit.
pub fn markdown(report: &Report) -> String {
    markdown_within(report, usize::MAX, "")
}

/// A PR comment of at most `limit` bytes (so as many characters or fewer):
/// the summary line, then the breaking changes as a table, then the
/// additive ones and the documentation ones each folded (`<details>`),
/// grouped by location (an operation, else a Rust type). Entries that do
/// not fit are left out from the end, least severe first, and a last line
/// says how many, and that `full` (where the whole report is) lists them.
pub fn markdown_within(report: &Report, limit: usize, full: &str) -> String {
    let mut out = format!("**API changes**: {}\n", summary(report));
    let mut left_out = [0usize; 3];
    // Room kept for the closing tag and the note of what was left out.
    let reserve = 400 + full.len();
    for (severity, section) in sections(report) {
        let mut rows = section.rows.into_iter();
        let fits =
            |out: &str, text: &str| out.len() + text.len() + section.close.len() + reserve <= limit;
        if fits(&out, &section.open) {
            out += &section.open;
            for (row, _) in rows.by_ref() {
                if !fits(&out, &row) {
                    left_out[severity as usize] += 1;
                    break;
                }
                out += &row;
            }
            out += &section.close;
        }
        left_out[severity as usize] += rows.map(|(_, n)| n).sum::<usize>();
    }
    let omitted: usize = left_out.iter().sum();
    if omitted > 0 {
        let counts: Vec<String> = SEVERITIES
            .iter()
            .filter(|s| left_out[**s as usize] > 0)
            .map(|s| format!("{} {}", left_out[*s as usize], s.as_str()))
            .collect();
        let _ = write!(
            out,
            "\n_{omitted} of {} entries are left out here ({}) to stay within {limit} characters; the full report: {full}._\n",
            report.changes.len(),
            counts.join(", "),
        );
    }
    out
}

/// A section of the comment: its opening, its rows (each with how many
/// changes it shows), its closing.
struct Section {
    open: String,
    rows: Vec<(String, usize)>,
    close: String,
}

fn sections(report: &Report) -> Vec<(Severity, Section)> {
    let mut out = Vec::new();
    for severity in SEVERITIES {
        let changes: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.severity() == severity)
            .collect();
        if changes.is_empty() {
            continue;
        }
        let places = changes
            .iter()
            .map(|c| c.location())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let title = format!(
            "{} ({}, in {places} place{})",
            capitalized(severity.as_str()),
            changes.len(),
            if places == 1 { "" } else { "s" }
        );
        let section = match severity {
            Severity::Breaking => Section {
                open: format!("\n### {title}\n\n{TABLE_HEAD}"),
                rows: changes.iter().map(|c| (table_row(c), 1)).collect(),
                close: String::new(),
            },
            Severity::Additive => Section {
                open: format!("\n<details><summary>{title}</summary>\n\n{TABLE_HEAD}"),
                rows: changes.iter().map(|c| (table_row(c), 1)).collect(),
                close: "\n</details>\n".to_owned(),
            },
            Severity::Docs => Section {
                open: format!("\n<details><summary>{title}</summary>\n\n"),
                rows: docs_rows(&changes),
                close: "\n</details>\n".to_owned(),
            },
        };
        out.push((severity, section));
    }
    out
}

const TABLE_HEAD: &str = "| location | wire | Rust API | change |\n| --- | --- | --- | --- |\n";

/// A table row; every row names its location, so a row read alone (or
/// after the cut) still says where.
fn table_row(change: &Change) -> String {
    let ack = if change.acknowledged {
        " (acknowledged)"
    } else {
        ""
    };
    format!(
        "| `{}` | {} | {} | {}{ack} |\n",
        cell(change.location()),
        change.wire.as_str(),
        change.api.as_str(),
        cell(&change.message)
    )
}

/// One list item per location: its documentation changes, each with its
/// old and new text shortened.
fn docs_rows(changes: &[&Change]) -> Vec<(String, usize)> {
    let mut rows: Vec<(String, usize)> = Vec::new();
    let mut previous = None;
    for change in changes {
        let mut entry = change.message.clone();
        if let Some(prose) = &change.prose {
            let (old, new) = shortened(&prose.old, &prose.new);
            let _ = write!(entry, " ({old} → {new})");
        }
        let entry = cell(&entry);
        match rows.last_mut() {
            Some((row, n)) if previous == Some(change.location()) => {
                row.truncate(row.len() - 1);
                let _ = writeln!(row, "; {entry}");
                *n += 1;
            }
            _ => rows.push((format!("- `{}`: {entry}\n", cell(change.location())), 1)),
        }
        previous = Some(change.location());
    }
    rows
}

/// How many characters of a changed text the report shows.
const SHOWN: usize = 60;

/// Both texts from a little before where they first differ, at most
/// [`SHOWN`] characters each, quoted; `…` marks what is cut.
fn shortened(old: &str, new: &str) -> (String, String) {
    let old: Vec<char> = one_line(old).chars().collect();
    let new: Vec<char> = one_line(new).chars().collect();
    let same = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let start = same.saturating_sub(SHOWN / 4);
    let show = |text: &[char]| {
        if text.is_empty() {
            return "none".to_owned();
        }
        let end = (start + SHOWN).min(text.len());
        let from = start.min(end);
        let mut shown = String::from("\"");
        if from > 0 {
            shown.push('…');
        }
        shown.extend(&text[from..end]);
        if end < text.len() {
            shown.push('…');
        }
        shown.push('"');
        shown
    };
    (show(&old), show(&new))
}

/// Whitespace runs, line breaks included, as one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Text safe inside a Markdown table cell or list item (no HTML either:
/// upstream prose may hold tags that would end a `<details>`).
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('\n', " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `{"summary": {"breaking": 1, …}, "changes": [{"severity", "location",
/// "message", …}]}`.
pub fn json(report: &Report) -> String {
    let changes: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|c| {
            json!({
                "severity": c.severity().as_str(),
                "location": c.location(),
                "message": c.message,
                "wire": c.wire.as_str(),
                "api": c.api.as_str(),
                "operation": c.operation,
                "rust": c.rust,
                "pointer": c.pointer,
                "acknowledged": c.acknowledged,
            })
        })
        .collect();
    let value = json!({
        "summary": {
            "breaking": report.count(Severity::Breaking),
            "additive": report.count(Severity::Additive),
            "docs": report.count(Severity::Docs),
        },
        "changes": changes,
    });
    format!("{value:#}\n")
}

/// GitHub Actions workflow commands: `::error` for a breaking change,
/// `::warning` for an acknowledged one, `::notice` for the rest.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for change in &report.changes {
        let level = match (change.severity(), change.acknowledged) {
            (Severity::Breaking, false) => "error",
            (Severity::Breaking, true) => "warning",
            _ => "notice",
        };
        let title = format!("{} API change", change.severity().as_str());
        let _ = writeln!(
            out,
            "::{level} title={}::{}: {}",
            escape_property(&title),
            escape_data(change.location()),
            escape_data(&change.message)
        );
    }
    let _ = writeln!(
        out,
        "::notice title=API changes::{}",
        escape_data(&summary(report))
    );
    out
}

/// The escaping of a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The escaping of a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
