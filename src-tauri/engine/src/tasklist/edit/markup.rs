//! Writes a criterion back as the `<criterion …>` text the parser reads.

use super::EditError;
use crate::tasklist::criteria::{Check, CriterionKind, CriterionSpec};

/// The `<criterion …>` tag for a criterion.
pub fn criterion_markup(spec: &CriterionSpec) -> Result<String, EditError> {
    match spec {
        CriterionSpec::Prose { label, text, source } => {
            let mut out = String::from("<criterion ");
            if let Some(label) = label {
                if label.is_empty() || label.contains(|c: char| c.is_whitespace() || c == ':' || c == '[') {
                    return Err(EditError::BadCriterion(format!("label `{label}` must be one word")));
                }
                out.push_str(label);
                out.push_str(": ");
            }
            one_line(text)?;
            if text.trim().is_empty() {
                return Err(EditError::BadCriterion("a prose criterion needs text".into()));
            }
            out.push_str(text.trim());
            if let Some(source) = source {
                one_line(source)?;
                out.push_str(&format!(" [source: {}]", source.trim()));
            }
            out.push('>');
            Ok(out)
        }
        CriterionSpec::Check { key, kind, check, extra } => {
            let mut attributes: Vec<(&str, String)> = Vec::new();
            if let Some(key) = key {
                attributes.push(("key", key.clone()));
            }
            if let Some(kind) = kind {
                attributes.push(("kind", kind_name(*kind).to_string()));
            }
            match check {
                Check::Cmd { run } => attributes.extend([("check", "cmd".into()), ("run", run.clone())]),
                Check::Regex { path, pattern } => {
                    attributes.extend([("check", "regex".into()), ("path", path.clone()), ("pattern", pattern.clone())])
                }
                Check::File { path } => attributes.extend([("check", "file".into()), ("path", path.clone())]),
                Check::Http { url, status, p95_ms } => {
                    attributes.extend([("check", "http".into()), ("url", url.clone())]);
                    if let Some(status) = status {
                        attributes.push(("status", status.to_string()));
                    }
                    if let Some(p95) = p95_ms {
                        attributes.push(("p95_ms", p95.to_string()));
                    }
                }
            }
            for attribute in extra {
                attributes.push((attribute.name.as_str(), attribute.value.clone()));
            }
            let mut out = String::from("<criterion");
            for (name, value) in attributes {
                let plain_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if !plain_name {
                    return Err(EditError::BadCriterion(format!("attribute name `{name}`")));
                }
                one_line(&value)?;
                let quote = if !value.contains('"') {
                    '"'
                } else if !value.contains('\'') {
                    '\''
                } else {
                    return Err(EditError::BadCriterion(format!("`{value}` holds both kinds of quote")));
                };
                out.push_str(&format!(" {name}={quote}{value}{quote}"));
            }
            out.push('>');
            Ok(out)
        }
    }
}

fn one_line(text: &str) -> Result<(), EditError> {
    if text.contains(['\n', '\r']) {
        return Err(EditError::BadCriterion(format!("`{}` spans several lines", text.escape_debug())));
    }
    Ok(())
}

fn kind_name(kind: CriterionKind) -> &'static str {
    match kind {
        CriterionKind::Perf => "perf",
        CriterionKind::Test => "test",
        CriterionKind::Sec => "sec",
        CriterionKind::Doc => "doc",
        CriterionKind::Type => "type",
        CriterionKind::Ops => "ops",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasklist::criteria::{parse, tag_start};

    fn round_trip(spec: CriterionSpec) {
        let markup = criterion_markup(&spec).unwrap();
        let line = format!("- {markup}");
        let start = tag_start(line.as_bytes()).unwrap();
        assert_eq!(parse(&line, start).unwrap(), spec, "{markup}");
    }

    #[test]
    fn written_criteria_read_back_as_the_same_criteria() {
        // Injected default criteria must be understood by the next parse.
        round_trip(CriterionSpec::Prose { label: Some("1".into()), text: "It builds".into(), source: Some("PRD".into()) });
        round_trip(CriterionSpec::Check {
            key: Some("test.unit".into()),
            kind: Some(CriterionKind::Test),
            check: Check::Cmd { run: "echo \"ok\" > /dev/null".into() },
            extra: vec![],
        });
        round_trip(CriterionSpec::Check {
            key: None,
            kind: Some(CriterionKind::Perf),
            check: Check::Http { url: "http://127.0.0.1:8080/health".into(), status: Some(200), p95_ms: Some(150) },
            extra: vec![crate::tasklist::criteria::Attribute { name: "timeout_s".into(), value: "30".into() }],
        });
    }

    #[test]
    fn values_that_cannot_be_quoted_or_span_lines_are_refused() {
        let both = CriterionSpec::Check { key: None, kind: None, check: Check::Cmd { run: "a\"b'c".into() }, extra: vec![] };
        assert!(criterion_markup(&both).is_err());
        let multi = CriterionSpec::Prose { label: None, text: "a\nb".into(), source: None };
        assert!(criterion_markup(&multi).is_err());
    }
}
