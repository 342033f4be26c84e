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

#[test]
fn a_pull_request_link_fills_its_own_sections_line_only() {
    let mut first = outcome();
    first.id = "1.1".into();
    first.pull_request = Some("opened for `task/1.1-a` after this commit".into());
    let mut second = outcome();
    second.id = "1.2".into();
    second.pull_request = None;
    let file = append_section(&append_section("", &first), &second).replace('\n', "\r\n");
    let url = "https://github.com/acme/api/pull/7";
    let filled = record_pull_request(&file, "1.1", url).unwrap();
    assert_eq!(filled.matches(url).count(), 1);
    let at = filled.find(url).unwrap();
    assert!(filled[..at].ends_with("## Task 1.1: Mount events router\r\n\r\n- Finished: 2026-05-01T12:30:05Z\r\n- Branch: `task/2.1-mount-events-router`\r\n- Commit: `abc1234`\r\n- Pull request: "), "{filled}");
    assert_eq!(filled.replace(url, "opened for `task/1.1-a` after this commit"), file, "nothing else changed");
    assert!(record_pull_request(&filled, "1.1", url).is_none(), "a link already there stays");
    assert!(record_pull_request(&filled, "9.9", url).is_none(), "no section, no change");
    let both = record_pull_request(&filled, "1.2", "https://github.com/acme/api/pull/8").unwrap();
    assert!(both.contains("- Pull request: https://github.com/acme/api/pull/8"), "{both}");
}
