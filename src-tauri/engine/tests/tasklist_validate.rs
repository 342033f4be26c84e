//! Validation reports every problem at once, each located and quoted, so a
//! person can fix a rejected file in one pass.

use devteam_engine::tasklist::{parse, validate, Severity, ValidateOptions, Validation};

fn check(text: &str) -> Validation {
    validate(&parse(text.as_bytes(), "tasks.md"), ValidateOptions::default())
}

fn headlines(text: &str) -> Vec<String> {
    check(text).diagnostics.iter().map(|d| d.headline()).collect()
}

#[test]
fn a_rejected_file_lists_every_error_with_the_line_quoted_and_a_caret() {
    let text = "\
- [ ] 1 Setup
- [ ] 2 Build (Dependencies: [1, 7])
  - <criterion kind=\"speed\" check=\"cmd\">
- [ ] 3 Ship (deps: 3)
";
    let validation = check(text);
    assert!(!validation.is_ok());
    assert_eq!(validation.errors, 4);
    assert_eq!(
        validation.render(),
        "\
tasks.md:2:34: error: unknown dependency 7 of task 2
    - [ ] 2 Build (Dependencies: [1, 7])
                                     ^

tasks.md:3:16: error: unknown criterion kind `speed` (perf, test, sec, doc, type or ops)
      - <criterion kind=\"speed\" check=\"cmd\">
                   ^

tasks.md:3:29: error: `cmd` check needs run=\"…\"
      - <criterion kind=\"speed\" check=\"cmd\">
                                ^

tasks.md:4:21: error: dependency cycle: 3 → 3
    - [ ] 3 Ship (deps: 3)
                        ^
"
    );
}

#[test]
fn cycles_are_named_task_by_task() {
    let text = "- [ ] 1.1 A\n- [ ] 1.2 B (Dependencies: [1.3])\n- [ ] 1.3 C (Dependencies: [1.2])\n";
    assert_eq!(
        headlines(text),
        [
            "tasks.md:1:7: warning: 1.1 has no parent task 1; it is attached to the top level",
            "tasks.md:2:29: error: dependency cycle: 1.2 → 1.3 → 1.2",
        ]
    );
}

#[test]
fn cycles_through_the_hierarchy_are_found_too() {
    // Phase 2 waits for phase 3, whose 3.1 waits for 2.1, which cannot start
    // before phase 2's dependencies are done: a deadlock no single line shows.
    let text = "Phase 2: A (Dependencies: [3])\n- 2.1 a\n\nPhase 3: B\n- 3.1 b (Dependencies: [2.1])\n";
    assert_eq!(headlines(text), ["tasks.md:1:28: error: dependency cycle: 2 → 3 → 3.1 → 2.1 → 2"]);
}

#[test]
fn depending_on_ones_own_descendant_or_ancestor_is_an_error() {
    let text = "## 1. Parent (deps: 1.2)\n- [ ] 1.1 a\n- [ ] 1.2 b (depends on 1)\n";
    assert_eq!(
        headlines(text),
        [
            "tasks.md:1:21: error: 1 depends on its own descendant 1.2",
            "tasks.md:3:25: error: 1.2 depends on its own ancestor 1, which is done only when 1.2 is",
        ]
    );
}

#[test]
fn a_file_without_tasks_is_rejected() {
    assert_eq!(headlines("# Notes\n\n1. Buy milk\n"), ["tasks.md:1:1: error: no tasks: no line starts with a task ID (like `- [ ] 1.1 Title` or `## 2. Title`)"]);
    assert_eq!(headlines(""), ["tasks.md:1:1: error: no tasks: no line starts with a task ID (like `- [ ] 1.1 Title` or `## 2. Title`)"]);
    // Errors come before notes at the same place.
    let all_retired = headlines("<!--\n- [ ] 1 Old\n-->\n");
    assert_eq!(all_retired[0], "tasks.md:1:1: error: no tasks to run: every task is inside an HTML comment");
}

#[test]
fn warnings_do_not_reject_unless_the_project_is_strict() {
    let text = "- [ ] 1 a\n- [ ] 3 c\n- [ ] 1 again\n";
    let lenient = check(text);
    assert!(lenient.is_ok());
    assert_eq!((lenient.errors, lenient.warnings), (0, 2));
    let strict = validate(&parse(text.as_bytes(), "tasks.md"), ValidateOptions { strict: true });
    assert!(!strict.is_ok());
    assert_eq!((strict.errors, strict.warnings), (2, 0));
    assert!(strict.diagnostics.iter().all(|d| d.severity == Severity::Error));
}

#[test]
fn malformed_criteria_of_every_kind_are_located() {
    let text = "\
- [ ] 1 Task
  - <criterion check=\"regex\" path=\"a\">
  - <criterion check=\"file\">
  - <criterion check=\"http\" status=\"20x\">
  - <criterion key=\"k\" check=\"ping\">
  - <criterion key=\"unterminated\" check=\"cmd\" run=\"make\"
  - <criterion 2: no end
";
    assert_eq!(
        headlines(text),
        [
            "tasks.md:2:16: error: `regex` check needs pattern=\"…\"",
            "tasks.md:3:16: error: `file` check needs path=\"…\"",
            "tasks.md:4:16: error: `http` check needs url=\"…\"",
            "tasks.md:4:29: error: `status` must be a number, not `20x`",
            "tasks.md:5:24: error: unknown check `ping` (cmd, regex, file or http)",
            "tasks.md:6:57: error: unterminated <criterion: no closing `>` on this line",
            "tasks.md:7:5: error: unterminated <criterion: no closing `>` on this line",
        ]
    );
}

#[test]
fn lesser_problems_are_warnings() {
    let text = "\
- <criterion 1: before any task>

- [ ] 1 Task
  - <criterion key=\"t\" check=\"cmd\" run=\"a\">
  - <criterion key=\"t\" check=\"cmd\" run=\"b\">

```sh
never closed
";
    assert_eq!(
        headlines(text),
        [
            "tasks.md:1:3: warning: criterion outside any task: it applies to nothing",
            "tasks.md:5:16: warning: criterion key t is already used at line 4",
            "tasks.md:7:1: warning: this code fence is never closed: everything after it to the end of the file is inside it",
        ]
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    // A caret under a Chinese title must land under the right character.
    let text = "- [ ] 1 配置 (Dependencies: [9])\n";
    let validation = check(text);
    let d = &validation.diagnostics[0];
    // 27 characters precede the `9`; two of them are wide (two cells each).
    assert_eq!((d.line, d.column), (1, 28));
    assert_eq!(d.quoted, "- [ ] 1 配置 (Dependencies: [9])");
    assert_eq!(d.caret_line(), format!("{}^", " ".repeat(29)));
}

#[test]
fn dependencies_on_retired_tasks_are_satisfied_not_unknown() {
    let text = "<!-- - [x] 1 Old phase -->\n\n- [ ] 2 New phase (Dependencies: [1])\n";
    let validation = check(text);
    assert!(validation.is_ok());
    assert_eq!(validation.errors + validation.warnings, 0);
}
