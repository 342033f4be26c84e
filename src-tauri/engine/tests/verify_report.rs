//! The report's outputs, from a report built by hand so every outcome appears
//! once: the Markdown a reviewer reads in the pull request, the JSON artifact,
//! the text the agent gets on a retry, and the reason a person is called.

use devteam_engine::tasklist::CriterionKind;
use devteam_engine::verify::{CheckMethod, CheckResult, Outcome, VerifyReport};

fn result(name: &str, line: Option<u32>, check: CheckMethod, target: &str, outcome: Outcome, evidence: &[&str]) -> CheckResult {
    CheckResult {
        name: name.into(),
        line,
        kind: line.map(|_| CriterionKind::Test),
        check,
        target: target.into(),
        outcome,
        evidence: evidence.iter().map(|s| s.to_string()).collect(),
        duration_ms: 1234,
    }
}

fn report() -> VerifyReport {
    VerifyReport {
        attempt: 2,
        results: vec![
            result("build", None, CheckMethod::Cmd, "cargo build", Outcome::Passed, &["Finished"]),
            result(
                "test.unit",
                Some(14),
                CheckMethod::Cmd,
                "cargo test | tail",
                Outcome::Failed { reason: "exit status 101".into() },
                &["test parse ... FAILED", "```"],
            ),
            result("1", Some(12), CheckMethod::Prose, "Migrations complete", Outcome::Goal, &[]),
            result(
                "ops.clean",
                Some(15),
                CheckMethod::Cmd,
                "rm -rf /",
                Outcome::NotAllowed { program: "rm".into(), reason: "the command `rm` is not on the project's allowlist".into() },
                &[],
            ),
        ],
    }
}

#[test]
fn markdown_has_a_verdict_a_row_per_check_and_the_evidence_of_failures() {
    let md = report().to_markdown();
    assert!(md.starts_with("## Verification, attempt 2: FAILED\n"), "{md}");
    assert!(md.contains("1 passed, 1 failed, 1 not allowed, 1 goals recorded."));
    assert!(md.contains("**Needs a person:** the command `rm` is not on the project's allowlist"));
    assert!(md.contains("| 1 | build (project default) | cmd `cargo build` | ✅ passed | 1.2 s |"), "{md}");
    // A pipe inside a command must not split the table's cells.
    assert!(md.contains("| 2 | test.unit (line 14, test) | cmd `cargo test \\| tail` | ❌ failed: exit status 101 | 1.2 s |"), "{md}");
    assert!(md.contains("| 3 | 1 (line 12, test) | goal `Migrations complete` | 🎯 goal, recorded | – |"), "{md}");
    assert!(md.contains("| 4 | ops.clean (line 15, test) | cmd `rm -rf /` | ⛔ not allowed: `rm` | – |"), "{md}");
    // Evidence of the failure, in a fence longer than the ``` inside it.
    assert!(md.contains("### 2. test.unit (❌ failed: exit status 101)\n\n````text\ntest parse ... FAILED\n```\n````\n"), "{md}");
    assert!(!md.contains("### 1."), "a passed cmd check's output is not repeated in the review");
}

#[test]
fn verdicts_follow_the_outcomes() {
    let mut report = report();
    assert!(!report.passed());
    assert_eq!(report.needs_person().as_deref(), Some("the command `rm` is not on the project's allowlist"));
    // Without the failure and the refusal, a goal alone does not fail an attempt.
    report.results.retain(|r| matches!(r.outcome, Outcome::Passed | Outcome::Goal));
    assert!(report.passed());
    assert_eq!(report.needs_person(), None);
    assert_eq!(report.failures_for_prompt(), "", "nothing to fix, nothing for the prompt");
    assert!(report.to_markdown().starts_with("## Verification, attempt 2: passed\n"));
}

#[test]
fn the_prompt_gets_only_failures_with_their_evidence() {
    let text = report().failures_for_prompt();
    let expected = "Verification attempt 2 failed 2 of 3 checks:\n\
                    \n1. test.unit (cmd `cargo test | tail`): exit status 101\n   | test parse ... FAILED\n   | ```\n\
                    \n2. ops.clean (cmd `rm -rf /`): the command `rm` is not on the project's allowlist\n";
    assert_eq!(text, expected, "goals and passed checks would only distract the agent");
}

#[test]
fn json_is_tagged_so_the_ui_and_artifacts_can_branch_on_it() {
    let json: serde_json::Value = serde_json::from_str(&report().to_json()).unwrap();
    assert_eq!(json["attempt"], 2);
    assert_eq!(json["results"][0]["outcome"], serde_json::json!({ "status": "passed" }));
    assert_eq!(json["results"][1]["outcome"]["reason"], "exit status 101");
    assert_eq!(json["results"][2]["check"], "prose");
    assert_eq!(json["results"][3]["outcome"]["status"], "not_allowed");
    assert_eq!(json["results"][3]["outcome"]["program"], "rm");
    assert_eq!(json["results"][0]["line"], serde_json::Value::Null, "a default check has no line");
    assert_eq!(json["results"][1]["kind"], "test");
}
