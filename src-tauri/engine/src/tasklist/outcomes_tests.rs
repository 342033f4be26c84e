//! The outcomes file is append-only: what is there stays byte for byte, and
//! each section carries every field the contract lists.

use super::*;
use time::macros::datetime;

fn outcome() -> TaskOutcome {
    TaskOutcome {
        id: "2.1".into(),
        title: "Mount events router".into(),
        branch: "task/2.1-mount-events-router".into(),
        commit: "abc1234".into(),
        pull_request: Some("https://github.com/acme/api/pull/12".into()),
        agent: "claude-code".into(),
        attempts: 2,
        duration: Duration::from_secs(252),
        criteria: vec![
            CriterionResult { name: "test.unit".into(), verdict: Verdict::Passed, detail: None },
            CriterionResult { name: "p95 | latency".into(), verdict: Verdict::Failed, detail: Some("412 ms\nover".into()) },
        ],
        artifacts: vec![ArtifactLink { label: "diff".into(), href: "artifacts/2.1/diff.patch".into() }],
        finished_at: datetime!(2026-05-01 12:30:05 UTC),
    }
}

const SECTION: &str = "## Task 2.1: Mount events router

- Finished: 2026-05-01T12:30:05Z
- Branch: `task/2.1-mount-events-router`
- Commit: `abc1234`
- Pull request: https://github.com/acme/api/pull/12
- Agent: claude-code
- Attempts: 2
- Duration: 4m 12s

| Criterion | Result | Detail |
| --- | --- | --- |
| test.unit | passed |  |
| p95 \\| latency | failed | 412 ms over |

Artifacts: [diff](artifacts/2.1/diff.patch)
";

#[test]
fn an_empty_file_gets_a_title_then_the_section() {
    assert_eq!(append_section("", &outcome()), format!("# Task outcomes\n\n{SECTION}"));
}

#[test]
fn existing_text_is_kept_and_separated_by_one_blank_line() {
    // Earlier sections are never rewritten, even without a final newline.
    let existing = "# Task outcomes\n\n## Task 1.1: Old\n\ntext";
    assert_eq!(append_section(existing, &outcome()), format!("{existing}\n\n{SECTION}"));
    let tidy = "# Task outcomes\n\n";
    assert_eq!(append_section(tidy, &outcome()), format!("{tidy}{SECTION}"));
}

#[test]
fn a_crlf_file_stays_crlf() {
    let existing = "# Task outcomes\r\n";
    let out = append_section(existing, &outcome());
    assert!(out.starts_with(existing));
    assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
}

#[test]
fn missing_fields_are_said_plainly() {
    let mut o = outcome();
    o.pull_request = None;
    o.criteria.clear();
    o.artifacts.clear();
    o.duration = Duration::from_secs(3723);
    let out = append_section("", &o);
    for expected in ["- Pull request: none", "No criteria were checked.", "Artifacts: none", "- Duration: 1h 2m 3s"] {
        assert!(out.contains(expected), "{expected} in {out}");
    }
}
