//! Routing: the task's `agent:` line, else the first keyword rule that
//! matches whole words of the title or body, else the project default — each
//! decision saying why, since the dashboard shows the reason to a person.

use devteam_engine::agents::{default_rules, route, RouteSource, RoutingRule};

fn rules() -> Vec<RoutingRule> {
    default_rules()
}

#[test]
fn the_tasks_own_agent_line_wins_over_every_rule() {
    let d = route(Some("codex"), "Refactor the parser", "multi-file change", &rules(), "aider");
    assert_eq!(d.agent, "codex");
    assert_eq!(d.reason, "the task names agent: codex");
    assert_eq!(d.source, RouteSource::Task);
}

#[test]
fn a_blank_agent_line_is_no_choice() {
    let d = route(Some("  "), "Refactor the parser", "", &rules(), "aider");
    assert_eq!(d.agent, "claude-code", "falls through to the rules");
}

#[test]
fn a_keyword_in_the_title_routes_and_says_which() {
    let d = route(None, "Refactor the billing module", "", &rules(), "codex");
    assert_eq!(d.agent, "claude-code");
    assert_eq!(d.reason, "keyword \"refactor\" → claude-code");
    assert_eq!(d.source, RouteSource::Keyword);
}

#[test]
fn a_keyword_in_the_body_routes_too() {
    let d = route(None, "Billing", "Generate the boilerplate for the new service.", &rules(), "codex");
    assert_eq!((d.agent.as_str(), d.reason.as_str()), ("ollama", "keyword \"boilerplate\" → ollama"));
}

#[test]
fn matching_ignores_case_and_needs_whole_words() {
    // "REFACTOR" matches; "refactoring" and "prescaffolded" are other words.
    assert_eq!(route(None, "REFACTOR NOW", "", &rules(), "codex").agent, "claude-code");
    assert_eq!(route(None, "Stop refactoring", "prescaffolded", &rules(), "codex").agent, "codex");
}

#[test]
fn phrases_match_across_spacing_hyphens_and_a_plural() {
    // "multi-file" = the words multi, file: any separator between them works.
    assert_eq!(route(None, "A Multi File change", "", &rules(), "codex").agent, "claude-code");
    assert_eq!(route(None, "x", "touches multi-\nfile code", &rules(), "codex").agent, "claude-code");
    // The phrase's last word may be plural: "add test" matches "Add tests".
    assert_eq!(route(None, "Add tests for the parser", "", &rules(), "codex").agent, "aider");
    // But the words must be adjacent and in order.
    assert_eq!(route(None, "Add a test", "test add", &rules(), "codex").agent, "codex");
    assert_eq!(route(None, "Change one file", "", &rules(), "codex").agent, "aider");
}

#[test]
fn the_first_rule_in_order_wins_not_the_first_word_in_the_text() {
    // "scaffold" comes first in the title, but "refactor" is the earlier rule.
    let d = route(None, "Scaffold then refactor", "", &rules(), "codex");
    assert_eq!(d.agent, "claude-code");
    let mine = vec![RoutingRule::new("scaffold", "aider"), RoutingRule::new("refactor", "codex")];
    assert_eq!(route(None, "Scaffold then refactor", "", &mine, "x").agent, "aider");
}

#[test]
fn without_a_match_the_project_default_is_used() {
    let d = route(None, "Fix the login bug", "The session expires too early.", &rules(), "claude-code");
    assert_eq!(d.agent, "claude-code");
    assert_eq!(d.reason, "project default");
    assert_eq!(d.source, RouteSource::ProjectDefault);
    assert_eq!(route(None, "Refactor", "", &[], "aider").reason, "project default", "no rules, no keyword routing");
}

#[test]
fn empty_or_wordless_rules_never_match() {
    let odd = vec![RoutingRule::new("", "codex"), RoutingRule::new("--", "codex"), RoutingRule::new("fix", " ")];
    assert_eq!(route(None, "fix -- it", "", &odd, "aider").agent, "aider");
}

#[test]
fn the_default_rules_are_the_designs() {
    let pairs: Vec<(String, String)> = default_rules().into_iter().map(|r| (r.keyword, r.agent)).collect();
    let want = [
        ("refactor", "claude-code"),
        ("multi-file", "claude-code"),
        ("add test", "aider"),
        ("one file", "aider"),
        ("scaffold", "ollama"),
        ("boilerplate", "ollama"),
    ];
    assert_eq!(pairs, want.map(|(k, a)| (k.to_string(), a.to_string())));
}

#[test]
fn rules_and_decisions_round_trip_through_json_for_the_ui() {
    let json = serde_json::to_string(&default_rules()[0]).unwrap();
    assert_eq!(json, r#"{"keyword":"refactor","agent":"claude-code"}"#);
    let d = route(None, "Refactor", "", &rules(), "x");
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(json, r#"{"agent":"claude-code","reason":"keyword \"refactor\" → claude-code","source":"keyword"}"#);
    assert_eq!(serde_json::from_str::<devteam_engine::agents::RouteDecision>(&json).unwrap(), d);
}
