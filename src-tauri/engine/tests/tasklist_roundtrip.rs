//! Property tests: whatever bytes come in, reading and writing back gives
//! them unchanged and nothing panics; edits on generated plans change only
//! the lines they must and read back as intended.

use devteam_engine::plan::{self, Overrides, PlanOptions};
use devteam_engine::tasklist::{parse, validate, InjectAt, NewTask, TaskList, ValidateOptions};
use proptest::prelude::*;

/// Every read-only entry point, to prove none panics on the input.
fn exercise(list: &TaskList) {
    let _ = validate(list, ValidateOptions { strict: true });
    let _ = list.tree();
    let _ = plan::next(list, &PlanOptions::default(), &Overrides::default());
    let _ = plan::progress(list, &Overrides::default());
}

/// Lines assembled from the pieces real plans are made of, including the
/// awkward ones: comments, fences, front matter, CRLF, BOM, odd marks.
fn markdownish() -> impl Strategy<Value = Vec<u8>> {
    let prefix = prop::sample::select(vec![
        "", "  ", "\t", "- ", "- [ ] ", "- [x] ", "  - [ ] ", "* [~] ", "- [ ]* ", "## ", "### Task ", "Phase ", "<!-- ",
        "```", "---", "1. ", "• ", "> ", "- **",
    ]);
    let id = prop::sample::select(vec!["1", "1.1", "1.2", "2", "2.1", "2.3.1", "08", "8.1", "1.10", "1.0", "0.0", "0.1", "3"]);
    let sep = prop::sample::select(vec![" ", ". ", ": ", ":", "", "** "]);
    let title = prop::sample::select(vec![
        "Set up", "Größe ändern", "配置数据库", "done ✅", "(Dependencies: [1.1])", "(Dependencies: [])", "deps: 2, 1.1",
        "depends on 9.9", "<!-- x -->", "-->", "([artifacts](artifacts/1/))", "", "agent: aider", "risky: true", "`<!--`",
    ]);
    let body = prop::sample::select(vec![
        "", "  Plain body text", "  - <criterion 1: Works [source: PRD]>", "  - <criterion check=\"cmd\" run=\"make\">",
        "  - <criterion check=\"cmd\">", "  - <criterion kind=\"x\"", "```sh", "-->", "PHASE 1 COMPLETED", "---", "5.4 (see above)",
        "  Dependencies: [1.2]",
    ]);
    let ending = prop::sample::select(vec!["\n", "\n", "\n", "\r\n", "  \n", "\t\r\n"]);
    let line = (prefix, id, sep, title, body, ending.clone(), ending).prop_map(|(p, i, s, t, b, e1, e2)| {
        let mut line = format!("{p}{i}{s}{t}{e1}");
        if !b.is_empty() {
            line.push_str(&format!("{b}{e2}"));
        }
        line
    });
    (prop::collection::vec(line, 0..40), any::<bool>(), any::<bool>()).prop_map(|(lines, bom, trim_end)| {
        let mut text = if bom { "\u{feff}".to_string() } else { String::new() };
        text.push_str(&lines.concat());
        if trim_end {
            text = text.trim_end_matches(['\n', '\r']).to_string();
        }
        text.into_bytes()
    })
}

/// Indices of lines that differ, when both texts have the same line count.
fn changed_lines(before: &[u8], after: &[u8]) -> Option<Vec<usize>> {
    let a: Vec<&[u8]> = before.split(|b| *b == b'\n').collect();
    let b: Vec<&[u8]> = after.split(|b| *b == b'\n').collect();
    (a.len() == b.len()).then(|| (0..a.len()).filter(|i| a[*i] != b[*i]).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, max_global_rejects: 100_000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_round_trip_and_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1500)) {
        let list = parse(&bytes, "fuzz.md");
        prop_assert_eq!(list.write(), bytes);
        exercise(&list);
    }

    #[test]
    fn markdownish_documents_round_trip_and_never_panic(bytes in markdownish()) {
        let list = parse(&bytes, "gen.md");
        prop_assert_eq!(list.write(), bytes.clone());
        exercise(&list);
    }

    #[test]
    fn marking_done_changes_only_the_ticked_lines(bytes in markdownish(), pick in any::<prop::sample::Index>()) {
        let list = parse(&bytes, "gen.md");
        let live: Vec<usize> = list.live_tasks().map(|(i, _)| i).collect();
        prop_assume!(!live.is_empty());
        let t = live[pick.index(live.len())];
        let id = list.tasks()[t].id.clone();
        let marked = list.mark_done(&id, Some("artifacts/x/")).unwrap();
        let after = parse(&marked.text, "gen.md");
        // The task now reads as done, and a second tick changes nothing.
        prop_assert!(after.task(&id).unwrap().marked_done);
        prop_assert_eq!(after.mark_done(&id, None).unwrap().text, marked.text.clone());
        // Only the lines of ticked tasks changed; no line was added or removed.
        let changed = changed_lines(&bytes, &marked.text).expect("same line count");
        let ticked: Vec<usize> = marked.marked.iter().map(|m| list.task(m).unwrap().line).collect();
        prop_assert!(changed.iter().all(|l| ticked.contains(l)), "changed {:?} ticked {:?}", changed, ticked);
        prop_assert_eq!(after.tasks().len(), list.tasks().len());
    }

    #[test]
    fn injected_tasks_read_back_and_keep_every_other_task(bytes in markdownish(), pick in any::<prop::sample::Index>(), how in 0..3u8) {
        let list = parse(&bytes, "gen.md");
        let live: Vec<usize> = list.live_tasks().map(|(i, _)| i).collect();
        prop_assume!(!live.is_empty());
        let anchor = list.tasks()[live[pick.index(live.len())]].id.clone();
        let at = match how { 0 => InjectAt::Before(anchor), 1 => InjectAt::After(anchor), _ => InjectAt::Replace(anchor) };
        let task = NewTask { title: "Injected work".into(), body: Some("Do the thing.".into()), deps: None };
        // Refusals are fine (done or retired tasks, lines that would not read
        // back); a success must hold the new task and every old one it kept.
        if let Ok(injected) = list.inject(&at, &task) {
            let after = parse(&injected.text, "gen.md");
            prop_assert_eq!(&after.task(&injected.id).unwrap().title, "Injected work");
            for old in list.tasks() {
                let replaced = matches!(&at, InjectAt::Replace(x) if list.is_within(list.find(&old.id).unwrap(), list.find(x).unwrap()));
                prop_assert!(replaced || after.task(&old.id).is_some(), "lost {}", old.id);
            }
        }
    }
}
