//! Recognises the shape of one task line — heading marks, bullet, checkbox,
//! leading keyword, ID — by scanning bytes, without regular expressions.

use std::ops::Range;

/// Emphasis around the ID: `**1.1** Title` or `**1.1 Title**`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    None,
    AroundId,
    AroundLine,
}

/// A line that has the shape of a task line. Offsets are relative to the
/// slice given to [`lex_task_line`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexedTask {
    /// `#` count of a heading line.
    pub heading: Option<u8>,
    /// A list bullet (`-`, `*`, `+`, `•`) precedes the ID.
    pub bullet: bool,
    /// The bytes between `[` and `]` of a checkbox.
    pub checkbox: Option<Range<usize>>,
    /// The checkbox is followed by `*` (Kiro's optional task).
    pub optional: bool,
    /// `Phase`, `Task`, `Step` or `Stage` precedes the ID.
    pub keyword: bool,
    pub emphasis: Emphasis,
    /// The ID, without a trailing dot.
    pub id: Range<usize>,
    pub segments: usize,
    pub trailing_dot: bool,
    pub colon: bool,
    /// Where the title (the rest of the line) starts.
    pub title_start: usize,
}

impl LexedTask {
    /// No heading marks, bullet or checkbox: only a paragraph-start line may be
    /// a task then.
    pub fn is_bare(&self) -> bool {
        self.heading.is_none() && !self.bullet && self.checkbox.is_none()
    }
}

const KEYWORDS: [&[u8]; 4] = [b"phase", b"task", b"step", b"stage"];

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn skip_spaces(line: &[u8], mut i: usize) -> usize {
    while i < line.len() && is_space(line[i]) {
        i += 1;
    }
    i
}

/// Reads a task line's shape, or `None` when the line cannot be a task: no ID
/// first, a bare `1.` ordered-list item, or `- 3 retries` (a bullet before a
/// lone number with neither `.` nor `:` after it).
pub fn lex_task_line(line: &[u8]) -> Option<LexedTask> {
    let mut i = skip_spaces(line, 0);
    // Most lines are prose: only these can start a task line.
    match line.get(i)? | 0x20 {
        b'#' | b'-' | b'*' | b'+' | 0xE2 | b'{' | 0x7F | b'p' | b't' | b's' => {} // '[' and '_' read as '{' and 0x7F
        b'0'..=b'9' => {}
        _ => return None,
    }
    let mut heading = None;
    let mut bullet = false;
    if line.get(i) == Some(&b'#') {
        let hashes = line[i..].iter().take_while(|b| **b == b'#').count();
        if hashes > 6 || !line.get(i + hashes).is_some_and(|b| is_space(*b)) {
            return None;
        }
        heading = Some(hashes as u8);
        i = skip_spaces(line, i + hashes);
    } else if let Some(width) = bullet_width(&line[i..]) {
        bullet = true;
        i = skip_spaces(line, i + width);
    }
    let mut checkbox = None;
    let mut optional = false;
    if line.get(i) == Some(&b'[') {
        let inner_start = i + 1;
        let inner_len = match line.get(inner_start) {
            Some(b']') => 0,
            Some(b) => utf8_width(*b),
            None => return None,
        };
        let close = inner_start + inner_len;
        if line.get(close) != Some(&b']') {
            return None;
        }
        checkbox = Some(inner_start..close);
        i = close + 1;
        if line.get(i) == Some(&b'*') {
            optional = true;
            i += 1;
        }
        if !line.get(i).is_some_and(|b| is_space(*b)) {
            return None;
        }
        i = skip_spaces(line, i);
    }
    let mut emphasis = Emphasis::None;
    if line[i..].starts_with(b"**") || line[i..].starts_with(b"__") {
        emphasis = Emphasis::AroundLine;
        i += 2;
    }
    let mut keyword = false;
    if line.get(i).is_some_and(|b| b.is_ascii_alphabetic()) {
        for word in KEYWORDS {
            let end = i + word.len();
            if end < line.len() && line[i..end].eq_ignore_ascii_case(word) && is_space(line[end]) {
                keyword = true;
                i = skip_spaces(line, end);
                break;
            }
        }
    }
    let (id, segments) = scan_id(line, i)?;
    i = id.end;
    let mut trailing_dot = false;
    if line.get(i) == Some(&b'.') {
        trailing_dot = true;
        i += 1;
    }
    if emphasis == Emphasis::AroundLine && (line[i..].starts_with(b"**") || line[i..].starts_with(b"__")) {
        emphasis = Emphasis::AroundId;
        i += 2;
    }
    let mut colon = false;
    if line.get(i) == Some(&b':') {
        colon = true;
        i += 1;
    } else if i < line.len() && !is_space(line[i]) {
        return None;
    }
    let lexed = LexedTask {
        heading,
        bullet,
        checkbox,
        optional,
        keyword,
        emphasis,
        id,
        segments,
        trailing_dot,
        colon,
        title_start: skip_spaces(line, i),
    };
    if segments == 1 && !keyword {
        if lexed.is_bare() {
            return None;
        }
        if bullet && heading.is_none() && lexed.checkbox.is_none() && !trailing_dot && !colon {
            return None;
        }
    }
    Some(lexed)
}

/// Width of a list bullet and the space after it.
fn bullet_width(rest: &[u8]) -> Option<usize> {
    let width = match rest.first()? {
        b'-' | b'*' | b'+' => 1,
        0xE2 if rest.starts_with("•".as_bytes()) => 3,
        _ => return None,
    };
    rest.get(width).filter(|b| is_space(**b)).map(|_| width)
}

fn utf8_width(first: u8) -> usize {
    match first {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Digits joined by dots starting at `start`; the range excludes a trailing dot.
pub fn scan_id(line: &[u8], start: usize) -> Option<(Range<usize>, usize)> {
    let mut i = start;
    let mut segments = 0;
    loop {
        let digits = line[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None; // only possible before the first number
        }
        i += digits;
        segments += 1;
        if line.get(i) == Some(&b'.') && line.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else {
            return Some((start..i, segments));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_of(line: &str) -> Option<String> {
        lex_task_line(line.as_bytes()).map(|t| line[t.id].to_string())
    }

    #[test]
    fn every_dialect_in_the_contract_is_a_task_line() {
        for (line, id) in [
            ("Phase 2: Events → Worker Wire-up (Dependencies: [1])", "2"),
            ("- 2.1 Mount events router; persist Event", "2.1"),
            ("  - 2.1.1 Add router mount for events in API", "2.1.1"),
            ("- [ ] 1.1 Create the project skeleton", "1.1"),
            ("- [x] 1.2 Add CI", "1.2"),
            ("## 3. Data migration", "3"),
            ("### Task 4.2: Clone repository ✅", "4.2"),
            ("- [ ] 1. Set up project", "1"),
            ("- [ ]* 2.3 Write unit tests", "2.3"),
            ("* [~] 4.1 Half done", "4.1"),
            ("• 5.1 Bulleted with a dot", "5.1"),
            ("\t- [X] 08.10 Tabbed", "08.10"),
            ("- [ ] **1.1 Bold title**", "1.1"),
            ("- **1.2** Bold ID", "1.2"),
            ("STEP 3 Shout", "3"),
            ("1.1 Bare multi-level", "1.1"),
            ("- 7: colon", "7"),
        ] {
            assert_eq!(id_of(line).as_deref(), Some(id), "{line}");
        }
    }

    #[test]
    fn ordered_lists_prose_and_tables_are_not_task_lines() {
        // A bare `1.` is an ordered list; `- 3 retries` is a bullet of prose.
        for line in [
            "1. Run it",
            "2 apples",
            "- 3 retries with backoff",
            "| 1.1 | table |",
            "- [ ] Write docs",
            "- Task list overview",
            "#1 not a heading",
            "####### 1.1 too many hashes",
            "1.5x faster",
            "2024-01-01 release",
            "- [x]1.1 no space",
            "",
            "   ",
        ] {
            assert_eq!(id_of(line), None, "{line}");
        }
    }

    #[test]
    fn marks_are_located_for_later_edits() {
        let t = lex_task_line(b"  - [ ]* 1.2. Title").unwrap();
        assert_eq!(t.checkbox, Some(5..6));
        assert!(t.optional && t.bullet && t.trailing_dot && !t.colon);
        assert_eq!(t.title_start, 14);
        let h = lex_task_line(b"### Task 4.2: Clone").unwrap();
        assert_eq!((h.heading, h.keyword, h.colon), (Some(3), true, true));
        let empty_box = lex_task_line("- [] 3.1 Empty box".as_bytes()).unwrap();
        assert_eq!(empty_box.checkbox, Some(3..3));
        let wide_mark = lex_task_line("- [✓] 3.2 Odd mark".as_bytes()).unwrap();
        assert_eq!(wide_mark.checkbox, Some(3..6));
    }
}
