//! Description text as upstream writes it, made into prose once, when it
//! enters the model, so every place that shows it agrees.

/// A description with the indentation its lines share removed, the rule of
/// Python's `inspect.cleandoc` (PEP 257): upstream writes multi-line
/// descriptions as indented continuation lines (`"…\n      more"`), which
/// are prose, not the indented code blocks CommonMark would make of them.
pub(crate) fn dedent(text: &str) -> String {
    let mut lines = text.trim_matches('\n').lines();
    let first = lines.next().unwrap_or_default().trim_start();
    let rest: Vec<&str> = lines.collect();
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = first.to_owned();
    for line in rest {
        out.push('\n');
        out.push_str(line.get(indent..).unwrap_or_else(|| line.trim_start()));
    }
    out
}
