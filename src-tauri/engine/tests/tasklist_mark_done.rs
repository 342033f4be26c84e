//! Ticking a task is the edit DevTeam makes most: each test states the exact
//! text expected, so any byte changed beyond the mark shows up as a failure.

#[path = "fixtures/tasklists/support.rs"]
mod support;

use devteam_engine::tasklist::{parse, EditError, TaskId};

fn id(text: &str) -> TaskId {
    text.parse().unwrap()
}

/// The text after marking `task` done, and the IDs ticked.
fn mark(text: &str, task: &str, link: Option<&str>) -> (String, Vec<String>) {
    let done = parse(text.as_bytes(), "tasks.md").mark_done(&id(task), link).unwrap();
    (String::from_utf8(done.text).unwrap(), done.marked.iter().map(|m| m.to_string()).collect())
}

#[test]
fn a_checkbox_becomes_x_and_nothing_else_changes() {
    let text = "# Plan\n\n- [ ] 1.1 First  \n- [ ] 1.2 Second\n";
    assert_eq!(mark(text, "1.1", None).0, "# Plan\n\n- [x] 1.1 First  \n- [ ] 1.2 Second\n");
}

#[test]
fn other_box_marks_become_x_and_an_optional_star_stays() {
    let text = "- [~] 1 Partly\n- [/] 2 Started\n- [ ]* 3 Optional\n- [] 4 Empty box\n";
    let mut text = text.to_string();
    for task in ["1", "2", "3", "4"] {
        text = mark(&text, task, None).0;
    }
    assert_eq!(text, "- [x] 1 Partly\n- [x] 2 Started\n- [x]* 3 Optional\n- [x] 4 Empty box\n");
}

#[test]
fn a_line_without_a_checkbox_gets_a_check_mark_before_trailing_spaces() {
    let text = "### Task 4.2: Clone repository   \r\nbody\r\n";
    assert_eq!(mark(text, "4.2", None).0, "### Task 4.2: Clone repository ✅   \r\nbody\r\n");
}

#[test]
fn the_artifacts_link_follows_the_mark_on_the_task_line_only() {
    let text = "- [ ] 2.3.1 Step\n- 2.3.2 Other step";
    let (out, _) = mark(text, "2.3.1", Some("artifacts/2.3.1/"));
    assert_eq!(out, "- [x] 2.3.1 Step ([artifacts](artifacts/2.3.1/))\n- 2.3.2 Other step");
    let (out, _) = mark(text, "2.3.2", Some("artifacts/2.3.2/"));
    // No final newline before, none after.
    assert_eq!(out, "- [ ] 2.3.1 Step\n- 2.3.2 Other step ✅ ([artifacts](artifacts/2.3.2/))");
}

#[test]
fn marking_a_done_task_again_changes_nothing() {
    let text = "- [x] 1 Done\n### Task 2: Done too ✅\n";
    for task in ["1", "2"] {
        let done = parse(text.as_bytes(), "t").mark_done(&id(task), Some("artifacts/x/")).unwrap();
        assert_eq!(done.text, text.as_bytes());
        assert!(done.marked.is_empty());
    }
}

#[test]
fn the_last_child_done_ticks_its_parents_the_same_way() {
    let text = "\
## Phase 2: Events (Dependencies: [1])

- [x] 2.1 Router
- [ ] 2.2 Worker
  - [x] 2.2.1 Queue
  - [ ] 2.2.2 Consumer
";
    let (out, marked) = mark(text, "2.2.2", Some("artifacts/2.2.2/"));
    assert_eq!(marked, ["2", "2.2", "2.2.2"]);
    assert_eq!(
        out,
        "\
## Phase 2: Events (Dependencies: [1]) ✅

- [x] 2.1 Router
- [x] 2.2 Worker
  - [x] 2.2.1 Queue
  - [x] 2.2.2 Consumer ([artifacts](artifacts/2.2.2/))
"
    );
}

#[test]
fn a_parent_with_children_still_open_stays_open() {
    let text = "- [ ] 1 Parent\n  - [ ] 1.1 a\n  - [ ] 1.2 b\n";
    let (out, marked) = mark(text, "1.1", None);
    assert_eq!(marked, ["1.1"]);
    assert_eq!(out, "- [ ] 1 Parent\n  - [x] 1.1 a\n  - [ ] 1.2 b\n");
}

#[test]
fn a_group_done_as_one_unit_ticks_its_checklist() {
    // With the group unit, the subtasks are the group's checklist.
    let text = "- [ ] 1 Group\n  - [x] 1.1 a\n  - [ ] 1.2 b\n- [ ] 2 Next\n";
    let (out, marked) = mark(text, "1", Some("artifacts/1/"));
    assert_eq!(marked, ["1", "1.2"]);
    assert_eq!(out, "- [x] 1 Group ([artifacts](artifacts/1/))\n  - [x] 1.1 a\n  - [x] 1.2 b\n- [ ] 2 Next\n");
}

#[test]
fn a_mark_goes_before_a_comment_the_line_opens() {
    let text = "Phase 3: Ship <!-- owner\nkim -->\n";
    assert_eq!(mark(text, "3", None).0, "Phase 3: Ship ✅ <!-- owner\nkim -->\n");
}

#[test]
fn retired_unknown_tasks_and_bad_links_are_refused() {
    let list = parse(b"<!-- - [ ] 1 Old -->\n- [ ] 2 New\n", "t");
    assert_eq!(list.mark_done(&id("1"), None), Err(EditError::Retired(id("1"))));
    assert_eq!(list.mark_done(&id("9"), None), Err(EditError::UnknownTask(id("9"))));
    assert_eq!(list.mark_done(&id("2"), Some("a b")), Err(EditError::BadLink("a b".into())));
}

#[test]
fn the_seed_step_2_1_1_is_ticked_in_place() {
    let text = support::fixture_text("seed_dialect.md");
    let (out, marked) = mark(&text, "2.1.1", Some("artifacts/2.1.1/"));
    assert_eq!(marked, ["2.1.1"]);
    let expected = text.replacen(
        "  - 2.1.1 Add router mount for events in API\n",
        "  - 2.1.1 Add router mount for events in API ✅ ([artifacts](artifacts/2.1.1/))\n",
        1,
    );
    assert_eq!(out, expected);
}

#[test]
fn finishing_the_seed_ticks_the_last_phase_and_keeps_no_final_newline() {
    // 9.1 done ticks its four steps; then 9.2.1 completes 9.2 and phase 9.
    let seed = support::fixture_text("seed_dialect.md");
    let (after_9_1, marked) = mark(&seed, "9.1", None);
    assert_eq!(marked, ["9.1", "9.1.1", "9.1.2", "9.1.3", "9.1.4"]);
    let (out, marked) = mark(&after_9_1, "9.2.1", None);
    assert_eq!(marked, ["9", "9.2", "9.2.1"]);
    let mut expected = seed.replacen("Phase 9: Local Scripts for Build/Run (Dependencies: [8])", "Phase 9: Local Scripts for Build/Run (Dependencies: [8]) ✅", 1);
    for line in [
        "- 9.1 Create/validate shell targets for build/test/migrate/run (Dependencies: [1.1,1.2,7.8])",
        "  - 9.1.1 Implement build script target",
        "  - 9.1.2 Implement test script target",
        "  - 9.1.3 Implement migrate script target (alembic upgrade head)",
        "  - 9.1.4 Implement run script to bring up stack",
        "- 9.2 Document rollback procedure (Dependencies: [9.1])",
        "  - 9.2.1 Write rollback steps for failed deployments",
    ] {
        expected = expected.replacen(line, &format!("{line} ✅"), 1);
    }
    assert_eq!(out, expected);
    assert!(out.ends_with("failed deployments ✅"));
}
