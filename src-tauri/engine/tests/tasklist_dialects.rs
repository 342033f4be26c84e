//! Every dialect fixture parses into the hierarchy, statuses, dependencies and
//! criteria a person reading the file would see. The outlines below were
//! checked by hand against the fixtures; a change to them is a change in
//! what DevTeam would run.

#[path = "fixtures/tasklists/support.rs"]
mod support;

use devteam_engine::tasklist::{parse, validate, ValidateOptions};
use support::{fixture, outline};

/// Parses a fixture and returns its outline and its diagnostics' headlines.
fn read(name: &str) -> (String, Vec<String>) {
    let list = parse(&fixture(name), name);
    let validation = validate(&list, ValidateOptions::default());
    (outline(&list), validation.diagnostics.iter().map(|d| d.headline()).collect())
}

fn assert_outline(name: &str, expected: &str, diagnostics: &[&str]) {
    let (actual, found) = read(name);
    assert_eq!(actual, expected, "outline of {name}");
    assert_eq!(found, diagnostics, "diagnostics of {name}");
}

#[test]
fn kiro_specs_nest_by_id_even_without_indentation() {
    // Kiro writes `- [ ] 2.1` at the same indentation as `- [ ] 2.`; the IDs
    // make it a subtask. `_Requirements: 1.2_` refers to the requirements
    // document, not to tasks, and `[ ]*` marks an optional task.
    assert_outline(
        "kiro_spec.md",
        "\
1 Set up project structure and core interfaces [done]
2 Implement data models and validation
  2.1 Create core data model interfaces and types [done]
  2.2 Implement User model with validation
  2.3 Write unit tests for data models [optional]
3 Create storage mechanism
  3.1 Implement database connection utilities
  3.2 Implement repository pattern for data access
4 Checkpoint - Ensure all tests pass
",
        &[],
    );
}

#[test]
fn openspec_heading_groups_own_their_checkbox_items() {
    assert_outline(
        "openspec_change.md",
        "\
1 Database schema
  1.1 Add `two_factor_secret` column to `users` [done]
  1.2 Write migration and rollback [done]
  1.3 Backfill existing rows with NULL
2 Backend
  2.1 Generate TOTP secrets on enrolment
  2.2 Verify codes at login <- 2.1
  2.3 Rate-limit verification attempts
3 Frontend
  3.1 Enrolment screen with QR code
  3.2 Code prompt on login
4 Documentation
  4.1 Update the security guide
",
        &[],
    );
}

#[test]
fn heading_tasks_take_marks_bodies_and_criteria_and_fences_hide_lookalikes() {
    // `# - [ ] 9.9` inside the sh fence is a shell comment; `## Risks` is a
    // heading without an ID and stays in 4.2's body.
    assert_outline(
        "heading_tasks.md",
        "\
3 Data migration
  3.1 Export legacy tables [done] +1 criteria
  3.2 Transform rows <- 3.1 +1 criteria agent=aider
  3.3 Load into the new schema [done]
4 Cut-over
  4.1 Switch traffic +1 criteria risky
  4.2 Clone repository [done]
",
        &[],
    );
}

#[test]
fn dot_zero_ids_stand_for_their_parent() {
    // `1.0 Parent` over `1.1 Child` (and `0.0` over `0.1`): a group whose
    // children are all done is complete without its own tick.
    assert_outline(
        "parent_dot_zero.md",
        "\
0.0 Create feature branch [complete]
  0.1 Create and checkout a new branch (e.g., `git checkout -b feature/login`) [done]
1.0 Build the login form
  1.1 Add email and password fields [done]
  1.2 Add client-side validation
  1.3 Show server errors inline
2.0 Wire the session API
  2.1 POST /api/session
  2.2 Refresh tokens before expiry
",
        &[],
    );
}

#[test]
fn zero_padded_and_two_digit_ids_compare_by_number() {
    // `1.1` hangs under `Phase 01`, `1.10` follows `1.9`, and `[8]` names
    // `Phase 08`; phases removed from the middle leave numbering warnings.
    assert_outline(
        "zero_padded_phases.md",
        "\
01 Foundations
  1.1 Repository layout [done]
  1.2 CI pipeline [done]
  1.3 Lint rules [done]
  1.4 Formatting [done]
  1.5 Pre-commit hooks [done]
  1.6 Issue templates [done]
  1.7 Code owners [done]
  1.8 Release notes template [done]
  1.9 Licence headers [done]
  1.10 Security policy
  1.11 Dependabot
08 Hardening <- 01
  08.1 Fuzz the parser
  08.2 Threat model review <- 08.1
10 Launch <- 8
  10.1 Announce
",
        &[
            "zero_padded_phases.md:17:10: warning: numbering skips from 01 to 08",
            "zero_padded_phases.md:22:10: warning: numbering skips from 08 to 10",
        ],
    );
}

#[test]
fn front_matter_is_never_tasks_and_commented_tasks_are_retired() {
    // The YAML's `- 1.1` would otherwise clash with the real 1.1; 1.2 depends
    // on the retired 1.4, which resolves.
    assert_outline(
        "front_matter_and_comments.md",
        "\
1.4 Old approach (dropped after planning) [retired]
1.1 Ship the importer
1.2 Import CSV files <- 1.4
1.3 Import XML files [retired]
1.5 Import JSON files
1.6 Announce the importer
",
        &[
            "front_matter_and_comments.md:10:1: note: task 1.4 is inside an HTML comment: it is retired, counts as done and never runs",
            "front_matter_and_comments.md:12:7: warning: 1.1 has no parent task 1; it is attached to the top level",
            "front_matter_and_comments.md:14:1: note: task 1.3 is inside an HTML comment: it is retired, counts as done and never runs",
        ],
    );
}

#[test]
fn wrapped_prose_tables_and_closing_ordered_lists_are_not_tasks() {
    // `5.4 (see above)` and `2.1 starts, …` continue paragraphs; `| 1.1 |` is
    // a table cell; `1. Run it` closes the plan. `1.3 Ranking` starts a block.
    assert_outline(
        "wrapped_prose.md",
        "\
1.1 Index documents
1.2 Query API
1.3 Ranking (bare multi-level IDs start a block)
",
        &["wrapped_prose.md:6:7: warning: 1.1 has no parent task 1; it is attached to the top level"],
    );
}

#[test]
fn cjk_and_german_titles_tabs_and_trailing_spaces_read_cleanly() {
    assert_outline(
        "cjk_german.md",
        "\
1 基础设施
  1.1 配置数据库连接
  1.2 日本語のタイトル：ログイン画面 [done]
  1.3 한국어 제목: 사용자 관리
2 Übersetzung
  2.1 Größenänderung für Straßenkarten
    2.1.1 Überprüfung der Maße
  2.2 Änderungen übernehmen (Abhängigkeiten siehe unten) <- 2.1
",
        &[],
    );
}

#[test]
fn every_status_mark_people_use_is_understood() {
    // Only x/X and the check marks mean done; other box marks are kept as
    // written. A ticked parent covers its children; a checkbox line without
    // an ID is body text.
    assert_outline(
        "status_marks.md",
        "\
1 Lower-case x [done]
2 Upper-case X [done]
3 Partly done [mark ~]
4 In progress (dash) [mark -]
5 In progress (slash) [mark /]
6 Optional [optional]
7 Ticked with a check mark [done]
8 Ticked with a heavy check [done]
9 Ticked with an emoji check [done]
10 Open
11 Parent ticked by hand [done]
  11.1 Child left open [complete]
  11.2 Another child left open [complete]
12 Parent not ticked [complete]
  12.1 Child done [done]
  12.2 Child done [done]
",
        &[],
    );
}

#[test]
fn every_dependency_form_is_read_and_prose_is_not() {
    // `(Dependencies: [])` is none; body lines may declare dependencies;
    // "This depends on 3 things" and `_Requirements: 9.9_` do not.
    assert_outline(
        "dependency_forms.md",
        "\
1 Base
  1.1 Schema
  1.2 Seed data <- 1.1
2 API <- 1
  2.1 Read endpoints <- 1.1, 1.2
  2.2 Write endpoints <- 2.1, 1.2
  2.3 Webhooks <- 2.2
  2.4 Pagination <- 2.1
  2.5 Docs
",
        &[],
    );
}

#[test]
fn innocent_repeats_warn_and_stay_text_where_they_stand() {
    // The contract's own example: `## Phase 1:` over `- [x] 1. Item`, and a
    // closing summary repeating phase numbers. The first line wins.
    assert_outline(
        "duplicates_and_gaps.md",
        "\
1 Setup
2 Configure editor
  2.1 Compile
  2.2 Link
  2.4 Package
3.1.1 Orphan step
",
        &[
            "duplicates_and_gaps.md:5:7: warning: duplicate ID 1, first at line 3; this line stays text",
            "duplicates_and_gaps.md:8:10: warning: duplicate ID 2, first at line 6; this line stays text",
            "duplicates_and_gaps.md:12:7: warning: numbering skips from 2.2 to 2.4",
            "duplicates_and_gaps.md:13:7: warning: 3.1.1 has no parent task 3.1; it is attached to the top level",
            "duplicates_and_gaps.md:17:9: warning: duplicate ID 1, first at line 3; this line stays text",
            "duplicates_and_gaps.md:18:9: warning: duplicate ID 2, first at line 6; this line stays text",
        ],
    );
}

#[test]
fn line_endings_bom_and_final_newline_do_not_change_what_is_read() {
    // Windows editors, BOMs and files without a final newline are common;
    // they must not change a single task.
    for name in support::fixture_names() {
        let original = fixture(&name);
        let expected = outline(&parse(&original, &name));
        for (variant, bytes) in [
            ("crlf", support::to_crlf(&original)),
            ("bom", support::with_bom(&original)),
            ("no final newline", support::without_final_newline(&original)),
            ("mixed", support::mixed_endings_and_trailing_spaces(&original)),
        ] {
            assert_eq!(outline(&parse(&bytes, &name)), expected, "{name} as {variant}");
        }
    }
}

#[test]
fn bodies_reach_the_agent_verbatim() {
    // The agent receives the body verbatim, code fence and all.
    let list = parse(&fixture("heading_tasks.md"), "heading_tasks.md");
    let t = list.find(&"3.1".parse().unwrap()).unwrap();
    let body = list.body_text(t);
    assert!(body.starts_with("\nRun the export and keep the dump:\n\n```sh\npg_dump"), "{body:?}");
    assert!(body.ends_with("check=\"file\" path=\"dump.sql\">\n\n"), "{body:?}");
}
