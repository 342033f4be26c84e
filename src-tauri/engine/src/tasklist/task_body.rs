//! Reads what a task's body says about the task: dependencies declared under
//! it, its `<criterion …>` lines, and `agent:` / `risky:` annotations.

use super::annotations::{self, Annotation};
use super::criteria::{self, Criterion};
use super::deps;
use super::diagnostic::{Diagnostic, Severity};
use super::document::{Dependency, TaskList};
use super::id::TaskId;
use super::regions::{LineRegion, Region};
use super::scan;

/// Fills dependencies, criteria and annotations from every task's body, and
/// reports malformed criteria of live tasks and criteria outside any task.
pub fn read_bodies(list: &mut TaskList, regions: &[LineRegion]) {
    let first_task_line = list.tasks.first().map_or(list.lines.len(), |t| t.line);
    for (line, region) in regions.iter().enumerate().take(first_task_line) {
        if region.region == Region::Text && criteria::tag_start(list.line_text(line)).is_some() {
            let text = list.line_text(line).to_vec();
            let at = criteria::tag_start(&text).unwrap_or(0);
            let message = "criterion outside any task: it applies to nothing".to_string();
            list.notes.push(Diagnostic::at(&list.path, line, &text, at, Severity::Warning, message));
        }
    }
    let mut found = BodyFindings::default();
    for t in 0..list.tasks.len() {
        let retired = list.tasks[t].retired;
        let wanted = if retired { Region::Comment } else { Region::Text };
        for line in list.tasks[t].body.clone() {
            if regions[line].region == wanted {
                read_line(list, line, regions[line].lex_from, &mut found);
            }
        }
        let task = &mut list.tasks[t];
        task.deps.append(&mut found.deps);
        task.agent = found.agent.take().or(task.agent.take());
        task.risky = found.risky.take().unwrap_or(task.risky);
        for (line, start, shift) in std::mem::take(&mut found.criteria) {
            read_criterion(list, t, line, start, shift);
        }
    }
}

/// What a task's body lines declare, gathered before it is stored.
#[derive(Default)]
struct BodyFindings {
    deps: Vec<Dependency>,
    agent: Option<String>,
    risky: Option<bool>,
    /// Criterion lines: (line, tag start in the text, offset of the text in the line).
    criteria: Vec<(usize, usize, usize)>,
    /// Reused for each line's dependency annotations.
    scratch: deps::DepsFound,
}

fn read_line(list: &TaskList, line: usize, lex_from: usize, found: &mut BodyFindings) {
    let span = list.lines[line];
    let base = span.start + lex_from.min(span.content_end - span.start);
    let text = &list.source[base..span.content_end];
    if let Some(start) = criteria::tag_start(text) {
        found.criteria.push((line, start, base - span.start));
        return;
    }
    found.scratch.clear();
    deps::in_body_line(text, &mut found.scratch);
    for id in &found.scratch.ids {
        found.deps.push(Dependency { id: TaskId::from_digits(&text[id.clone()]), target: None, line, at: base + id.start..base + id.end });
    }
    if scan::has_byte(text, b':') {
        match annotations::read(text) {
            Some(Annotation::Agent(name)) => found.agent = Some(name),
            Some(Annotation::Risky(risky)) => found.risky = Some(risky),
            None => {}
        }
    }
}

fn read_criterion(list: &mut TaskList, t: usize, line: usize, start: usize, shift: usize) {
    let content = list.line_text(line);
    let text = &content[shift..];
    let lossy = String::from_utf8_lossy(text).into_owned();
    // Offsets in the lossy text equal those in the bytes up to the first invalid byte.
    match criteria::parse(&lossy, start) {
        Ok(spec) => {
            let line = list.line_number(line);
            list.tasks[t].criteria.push(Criterion { line, spec });
        }
        Err(problems) if !list.tasks[t].retired => {
            let full = list.line_text(line).to_vec();
            for (at, message) in problems {
                let column = lossy_offset_to_bytes(&lossy, &full[shift..], at) + shift;
                list.notes.push(Diagnostic::at(&list.path, line, &full, column, Severity::Error, message));
            }
        }
        Err(_) => {}
    }
}

/// Maps a byte offset in the lossy string back to the raw bytes (they differ
/// only after an invalid sequence, which becomes the 3-byte U+FFFD).
fn lossy_offset_to_bytes(lossy: &str, raw: &[u8], at: usize) -> usize {
    if lossy.len() == raw.len() {
        return at.min(raw.len());
    }
    let chars_before = lossy[..at.min(lossy.len())].chars().count();
    let mut raw_at = 0;
    let mut seen = 0;
    for chunk in raw.utf8_chunks() {
        for ch in chunk.valid().chars() {
            if seen == chars_before {
                return raw_at;
            }
            seen += 1;
            raw_at += ch.len_utf8();
        }
        if !chunk.invalid().is_empty() {
            if seen == chars_before {
                return raw_at;
            }
            seen += 1;
            raw_at += chunk.invalid().len();
        }
    }
    raw.len()
}
