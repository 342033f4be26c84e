//! Splits a file into lines without losing a byte: each line keeps its own
//! ending (LF, CRLF or none), so writing the lines back gives the input.

use std::ops::Range;

/// One line of the file, as byte offsets into the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineSpan {
    /// First byte of the line.
    pub start: usize,
    /// End of the content: before `\r\n` or `\n`, or the end of the file.
    pub content_end: usize,
    /// End of the line including its ending (start of the next line).
    pub end: usize,
}

impl LineSpan {
    pub fn content(&self) -> Range<usize> {
        self.start..self.content_end
    }

    pub fn has_ending(&self) -> bool {
        self.end > self.content_end
    }
}

/// Splits `source` at `\n`. A file that does not end in a newline has a last
/// line without ending; an empty file has no lines.
pub fn split_lines(source: &[u8]) -> Vec<LineSpan> {
    let mut lines = Vec::with_capacity(source.len() / 40 + 1);
    let mut start = 0;
    while start < source.len() {
        let (content_end, end) = match next_newline(source, start) {
            Some(nl) => {
                let content_end = if nl > start && source[nl - 1] == b'\r' { nl - 1 } else { nl };
                (content_end, nl + 1)
            }
            None => (source.len(), source.len()),
        };
        lines.push(LineSpan { start, content_end, end });
        start = end;
    }
    lines
}

/// Offset of the next `\n` at or after `from`.
fn next_newline(bytes: &[u8], from: usize) -> Option<usize> {
    super::scan::find_byte(&bytes[from.min(bytes.len())..], b'\n').map(|p| from + p)
}

/// The ending new lines should get: the most common one in the file, LF on a tie
/// or when the file has none.
pub fn dominant_ending(lines: &[LineSpan]) -> &'static str {
    let crlf = lines.iter().filter(|l| l.end - l.content_end == 2).count();
    let lf = lines.iter().filter(|l| l.end - l.content_end == 1).count();
    if crlf > lf { "\r\n" } else { "\n" }
}

/// The ending to use for a line written next to `line`: its own ending, or the
/// file's usual one when the line has none (the last line of a file without a
/// final newline).
pub fn ending_near(lines: &[LineSpan], line: usize) -> &'static str {
    match lines.get(line) {
        Some(span) if span.end - span.content_end == 2 => "\r\n",
        Some(span) if span.end - span.content_end == 1 => "\n",
        _ => dominant_ending(lines),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuild(source: &[u8]) -> Vec<u8> {
        split_lines(source).iter().flat_map(|l| source[l.start..l.end].to_vec()).collect()
    }

    #[test]
    fn every_byte_belongs_to_exactly_one_line() {
        // The lossless write is the concatenation of the lines.
        for input in [&b""[..], b"a", b"a\n", b"a\r\nb", b"\n\n", b"\r\r\n\r", b"x\ry\n"] {
            assert_eq!(rebuild(input), input);
        }
    }

    #[test]
    fn newlines_are_found_at_every_position_of_a_word() {
        // The eight-bytes-at-a-time search must agree with a plain scan.
        for len in 0..40 {
            for at in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[at] = b'\n';
                if at + 3 < len {
                    bytes[at + 3] = b'\n';
                }
                for from in 0..=len {
                    let plain = bytes[from..].iter().position(|b| *b == b'\n').map(|p| from + p);
                    assert_eq!(next_newline(&bytes, from), plain, "len {len} at {at} from {from}");
                }
            }
        }
    }

    #[test]
    fn crlf_is_an_ending_and_a_lone_cr_is_content() {
        let lines = split_lines(b"a\r\nb\rc\nd");
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].content(), 0..1);
        assert_eq!(lines[1].content(), 3..6);
        assert!(!lines[2].has_ending());
    }

    #[test]
    fn new_lines_copy_the_file_usual_ending() {
        assert_eq!(ending_near(&split_lines(b"a\r\nb\r\nc"), 2), "\r\n");
        assert_eq!(ending_near(&split_lines(b"a\nb"), 1), "\n");
    }
}
