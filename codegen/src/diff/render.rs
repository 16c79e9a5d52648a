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

/// A PR comment: the summary line, then a table per severity, rows grouped
/// by location (an operation, else a Rust type). Documentation changes fold
/// away.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("**API changes**: {}\n", summary(report));
    for severity in SEVERITIES {
        let changes: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.severity() == severity)
            .collect();
        if changes.is_empty() {
            continue;
        }
        let title = format!("{} ({})", capitalized(severity.as_str()), changes.len());
        if severity == Severity::Docs {
            let _ = write!(out, "\n<details><summary>{title}</summary>\n\n");
        } else {
            let _ = write!(out, "\n### {title}\n\n");
        }
        out += "| location | wire | Rust API | change |\n| --- | --- | --- | --- |\n";
        let mut previous = None;
        for change in changes {
            let location = change.location();
            let shown = if previous == Some(location) {
                String::new()
            } else {
                format!("`{}`", cell(location))
            };
            previous = Some(location);
            let ack = if change.acknowledged {
                " (acknowledged)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "| {shown} | {} | {} | {}{ack} |",
                change.wire.as_str(),
                change.api.as_str(),
                cell(&change.message)
            );
        }
        if severity == Severity::Docs {
            out += "\n</details>\n";
        }
    }
    out
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
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
