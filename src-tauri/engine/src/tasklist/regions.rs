//! Finds the parts of a file where task lines cannot be live: YAML front
//! matter, code fences and HTML comments (whose tasks are "retired").

use super::lines::LineSpan;
use super::scan;

/// What region a line lies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// Ordinary Markdown: task lines, prose, headings.
    Text,
    /// YAML front matter, delimiters included.
    FrontMatter,
    /// A fenced code block, fence lines included.
    Fence,
    /// Inside an HTML comment: task lines here are retired tasks.
    Comment,
    /// A code fence inside an HTML comment: never a task, retired or not.
    CommentedFence,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A line's region and where, in its content, a task line may begin (after an
/// opening `<!--`, or after a comment closed earlier on the line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRegion {
    pub region: Region,
    pub lex_from: usize,
    /// The line leaves an HTML comment open for the next line.
    pub opens_comment: bool,
}

/// An open code fence: its character and run length.
#[derive(Debug, Clone, Copy)]
struct Fence {
    ch: u8,
    len: usize,
}

enum State {
    Normal,
    InFence(Fence),
    InComment(Option<Fence>),
}

/// Every line's region, and the fence or comment left open at the end of the
/// file (the line that opened it), if any.
#[derive(Debug, Clone)]
pub struct Regions {
    pub lines: Vec<LineRegion>,
    pub unclosed: Option<(usize, Region)>,
}

/// The region of every line, in order.
pub fn classify(source: &[u8], lines: &[LineSpan]) -> Regions {
    let mut out = Vec::with_capacity(lines.len());
    let front = front_matter_end(source, lines);
    for _ in 0..front {
        out.push(LineRegion { region: Region::FrontMatter, lex_from: 0, opens_comment: false });
    }
    let mut state = State::Normal;
    let mut opened_at = 0;
    // Comments need a `<` or a `-->`: find the file's `<`s once, not per line.
    let mut next_angle = scan::find_byte(source, b'<').unwrap_or(source.len());
    for (i, span) in lines.iter().enumerate().skip(front) {
        while next_angle < span.start {
            next_angle = scan::find_byte(&source[next_angle + 1..], b'<').map_or(source.len(), |p| next_angle + 1 + p);
        }
        let plain = next_angle >= span.content_end && matches!(state, State::Normal);
        let mut content = &source[span.content()];
        // A byte order mark is not part of the first line's text.
        let bom = if i == 0 && content.starts_with(BOM) { BOM.len() } else { 0 };
        content = &content[bom..];
        let was_normal = matches!(state, State::Normal);
        let (mut line, next) = if plain {
            // No `<` on this line, outside any comment: only a fence can matter.
            match opens_fence(content) {
                Some(fence) => (LineRegion { region: Region::Fence, lex_from: 0, opens_comment: false }, State::InFence(fence)),
                None => (LineRegion { region: Region::Text, lex_from: 0, opens_comment: false }, State::Normal),
            }
        } else {
            classify_line(content, state)
        };
        line.lex_from += bom;
        if was_normal && !matches!(next, State::Normal) {
            opened_at = i;
        }
        out.push(line);
        state = next;
    }
    let unclosed = match state {
        State::Normal => None,
        State::InFence(_) => Some((opened_at, Region::Fence)),
        State::InComment(_) => Some((opened_at, Region::Comment)),
    };
    Regions { lines: out, unclosed }
}

fn classify_line(content: &[u8], state: State) -> (LineRegion, State) {
    let region = |region, lex_from, opens_comment| LineRegion { region, lex_from, opens_comment };
    match state {
        State::InFence(fence) => {
            let next = if closes_fence(content, fence) { State::Normal } else { State::InFence(fence) };
            (region(Region::Fence, 0, false), next)
        }
        State::InComment(fence) => {
            if let Some(close) = find(content, b"-->") {
                let open = comment_left_open(&content[close + 3..]);
                let next = if open { State::InComment(None) } else { State::Normal };
                return (region(Region::Comment, 0, open), next);
            }
            match fence {
                Some(f) if closes_fence(content, f) => (region(Region::CommentedFence, 0, true), State::InComment(None)),
                Some(f) => (region(Region::CommentedFence, 0, true), State::InComment(Some(f))),
                None => match opens_fence(content) {
                    Some(f) => (region(Region::CommentedFence, 0, true), State::InComment(Some(f))),
                    None => (region(Region::Comment, 0, true), State::InComment(None)),
                },
            }
        }
        State::Normal => {
            if let Some(fence) = opens_fence(content) {
                return (region(Region::Fence, 0, false), State::InFence(fence));
            }
            let indent = content.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
            if content[indent..].starts_with(b"<!--") {
                let inner = indent + 4;
                return match find(&content[inner..], b"-->") {
                    Some(close) => {
                        let after = inner + close + 3;
                        let rest = &content[after..];
                        let open = comment_left_open(rest);
                        let next = if open { State::InComment(None) } else { State::Normal };
                        if rest.iter().all(|b| b.is_ascii_whitespace()) {
                            (region(Region::Comment, inner, open), next)
                        } else {
                            let skip = rest.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
                            (region(Region::Text, after + skip, open), next)
                        }
                    }
                    None => (region(Region::Comment, inner, true), State::InComment(None)),
                };
            }
            let open = comment_left_open(content);
            let next = if open { State::InComment(None) } else { State::Normal };
            (region(Region::Text, 0, open), next)
        }
    }
}

/// Number of leading lines that are YAML front matter (0 when there is none):
/// a first line `---` (after an optional BOM) closed by a `---` or `...` line.
fn front_matter_end(source: &[u8], lines: &[LineSpan]) -> usize {
    let Some(first) = lines.first() else { return 0 };
    let mut content = &source[first.content()];
    content = content.strip_prefix(BOM).unwrap_or(content);
    if trim_end(content) != b"---" {
        return 0;
    }
    for (i, span) in lines.iter().enumerate().skip(1) {
        let line = trim_end(&source[span.content()]);
        if line == b"---" || line == b"..." {
            return i + 1;
        }
    }
    0
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |p| p + 1);
    &bytes[..end]
}

/// A fence opening: optional indentation, then 3+ backticks or tildes; a
/// backtick fence's info string has no backtick.
fn opens_fence(content: &[u8]) -> Option<Fence> {
    let indent = content.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
    let rest = &content[indent..];
    let ch = *rest.first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = rest.iter().take_while(|b| **b == ch).count();
    if len < 3 || (ch == b'`' && rest[len..].contains(&b'`')) {
        return None;
    }
    Some(Fence { ch, len })
}

fn closes_fence(content: &[u8], fence: Fence) -> bool {
    let indent = content.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
    let rest = &content[indent..];
    let len = rest.iter().take_while(|b| **b == fence.ch).count();
    len >= fence.len && rest[len..].iter().all(|b| b.is_ascii_whitespace())
}

/// True when `text` opens an HTML comment it does not close. Backtick code
/// spans are skipped, so `` `<!--` `` in prose opens nothing.
fn comment_left_open(text: &[u8]) -> bool {
    if !scan::has_byte(text, b'<') {
        return false;
    }
    let mut i = 0;
    let mut open = false;
    while i < text.len() {
        if open {
            match find(&text[i..], b"-->") {
                Some(close) => {
                    open = false;
                    i += close + 3;
                }
                None => return true,
            }
        } else if text[i] == b'`' {
            let run = text[i..].iter().take_while(|b| **b == b'`').count();
            let after = i + run;
            i = match find_run(&text[after..], run) {
                Some(end) => after + end + run,
                None => after,
            };
        } else if text[i..].starts_with(b"<!--") {
            open = true;
            i += 4;
        } else {
            i += 1;
        }
    }
    open
}

/// Position of a run of exactly `run` backticks.
fn find_run(text: &[u8], run: usize) -> Option<usize> {
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'`' {
            let len = text[i..].iter().take_while(|b| **b == b'`').count();
            if len == run {
                return Some(i);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut i = 0;
    while i + needle.len() <= haystack.len() {
        match haystack[i..haystack.len() - needle.len() + 1].iter().position(|b| *b == first) {
            None => return None,
            Some(p) => {
                i += p;
                if &haystack[i..i + needle.len()] == needle {
                    return Some(i);
                }
                i += 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasklist::lines::split_lines;

    fn regions(text: &str) -> Vec<Region> {
        classify(text.as_bytes(), &split_lines(text.as_bytes())).lines.iter().map(|r| r.region).collect()
    }

    #[test]
    fn front_matter_needs_a_closing_line() {
        // An unclosed `---` is a thematic break, not front matter.
        assert_eq!(regions("---\na: 1\n---\nx"), [Region::FrontMatter, Region::FrontMatter, Region::FrontMatter, Region::Text]);
        assert_eq!(regions("---\nx"), [Region::Text, Region::Text]);
        assert_eq!(regions("\u{feff}---\r\n---\r\n")[1], Region::FrontMatter);
    }

    #[test]
    fn fences_close_only_with_a_long_enough_run_of_the_same_char() {
        use Region::*;
        assert_eq!(regions("````\n```\n~~~\n````\nx"), [Fence, Fence, Fence, Fence, Text]);
        // ```code``` on one line is inline code, not a fence.
        assert_eq!(regions("```a```\nx"), [Text, Text]);
    }

    #[test]
    fn comments_span_lines_and_code_spans_do_not_open_them() {
        use Region::*;
        assert_eq!(regions("a <!-- b\nc\nd --> e\nf"), [Text, Comment, Comment, Text]);
        assert_eq!(regions("use `<!--` here\nx"), [Text, Text]);
        assert_eq!(regions("<!-- x -->\ny"), [Comment, Text]);
    }

    #[test]
    fn text_after_a_closed_leading_comment_is_live() {
        let text = "<!-- note --> - [ ] 1.1 Real";
        let r = classify(text.as_bytes(), &split_lines(text.as_bytes())).lines;
        assert_eq!(r[0].region, Region::Text);
        assert_eq!(&text[r[0].lex_from..], "- [ ] 1.1 Real");
    }

    #[test]
    fn an_unclosed_fence_or_comment_is_reported_with_its_opening_line() {
        let text = "a\n```\nb";
        assert_eq!(classify(text.as_bytes(), &split_lines(text.as_bytes())).unclosed, Some((1, Region::Fence)));
        let text = "a\nb <!-- c\nd";
        assert_eq!(classify(text.as_bytes(), &split_lines(text.as_bytes())).unclosed, Some((1, Region::Comment)));
    }

    #[test]
    fn fences_inside_comments_are_not_retired_tasks() {
        use Region::*;
        assert_eq!(regions("<!--\n```\n- 1.1 x\n```\n-->\n"), [Comment, CommentedFence, CommentedFence, CommentedFence, Comment]);
    }
}
