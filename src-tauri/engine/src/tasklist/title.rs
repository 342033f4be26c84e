//! Turns the rest of a task line into its title: status marks, dependency
//! annotations, inline comments, emphasis and a trailing artifacts link removed.

use std::borrow::Cow;
use std::ops::Range;

use super::lex::Emphasis;
use super::regions;
use super::scan;

/// The done marks the contract lists (✔️ is ✔ with a variation selector).
const DONE_MARKS: [char; 2] = ['✅', '✔'];

/// Bytes that call for a rarer clean-up: comments (`<`, `>`), marks (their
/// lead bytes 0xE2, 0xEF) and tabs.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[0xE2] = true;
    table[0xEF] = true;
    table[b'\t' as usize] = true;
    table
};

/// True when the text holds ✅, ✔ or ✔️.
pub fn has_done_mark(text: &[u8]) -> bool {
    // ✅ is E2 9C 85 and ✔ is E2 9C 94: look for the shared lead bytes.
    scan::has_byte(text, 0xE2) && text.windows(3).any(|w| w == "✅".as_bytes() || w == "✔".as_bytes())
}

/// The title from `rest` (the line after the ID), leaving out the byte ranges
/// of dependency annotations found in it.
pub fn clean(rest: &[u8], annotations: &[Range<usize>], emphasis: Emphasis) -> String {
    let kept: Cow<[u8]> = if annotations.is_empty() {
        Cow::Borrowed(rest)
    } else {
        let mut kept = Vec::with_capacity(rest.len());
        let mut from = 0;
        for span in annotations {
            kept.extend_from_slice(&rest[from..span.start]);
            from = span.end;
        }
        kept.extend_from_slice(&rest[from..]);
        Cow::Owned(kept)
    };
    let text: Cow<str> = match std::str::from_utf8(&kept) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(String::from_utf8_lossy(&kept).into_owned()),
    };
    // Most titles are plain: one quick pass decides whether the rarer
    // clean-ups (comments, marks, tabs) are needed at all.
    let special = kept.iter().fold(false, |any, b| any | SPECIAL[usize::from(*b)]);
    let comment = special && (scan::has_byte(&kept, b'<') || regions::find(&kept, b"-->").is_some());
    let marks = special && (scan::has_byte(&kept, 0xE2) || scan::has_byte(&kept, 0xEF));
    // Removing a mark or a comment can leave two spaces side by side.
    let spaces = special;
    let mut title = text;
    if comment {
        title = Cow::Owned(without_comments(&title));
    }
    if marks {
        let mut owned = title.into_owned();
        owned.retain(|c| !DONE_MARKS.contains(&c) && c != '\u{FE0F}');
        title = Cow::Owned(owned);
    }
    let mut view: &str = title.trim_end();
    if view.ends_with("))") {
        view = strip_artifacts_link(view);
    }
    if emphasis == Emphasis::AroundLine {
        view = view.strip_suffix("**").or_else(|| view.strip_suffix("__")).unwrap_or(view).trim_end();
    }
    let view = view.trim_ascii();
    let view = view.trim_end_matches([';', ',']).trim_ascii_end();
    let view = view.strip_suffix(" —").or_else(|| view.strip_suffix(" -")).unwrap_or(view).trim_ascii();
    if spaces { collapse_spaces(view) } else { view.to_string() }
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

    /// The title of `rest`, with the annotation starting at `annotation` (to the end) left out.
    fn title(rest: &str, annotation: Option<usize>) -> String {
        let spans: Vec<Range<usize>> = annotation.map(|s| s..rest.len()).into_iter().collect();
        clean(rest.as_bytes(), &spans, Emphasis::None)
    }

    #[test]
    fn marks_annotations_and_links_are_not_part_of_the_title() {
        let rest = "Mount events router; persist Event (Dependencies: [1.2])";
        assert_eq!(title(rest, rest.find('(')), "Mount events router; persist Event");
        assert_eq!(title("Clone repository ✅", None), "Clone repository");
        assert_eq!(title("Ship ✔️ it ([artifacts](artifacts/2.3.1/))", None), "Ship it");
        assert_eq!(title("Check aider (or document absence) -->", None), "Check aider (or document absence)");
        assert_eq!(title("Keep <!-- hidden --> this", None), "Keep this");
        let rest = "Build API — depends on 1.1";
        assert_eq!(title(rest, rest.find("depends")), "Build API");
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
