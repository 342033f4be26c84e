//! Finds dependency annotations in every form people write —
//! `(Dependencies: [1.1, 1.2])`, `deps: 1.1, 1.2`, `depends on 1.1` — and
//! where each ID sits, so edits can rewrite one in place.

use std::ops::Range;

use super::lex::scan_id;
use super::scan;

/// Dependency annotations found in a line: the whole extent of each (with an
/// enclosing `(…)`) and every ID named, offsets relative to the scanned slice.
/// Reused from line to line, so a parse allocates it once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepsFound {
    pub spans: Vec<Range<usize>>,
    pub ids: Vec<Range<usize>>,
}

impl DepsFound {
    pub fn clear(&mut self) {
        self.spans.clear();
        self.ids.clear();
    }
}

/// Annotations anywhere on a task line.
pub fn on_task_line(text: &[u8], found: &mut DepsFound) {
    let mut i = 0;
    while let Some(d) = scan::find_letter(&text[i..], b'd') {
        i += d;
        if i == 0 || !is_word(text[i - 1]) {
            if let Some(span) = annotation_at(text, i, &mut found.ids) {
                i = span.end;
                found.spans.push(span);
                continue;
            }
        }
        i += 1;
    }
}

/// Annotations in a body line: only at the start of the line (after a bullet
/// or emphasis) or right after `(`, so prose such as "this depends on 2
/// things" is not read as a dependency.
pub fn in_body_line(text: &[u8], found: &mut DepsFound) {
    let start = line_start(text);
    let mut i = start;
    if text.get(start).is_some_and(|b| b | 0x20 == b'd') {
        if let Some(span) = annotation_at(text, start, &mut found.ids) {
            i = span.end;
            found.spans.push(span);
        }
    }
    if !scan::has_byte(&text[i.min(text.len())..], b'(') {
        return;
    }
    while i < text.len() {
        if text[i] == b'(' {
            let at = skip_spaces(text, i + 1);
            if let Some(span) = annotation_at(text, at, &mut found.ids) {
                i = span.end;
                found.spans.push(span);
                continue;
            }
        }
        i += 1;
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn skip_spaces(text: &[u8], mut i: usize) -> usize {
    while i < text.len() && (text[i] == b' ' || text[i] == b'\t') {
        i += 1;
    }
    i
}

/// After indentation, a bullet, `>` and emphasis marks.
fn line_start(text: &[u8]) -> usize {
    let mut i = skip_spaces(text, 0);
    if text[i..].starts_with("•".as_bytes()) {
        i += 3;
    } else if i + 1 < text.len() && matches!(text[i], b'-' | b'*' | b'+' | b'>') && text[i + 1] == b' ' {
        i += 1;
    }
    i = skip_spaces(text, i);
    while i < text.len() && matches!(text[i], b'_' | b'*') {
        i += 1;
    }
    i
}

/// Length of a dependency keyword at `i`, if one is there.
fn keyword_len(text: &[u8], i: usize) -> Option<usize> {
    let rest = &text[i..];
    let starts = |word: &[u8]| rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word);
    let bounded = |len: usize| (!rest.get(len).is_some_and(|b| is_word(*b))).then_some(len);
    for word in [&b"dependencies"[..], b"dependency", b"depends_on", b"depends-on", b"deps"] {
        if starts(word) {
            return bounded(word.len());
        }
    }
    if starts(b"depends") {
        let after = skip_spaces(text, i + 7) - i;
        if rest.len() >= after + 2 && rest[after..after + 2].eq_ignore_ascii_case(b"on") && after > 7 {
            return bounded(after + 2);
        }
        if rest.get(after) == Some(&b':') {
            return Some(7);
        }
    }
    None
}

/// The annotation starting with a keyword at `at`: its span, its IDs pushed
/// to `ids` (nothing pushed when there is no annotation).
fn annotation_at(text: &[u8], at: usize, ids: &mut Vec<Range<usize>>) -> Option<Range<usize>> {
    let len = keyword_len(text, at)?;
    let mut i = skip_spaces(text, at + len);
    if text.get(i) == Some(&b':') {
        i = skip_spaces(text, i + 1);
    }
    let before = ids.len();
    let mut end = if text.get(i) == Some(&b'[') {
        let close = text[i..].iter().position(|b| *b == b']').map(|p| i + p);
        ids_in_brackets(text, i + 1, close.unwrap_or(text.len()), ids);
        close.map_or(text.len(), |c| c + 1)
    } else {
        let end = bare_ids(text, i, ids);
        if ids.len() == before {
            let word = &text[i..];
            if word.len() >= 4 && word[..4].eq_ignore_ascii_case(b"none") && !word.get(4).is_some_and(|b| is_word(*b)) {
                i + 4
            } else {
                return None;
            }
        } else {
            end
        }
    };
    let mut start = at;
    if at > 0 && text[..at].ends_with(b"(") {
        let close = skip_spaces(text, end);
        if text.get(close) == Some(&b')') {
            start = at - 1;
            end = close + 1;
        }
    }
    Some(start..end)
}

/// IDs between `[` and `]`, skipping words that are not IDs (`TBD`).
fn ids_in_brackets(text: &[u8], from: usize, to: usize, ids: &mut Vec<Range<usize>>) {
    let mut i = from;
    while i < to {
        if text[i].is_ascii_digit() && (i == from || !is_word(text[i - 1])) {
            if let Some((range, _)) = scan_id(&text[..to], i) {
                if !text.get(range.end).is_some_and(|b| b.is_ascii_alphabetic()) {
                    i = range.end;
                    ids.push(range);
                    continue;
                }
            }
        }
        i += 1;
    }
}

/// `1.1, 1.2 and Task 3` — IDs separated by commas, `&`, `and`; stops at the
/// first other word. Returns where the list ends.
fn bare_ids(text: &[u8], from: usize, ids: &mut Vec<Range<usize>>) -> usize {
    let mut i = from;
    let mut end = from;
    loop {
        i = skip_spaces(text, i);
        for word in [&b"task "[..], b"phase ", b"step ", b"stage "] {
            if text.len() >= i + word.len() && text[i..i + word.len()].eq_ignore_ascii_case(word) {
                i = skip_spaces(text, i + word.len());
                break;
            }
        }
        let Some((range, _)) = scan_id(text, i) else { break };
        if text.get(range.end).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'%') {
            break;
        }
        i = range.end;
        end = range.end;
        ids.push(range);
        i = skip_spaces(text, i);
        match text.get(i) {
            Some(b',') | Some(b'&') | Some(b'/') => i += 1,
            _ if text.len() >= i + 4 && text[i..i + 4].eq_ignore_ascii_case(b"and ") => i += 4,
            _ => break,
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, on_task_line: bool) -> DepsFound {
        let mut found = DepsFound::default();
        if on_task_line { super::on_task_line(text.as_bytes(), &mut found) } else { in_body_line(text.as_bytes(), &mut found) }
        found
    }

    fn ids(text: &str, on_task_line: bool) -> Vec<String> {
        found(text, on_task_line).ids.iter().map(|r| text[r.clone()].to_string()).collect()
    }

    #[test]
    fn every_form_in_the_contract_is_read() {
        assert_eq!(ids("Phase 2: Events (Dependencies: [1])", true), ["1"]);
        assert_eq!(ids("- 4.4 Ensure (Dependencies: [4.2, 4.3])", true), ["4.2", "4.3"]);
        assert_eq!(ids("Dependencies: [1.1,1.2]", false), ["1.1", "1.2"]);
        assert_eq!(ids("deps: 1.1, 1.2", false), ["1.1", "1.2"]);
        assert_eq!(ids("  - depends on 1.1", false), ["1.1"]);
        assert_eq!(ids("_Depends on: Task 3 and 4.1._", false), ["3", "4.1"]);
        assert_eq!(ids("Depends_on: 08.1", false), ["08.1"]);
    }

    #[test]
    fn empty_lists_are_annotations_with_no_ids() {
        // `(Dependencies: [])` must be stripped from the title yet add nothing.
        let empty = found("Phase 1: Foundations (Dependencies: [])", true);
        assert_eq!(empty.spans.len(), 1);
        assert_eq!(empty.spans[0], 21..39);
        assert!(empty.ids.is_empty());
        assert_eq!(found("deps: none", false).spans.len(), 1);
    }

    #[test]
    fn prose_is_not_a_dependency() {
        // In a body, only line-leading or parenthesised annotations count.
        assert!(ids("This depends on 2 things", false).is_empty());
        assert!(ids("Dependencies are tracked elsewhere", true).is_empty());
        assert!(ids("_Requirements: 1.2, 3.1_", false).is_empty());
        assert!(ids("depends on 5x more", true).is_empty());
        assert!(ids("nodeps: 1", true).is_empty());
        assert_eq!(ids("Wire it up (depends on 2.1) then test", false), ["2.1"]);
    }

    #[test]
    fn parenthesised_spans_include_the_parentheses() {
        let text = "- 2.1 Mount (Dependencies: [1.2]) now";
        let spans = found(text, true).spans;
        assert_eq!(&text[spans[0].clone()], "(Dependencies: [1.2])");
    }
}
