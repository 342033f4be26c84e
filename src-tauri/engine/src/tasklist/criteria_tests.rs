//! Criteria parsing: the seed's prose form, the contract's four checks, and
//! every malformed shape the validator must point at.

use super::*;

fn parse_line(line: &str) -> Result<CriterionSpec, Vec<CriterionProblem>> {
    let start = tag_start(line.as_bytes()).expect("a criterion line");
    parse(line, start)
}

fn messages(line: &str) -> Vec<String> {
    parse_line(line).unwrap_err().into_iter().map(|(_, m)| m).collect()
}

#[test]
fn the_seed_prose_form_keeps_label_text_and_source() {
    let spec = parse_line("    • <criterion 1: Docker services start within ≤10s (p95) [source: PRD]>").unwrap();
    assert_eq!(
        spec,
        CriterionSpec::Prose {
            label: Some("1".into()),
            text: "Docker services start within ≤10s (p95)".into(),
            source: Some("PRD".into()),
        }
    );
}

#[test]
fn prose_may_contain_angle_brackets_and_have_no_label() {
    // The closing `>` is the last one on the line.
    let spec = parse_line("- <criterion latency < 5 ms and > 1 ms>").unwrap();
    assert_eq!(spec, CriterionSpec::Prose { label: None, text: "latency < 5 ms and > 1 ms".into(), source: None });
}

#[test]
fn the_four_programmable_checks_of_the_contract_parse() {
    let cmd = parse_line(r#"- <criterion key="test.unit" kind="test" check="cmd" run="cargo test -q">"#).unwrap();
    assert_eq!(
        cmd,
        CriterionSpec::Check {
            key: Some("test.unit".into()),
            kind: Some(CriterionKind::Test),
            check: Check::Cmd { run: "cargo test -q".into() },
            extra: vec![],
        }
    );
    let file = parse_line(r#"- <criterion key="doc.readme" kind="doc" check="file" path="README.md">"#).unwrap();
    assert!(matches!(file, CriterionSpec::Check { check: Check::File { ref path }, .. } if path == "README.md"));
    let regex = parse_line(r#"- <criterion key="api.parse" kind="type" check="regex" path="src/lib.rs" pattern="pub fn parse">"#).unwrap();
    assert!(matches!(regex, CriterionSpec::Check { check: Check::Regex { ref pattern, .. }, .. } if pattern == "pub fn parse"));
    let http = parse_line(r#"- <criterion key="perf.health" kind="perf" check="http" url="http://127.0.0.1:8080/health" status="200" p95_ms="200">"#).unwrap();
    assert!(matches!(http, CriterionSpec::Check { check: Check::Http { status: Some(200), p95_ms: Some(200), .. }, .. }));
}

#[test]
fn unknown_attributes_are_kept_and_quotes_may_vary() {
    // The verifier may understand attributes this version does not.
    let spec = parse_line("* <criterion check='cmd' run='echo \"hi\" > out' timeout_s=30 />").unwrap();
    let CriterionSpec::Check { check: Check::Cmd { run }, extra, key: None, kind: None } = spec else { panic!("{spec:?}") };
    assert_eq!(run, "echo \"hi\" > out");
    assert_eq!(extra, [Attribute { name: "timeout_s".into(), value: "30".into() }]);
}

#[test]
fn malformed_criteria_say_what_is_wrong() {
    assert_eq!(messages(r#"- <criterion kind="speed" check="cmd" run="x">"#), ["unknown criterion kind `speed` (perf, test, sec, doc, type or ops)"]);
    assert_eq!(messages(r#"- <criterion check="ping">"#), ["unknown check `ping` (cmd, regex, file or http)"]);
    assert_eq!(messages(r#"- <criterion check="cmd">"#), ["`cmd` check needs run=\"…\""]);
    assert_eq!(messages(r#"- <criterion check="regex" path="a">"#), ["`regex` check needs pattern=\"…\""]);
    assert_eq!(messages(r#"- <criterion check="file" path="">"#), ["`file` check needs path=\"…\""]);
    assert_eq!(messages(r#"- <criterion check="http" status="abc">"#), ["`http` check needs url=\"…\"", "`status` must be a number, not `abc`"]);
    assert_eq!(messages(r#"- <criterion key="a" kind="doc">"#), ["criterion has no check= (cmd, regex, file or http)"]);
    assert_eq!(messages(r#"- <criterion check="cmd" run="x""#), ["unterminated <criterion: no closing `>` on this line"]);
    assert_eq!(messages("- <criterion 1: never closed"), ["unterminated <criterion: no closing `>` on this line"]);
    assert_eq!(messages(r#"- <criterion check="cmd" run="a" run="b">"#), ["attribute `run` is given twice"]);
    assert_eq!(messages("- <criterion 1: >"), ["criterion has no text"]);
}

#[test]
fn problems_point_at_the_offending_attribute() {
    let line = r#"  - <criterion key="k" kind="nope" check="file" path="p">"#;
    let problems = parse_line(line).unwrap_err();
    assert_eq!(&line[problems[0].0..problems[0].0 + 4], "kind");
}

#[test]
fn only_a_leading_tag_is_a_criterion() {
    assert_eq!(tag_start(b"    \xE2\x80\xA2 <criterion 1: x>"), Some(8));
    assert_eq!(tag_start(b"see <criterion 1: x>"), None);
    assert_eq!(tag_start(b"- <criteria>"), None);
}
