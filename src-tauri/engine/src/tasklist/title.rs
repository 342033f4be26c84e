//! Turns the rest of a task line into its title: status marks, dependency
//! annotations, inline comments, emphasis and a trailing artifacts link removed.

use std::ops::Range;

use super::lex::Emphasis;

/// The done marks the contract lists (✔️ is ✔ with a variation selector).
const DONE_MARKS: [char; 2] = ['✅', '✔'];

/// True when the text holds ✅, ✔ or ✔️.
pub fn has_done_mark(text: &[u8]) -> bool {
    // ✅ is E2 9C 85 and ✔ is E2 9C 94: look for the shared lead bytes.
    text.windows(3).any(|w| w == "✅".as_bytes() || w == "✔".as_bytes())
}

/// The title from `rest` (the line after the ID), leaving out the byte ranges
/// of dependency annotations found in it.
pub fn clean(rest: &[u8], annotations: &[Range<usize>], emphasis: Emphasis) -> String {
    let mut kept = Vec::with_capacity(rest.len());
    let mut from = 0;
    for span in annotations {
        kept.extend_from_slice(&rest[from..span.start]);
        from = span.end;
    }
    kept.extend_from_slice(&rest[from..]);
    let text = String::from_utf8_lossy(&kept);
    // Most titles are plain: skip the scans they do not need.
    let mut title = if kept.contains(&b'<') || kept.windows(3).any(|w| w == b"-->") { without_comments(&text) } else { text.into_owned() };
    if kept.contains(&0xE2) || kept.contains(&0xEF) {
        title.retain(|c| !DONE_MARKS.contains(&c) && c != '\u{FE0F}');
    }
    if title.trim_end().ends_with("))") {
        title = strip_artifacts_link(title.trim_end()).to_string();
    }
    if emphasis == Emphasis::AroundLine {
        for closer in ["**", "__"] {
            if let Some(stripped) = title.trim_end().strip_suffix(closer) {
                title = stripped.to_string();
                break;
            }
        }
    }
    let trimmed = title.trim_matches(|c: char| c.is_whitespace());
    let trimmed = trimmed.trim_end_matches([';', ',']).trim_end();
    let trimmed = trimmed.strip_suffix(" —").or_else(|| trimmed.strip_suffix(" -")).unwrap_or(trimmed).trim();
    if trimmed.contains("  ") || trimmed.contains('\t') { collapse_spaces(trimmed) } else { trimmed.to_string() }
}

/// Removes `<!-- … -->` and an unclosed `<!--` or stray `-->` tail.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("<!--") {
        out.push_str(&rest[..open]);
        match rest[open..].find("-->") {
            Some(close) => rest = &rest[open + close + 3..],
            None => return out,
        }
    }
    match rest.find("-->") {
        Some(close) => out.push_str(&rest[..close]),
        None => out.push_str(rest),
    }
    out
}

/// Strips a trailing ` ([artifacts](…))` written by DevTeam.
fn strip_artifacts_link(title: &str) -> &str {
    match title.rfind("([artifacts](") {
        Some(open) if title.ends_with("))") => title[..open].trim_end(),
        _ => title,
    }
}

fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        let space = c == ' ' || c == '\t';
        if !(space && last_space) {
            out.push(if space { ' ' } else { c });
        }
        last_space = space;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(rest: &str, annotations: &[Range<usize>]) -> String {
        clean(rest.as_bytes(), annotations, Emphasis::None)
    }

    #[test]
    fn marks_annotations_and_links_are_not_part_of_the_title() {
        let rest = "Mount events router; persist Event (Dependencies: [1.2])";
        assert_eq!(title(rest, &[rest.find('(').unwrap()..rest.len()]), "Mount events router; persist Event");
        assert_eq!(title("Clone repository ✅", &[]), "Clone repository");
        assert_eq!(title("Ship ✔️ it ([artifacts](artifacts/2.3.1/))", &[]), "Ship it");
        assert_eq!(title("Check aider (or document absence) -->", &[]), "Check aider (or document absence)");
        assert_eq!(title("Keep <!-- hidden --> this", &[]), "Keep this");
        let rest = "Build API — depends on 1.1";
        assert_eq!(title(rest, &[rest.find("depends").unwrap()..rest.len()]), "Build API");
    }

    #[test]
    fn emphasis_closing_the_line_is_dropped() {
        assert_eq!(clean(b"Bold title**", &[], Emphasis::AroundLine), "Bold title");
        assert_eq!(clean(b"Bold ID", &[], Emphasis::AroundId), "Bold ID");
    }

    #[test]
    fn done_marks_are_found_anywhere_on_the_line() {
        assert!(has_done_mark("4.2: Clone ✅".as_bytes()));
        assert!(has_done_mark("✔️ done".as_bytes()));
        assert!(!has_done_mark("☐ open".as_bytes()));
    }
}
