//! Reads any bytes into a [`TaskList`]: finds task lines (skipping front
//! matter and fences, retiring commented-out tasks), settles duplicate IDs,
//! and gives each task its body, title, marks, dependencies and criteria.

use std::borrow::Cow;

use super::deps::{self, DepsFound};
use super::diagnostic::{Diagnostic, Severity};
use super::document::{LineShape, Task, TaskList};
use super::hierarchy;
use super::id::TaskId;
use super::id_index::IdIndex;
use super::lex::{self, LexedTask};
use super::lines::{split_lines, LineSpan};
use super::regions::{self, LineRegion, Region};
use super::task_body;
use super::title;

/// A line with the shape of a task, before duplicates are settled.
struct Candidate {
    line: usize,
    /// Offset of the lexed text within the line's content.
    offset: usize,
    lexed: LexedTask,
    retired: bool,
}

/// Reads a task list. Never fails: problems become diagnostics. `path` is only
/// used to label them.
pub fn parse(bytes: &[u8], path: &str) -> TaskList {
    let source = bytes.to_vec();
    let lines = split_lines(&source);
    let regions = regions::classify(&source, &lines);
    let mut notes = Vec::new();
    // Room for a task on every other line, up to a bound (huge inputs grow as needed).
    let room = (lines.len() / 2).min(1 << 16);
    let mut index = IdIndex::with_capacity(room);
    let mut tasks: Vec<Task> = Vec::with_capacity(room);
    let mut found = DepsFound::default();
    find_candidates(&source, &lines, &regions.lines, |candidate| {
        let content = &source[lines[candidate.line].content()];
        let id_range = offset_range(&candidate.lexed.id, candidate.offset);
        let id = TaskId::from_digits(&content[id_range.clone()]);
        let id_of = |i: usize| tasks[i].id.as_str().as_bytes();
        match index.insert_new(id.as_str().as_bytes(), tasks.len(), id_of) {
            Err(first) => {
                if !candidate.retired {
                    let first_line = tasks[first].line + 1;
                    let message = format!("duplicate ID {id}, first at line {first_line}; this line stays text");
                    notes.push(Diagnostic::at(path, candidate.line, content, id_range.start, Severity::Warning, message));
                }
            }
            Ok(()) => {
                tasks.push(build_task(&source, &lines, &candidate, id, &mut found));
            }
        }
    });
    // A body runs to the next task line.
    for k in 0..tasks.len() {
        let end = tasks.get(k + 1).map_or(lines.len(), |next| next.line);
        tasks[k].body.end = end;
    }
    let mut list = TaskList { path: path.to_string(), source, lines, tasks, index, roots: Vec::new(), notes };
    hierarchy::link(&mut list);
    task_body::read_bodies(&mut list, &regions.lines);
    note_regions(&mut list, &regions.lines, regions.unclosed);
    list.notes.sort_by_key(|d| (d.line, d.column));
    list
}

fn offset_range(range: &std::ops::Range<usize>, offset: usize) -> std::ops::Range<usize> {
    range.start + offset..range.end + offset
}

/// Hands every line with the shape of a task to `found`, applying the
/// block-start rule to bare lines.
fn find_candidates(source: &[u8], lines: &[LineSpan], regions: &[LineRegion], mut found: impl FnMut(Candidate)) {
    let mut block_start = true;
    for (i, (span, region)) in lines.iter().zip(regions).enumerate() {
        let content = &source[span.content()];
        match region.region {
            Region::FrontMatter | Region::Fence | Region::CommentedFence => {
                block_start = true;
                continue;
            }
            Region::Text | Region::Comment => {}
        }
        let text = &content[region.lex_from.min(content.len())..];
        if text.iter().all(|b| b.is_ascii_whitespace()) {
            block_start = true;
            continue;
        }
        let starts_block = block_start || region.lex_from > 0;
        let lexed = lex::lex_task_line(text).filter(|t| !t.is_bare() || starts_block);
        let is_heading = is_heading(text);
        let retired = region.region == Region::Comment;
        // A line closing a comment is followed by prose about it ("PHASE 1
        // COMPLETED"), not by a new block.
        let closes_comment = retired && !region.opens_comment;
        block_start = (lexed.is_some() || is_heading) && !closes_comment;
        if let Some(lexed) = lexed {
            found(Candidate { line: i, offset: region.lex_from, lexed, retired });
        }
    }
}

fn is_heading(text: &[u8]) -> bool {
    let indent = text.iter().take_while(|b| **b == b' ').count();
    let hashes = text[indent..].iter().take_while(|b| **b == b'#').count();
    (1..=6).contains(&hashes) && !matches!(text.get(indent + hashes), Some(b) if *b != b' ' && *b != b'\t')
}

fn build_task(source: &[u8], lines: &[LineSpan], candidate: &Candidate, id: TaskId, found: &mut DepsFound) -> Task {
    let span = lines[candidate.line];
    let base = span.start + candidate.offset;
    let content = &source[span.content()];
    let lexed = &candidate.lexed;
    let abs = |r: &std::ops::Range<usize>| base + r.start..base + r.end;
    let id_range = abs(&lexed.id);
    let rest = &source[base + lexed.title_start..span.content_end];
    found.clear();
    deps::on_task_line(rest, found);
    let title = title::clean(rest, &found.spans, lexed.emphasis);
    let box_mark = lexed.checkbox.as_ref().map(|r| match &source[abs(r)] {
        b" " => Cow::Borrowed(" "),
        b"x" => Cow::Borrowed("x"),
        b"X" => Cow::Borrowed("X"),
        other => Cow::Owned(String::from_utf8_lossy(other).into_owned()),
    });
    let checked = matches!(box_mark.as_deref(), Some("x") | Some("X"));
    let trimmed = content.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |p| p + 1);
    let rest_start = base + lexed.title_start;
    let deps = found
        .ids
        .iter()
        .map(|r| super::document::Dependency {
            id: TaskId::from_digits(&rest[r.clone()]),
            target: None,
            line: candidate.line,
            at: rest_start + r.start..rest_start + r.end,
        })
        .collect();
    Task {
        id,
        title,
        line: candidate.line,
        body: candidate.line + 1..candidate.line + 1,
        marked_done: checked || title::has_done_mark(&source[base + lexed.id.end..span.content_end]),
        box_mark,
        optional: lexed.optional,
        retired: candidate.retired,
        parent: None,
        children: Vec::new(),
        deps,
        criteria: Vec::new(),
        agent: None,
        risky: false,
        shape: LineShape {
            prefix: span.start..id_range.start,
            checkbox: lexed.checkbox.as_ref().map(abs),
            id: id_range,
            trailing_dot: lexed.trailing_dot,
            colon: lexed.colon,
            emphasis: lexed.emphasis,
            bullet: lexed.bullet,
            trimmed_end: span.start + trimmed,
        },
    }
}

/// Notes on retired tasks (one per comment) and warnings on a fence or
/// comment left open to the end of the file.
fn note_regions(list: &mut TaskList, regions: &[LineRegion], unclosed: Option<(usize, Region)>) {
    let mut i = 0;
    while i < list.tasks.len() {
        if !list.tasks[i].retired {
            i += 1;
            continue;
        }
        let first = i;
        let mut opener = list.tasks[i].line;
        let inside = |r: &LineRegion| matches!(r.region, Region::Comment | Region::CommentedFence) && r.lex_from == 0;
        while opener > 0 && inside(&regions[opener]) {
            opener -= 1;
        }
        let mut last = i;
        while last + 1 < list.tasks.len() && list.tasks[last + 1].retired {
            let between = list.tasks[last].line..list.tasks[last + 1].line;
            if between.clone().any(|l| regions[l].region == Region::Comment && !regions[l].opens_comment) {
                break;
            }
            last += 1;
        }
        let message = if first == last {
            format!("task {} is inside an HTML comment: it is retired, counts as done and never runs", list.tasks[first].id)
        } else {
            format!(
                "{} tasks inside this HTML comment ({} … {}) are retired: they count as done and never run",
                last - first + 1,
                list.tasks[first].id,
                list.tasks[last].id,
            )
        };
        let text = list.line_text(opener).to_vec();
        let column = text.windows(4).position(|w| w == b"<!--").unwrap_or(0);
        list.notes.push(Diagnostic::at(&list.path, opener, &text, column, Severity::Note, message));
        i = last + 1;
    }
    if let Some((line, region)) = unclosed {
        let what = if region == Region::Fence { "code fence" } else { "HTML comment" };
        let message = format!("this {what} is never closed: everything after it to the end of the file is inside it");
        let text = list.line_text(line).to_vec();
        let column = text.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
        list.notes.push(Diagnostic::at(&list.path, line, &text, column, Severity::Warning, message));
    }
}
