//! Where new lines go and how they are indented, so an insertion looks like
//! the lines around it: after a section's last non-blank line, before a
//! trailing heading that is not a task, with the file's own line ending.

use crate::tasklist::document::TaskList;
use crate::tasklist::lines::ending_near;

use super::splice::Splice;

impl TaskList {
    pub(crate) fn is_blank_line(&self, line: usize) -> bool {
        self.line_text(line).iter().all(|b| b.is_ascii_whitespace())
    }

    /// The last non-blank line in `first..until`, not counting a non-task
    /// heading (outside code fences) after `content_from` and what follows it.
    pub(crate) fn section_last_line(&self, first: usize, content_from: usize, until: usize) -> usize {
        let mut end = until;
        let mut fence: Option<u8> = None;
        for line in content_from + 1..until {
            let text = self.line_text(line);
            let trimmed = &text[text.iter().take_while(|b| **b == b' ' || **b == b'\t').count()..];
            if trimmed.starts_with(b"```") || trimmed.starts_with(b"~~~") {
                fence = match fence {
                    Some(ch) if ch == trimmed[0] => None,
                    Some(ch) => Some(ch),
                    None => Some(trimmed[0]),
                };
            } else if fence.is_none() && trimmed.first() == Some(&b'#') && !self.is_task_line(line) {
                end = line;
                break;
            }
        }
        (first..end).rev().find(|l| !self.is_blank_line(*l)).unwrap_or(first)
    }

    fn is_task_line(&self, line: usize) -> bool {
        self.tasks.binary_search_by_key(&line, |t| t.line).is_ok()
    }

    /// Indentation for body lines under a task: the task line's own, plus two
    /// spaces under a list bullet.
    pub(crate) fn body_indent(&self, task: usize) -> String {
        let text = self.line_text(self.tasks[task].line);
        let indent = text.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
        let mut out = String::from_utf8_lossy(&text[..indent]).into_owned();
        if self.tasks[task].shape.bullet {
            out.push_str("  ");
        }
        out
    }

    /// Inserts `lines` (each without ending) after line `after`; with
    /// `separate`, a blank line goes between when one already follows `after`.
    pub(crate) fn insert_after_line(&self, after: usize, lines: &[String], separate: bool) -> Splice {
        let eol = ending_near(&self.lines, after);
        let span = self.lines[after];
        let block: String = lines.iter().map(|l| format!("{l}{eol}")).collect();
        if !span.has_ending() {
            let mut text = format!("{eol}{block}");
            text.truncate(text.len() - eol.len());
            return Splice::insert(span.end, text);
        }
        let blank_follows = after + 1 < self.lines.len() && self.is_blank_line(after + 1);
        let text = if separate && blank_follows { format!("{eol}{block}") } else { block };
        Splice::insert(span.end, text)
    }
}
