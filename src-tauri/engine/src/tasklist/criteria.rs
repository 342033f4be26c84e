//! Acceptance criteria written as `<criterion …>` lines: prose goals
//! (`<criterion 1: text [source: PRD]>`) and programmable checks with
//! attributes, parsed, validated with a location, and written back.

use serde::Serialize;

/// A criterion found in a task's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Criterion {
    /// 1-based line of the `<criterion` tag.
    pub line: u32,
    pub spec: CriterionSpec,
}

/// What a criterion asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum CriterionSpec {
    /// A goal in words, checked by the project's default checks.
    Prose { label: Option<String>, text: String, source: Option<String> },
    /// A check the verifier runs.
    Check { key: Option<String>, kind: Option<CriterionKind>, check: Check, extra: Vec<Attribute> },
}

/// The area a programmable criterion covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CriterionKind {
    Perf,
    Test,
    Sec,
    Doc,
    Type,
    Ops,
}

/// How a programmable criterion is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "check", rename_all = "snake_case")]
pub enum Check {
    /// Passes when the command exits 0 (run in the task's container).
    Cmd { run: String },
    /// Passes when the file at `path` matches `pattern`.
    Regex { path: String, pattern: String },
    /// Passes when `path` exists.
    File { path: String },
    /// Passes when `url` answers with `status` (default 200), within `p95_ms` if given.
    Http { url: String, status: Option<u16>, p95_ms: Option<u32> },
}

/// An attribute DevTeam does not interpret, kept for the verifier and the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

/// A problem in a criterion: byte offset in the line and a message.
pub type CriterionProblem = (usize, String);

/// True when the line (after indentation and an optional `-`, `*`, `+` or `•`
/// bullet) starts with `<criterion`.
pub fn tag_start(line: &[u8]) -> Option<usize> {
    let mut i = line.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
    let rest = &line[i..];
    let bullet = if rest.starts_with("•".as_bytes()) { 3 } else if matches!(rest.first(), Some(b'-' | b'*' | b'+')) { 1 } else { 0 };
    if bullet > 0 && line.get(i + bullet).is_some_and(|b| *b == b' ' || *b == b'\t') {
        i += bullet;
        i += line[i..].iter().take_while(|b| **b == b' ' || **b == b'\t').count();
    }
    let tag = &line[i..];
    let after = tag.get(10).copied();
    (tag.starts_with(b"<criterion") && matches!(after, None | Some(b' ' | b'\t' | b'>' | b':'))).then_some(i)
}

/// Parses a criterion line (one for which [`tag_start`] is `Some`).
pub fn parse(line: &str, start: usize) -> Result<CriterionSpec, Vec<CriterionProblem>> {
    let inner_start = start + "<criterion".len();
    let inner = &line[inner_start..];
    let body = inner.trim_start();
    let offset = inner_start + inner.len() - body.len();
    if looks_like_attribute(body) {
        let attributes = read_attributes(line, offset)?;
        check_spec(attributes)
    } else {
        match body.rfind('>') {
            Some(close) => prose(&body[..close], offset),
            None => Err(vec![(start, "unterminated <criterion: no closing `>` on this line".to_string())]),
        }
    }
}

fn looks_like_attribute(text: &str) -> bool {
    let name = text.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-').count();
    name > 0 && text.as_bytes().get(name) == Some(&b'=')
}

fn prose(text: &str, offset: usize) -> Result<CriterionSpec, Vec<CriterionProblem>> {
    let mut text = text.trim();
    let mut label = None;
    if let Some(colon) = text.find(':') {
        let candidate = &text[..colon];
        if !candidate.is_empty() && !candidate.contains(char::is_whitespace) && !candidate.contains('[') {
            label = Some(candidate.to_string());
            text = text[colon + 1..].trim();
        }
    }
    let mut source = None;
    if text.ends_with(']') {
        if let Some(open) = text.rfind("[source:") {
            source = Some(text[open + 8..text.len() - 1].trim().to_string());
            text = text[..open].trim_end();
        }
    }
    if text.is_empty() {
        return Err(vec![(offset, "criterion has no text".to_string())]);
    }
    Ok(CriterionSpec::Prose { label, text: text.to_string(), source })
}

/// `name="value"`, `name='value'` or `name=value` pairs up to the closing `>`.
fn read_attributes(line: &str, mut i: usize) -> Result<Vec<(usize, String, String)>, Vec<CriterionProblem>> {
    let bytes = line.as_bytes();
    let mut attributes: Vec<(usize, String, String)> = Vec::new();
    let mut problems = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        match bytes.get(i) {
            None => {
                problems.push((i, "unterminated <criterion: no closing `>` on this line".to_string()));
                return Err(problems);
            }
            Some(b'>') => break,
            Some(b'/') if bytes.get(i + 1) == Some(&b'>') => break,
            _ => {}
        }
        let at = i;
        let name_len = bytes[i..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'-').count();
        if name_len == 0 || bytes.get(i + name_len) != Some(&b'=') {
            problems.push((at, "expected an attribute like name=\"value\"".to_string()));
            return Err(problems);
        }
        let name = line[i..i + name_len].to_string();
        i += name_len + 1;
        let value = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => match line[i + 1..].find(quote as char) {
                Some(len) => {
                    let value = line[i + 1..i + 1 + len].to_string();
                    i += len + 2;
                    value
                }
                None => {
                    problems.push((i, format!("unterminated value of `{name}`")));
                    return Err(problems);
                }
            },
            _ => {
                let len = bytes[i..].iter().take_while(|b| !b.is_ascii_whitespace() && **b != b'>').count();
                let value = line[i..i + len].to_string();
                i += len;
                value
            }
        };
        if attributes.iter().any(|(_, n, _)| *n == name) {
            problems.push((at, format!("attribute `{name}` is given twice")));
        }
        attributes.push((at, name, value));
    }
    if problems.is_empty() { Ok(attributes) } else { Err(problems) }
}

fn check_spec(attributes: Vec<(usize, String, String)>) -> Result<CriterionSpec, Vec<CriterionProblem>> {
    let mut problems = Vec::new();
    let find = |name: &str| attributes.iter().find(|(_, n, v)| n == name && !v.is_empty());
    let kind = match find("kind") {
        None => None,
        Some((at, _, value)) => match value.as_str() {
            "perf" => Some(CriterionKind::Perf),
            "test" => Some(CriterionKind::Test),
            "sec" => Some(CriterionKind::Sec),
            "doc" => Some(CriterionKind::Doc),
            "type" => Some(CriterionKind::Type),
            "ops" => Some(CriterionKind::Ops),
            other => {
                problems.push((*at, format!("unknown criterion kind `{other}` (perf, test, sec, doc, type or ops)")));
                None
            }
        },
    };
    let mut used = vec!["key", "kind", "check"];
    let value = |name: &str| find(name).map(|(_, _, v)| v.clone());
    let mut need = |check: &str, names: &[&'static str], at: usize, problems: &mut Vec<CriterionProblem>| {
        for name in names {
            used.push(name);
            if find(name).is_none() {
                problems.push((at, format!("`{check}` check needs {name}=\"…\"")));
            }
        }
    };
    let check = match find("check") {
        None => {
            problems.push((attributes.first().map_or(0, |a| a.0), "criterion has no check= (cmd, regex, file or http)".to_string()));
            None
        }
        Some((at, _, name)) => match name.as_str() {
            "cmd" => {
                need("cmd", &["run"], *at, &mut problems);
                Some(Check::Cmd { run: value("run").unwrap_or_default() })
            }
            "regex" => {
                need("regex", &["path", "pattern"], *at, &mut problems);
                Some(Check::Regex { path: value("path").unwrap_or_default(), pattern: value("pattern").unwrap_or_default() })
            }
            "file" => {
                need("file", &["path"], *at, &mut problems);
                Some(Check::File { path: value("path").unwrap_or_default() })
            }
            "http" => {
                need("http", &["url"], *at, &mut problems);
                used.extend(["status", "p95_ms"]);
                let status = number::<u16>(&attributes, "status", 100..=599, &mut problems);
                let p95_ms = number::<u32>(&attributes, "p95_ms", 0..=u32::MAX, &mut problems);
                Some(Check::Http { url: value("url").unwrap_or_default(), status, p95_ms })
            }
            other => {
                problems.push((*at, format!("unknown check `{other}` (cmd, regex, file or http)")));
                None
            }
        },
    };
    let (Some(check), true) = (check, problems.is_empty()) else { return Err(problems) };
    let extra = attributes
        .iter()
        .filter(|(_, n, _)| !used.contains(&n.as_str()))
        .map(|(_, name, value)| Attribute { name: name.clone(), value: value.clone() })
        .collect();
    let key = value("key");
    Ok(CriterionSpec::Check { key, kind, check, extra })
}

fn number<T: std::str::FromStr + PartialOrd + Copy>(
    attributes: &[(usize, String, String)],
    name: &str,
    range: std::ops::RangeInclusive<T>,
    problems: &mut Vec<CriterionProblem>,
) -> Option<T> {
    let (at, _, value) = attributes.iter().find(|(_, n, _)| n == name)?;
    match value.parse::<T>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            problems.push((*at, format!("`{name}` must be a number, not `{value}`")));
            None
        }
    }
}

#[cfg(test)]
#[path = "criteria_tests.rs"]
mod tests;
