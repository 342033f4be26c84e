//! Fuzzes the task-list reader: any bytes must read without a panic and write
//! back unchanged, and every read-only entry point and the first task's edits
//! must run without a panic too.
#![no_main]

use devteam_engine::plan::{self, Order, Overrides, PlanOptions, Unit};
use devteam_engine::tasklist::{parse, validate, InjectAt, NewTask, ValidateOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let list = parse(data, "fuzz.md");
    assert_eq!(list.write(), data, "the round trip must be lossless");
    let _ = validate(&list, ValidateOptions { strict: true });
    let _ = list.tree();
    let options = PlanOptions { order: Order::Dependency, unit: Unit::Group, ..PlanOptions::default() };
    let _ = plan::next(&list, &options, &Overrides::default());
    let _ = plan::progress(&list, &Overrides::default());
    let first_live = list.live_tasks().next().map(|(_, task)| task.id.clone());
    if let Some(id) = first_live {
        if let Ok(done) = list.mark_done(&id, Some("artifacts/x/")) {
            assert_eq!(parse(&done.text, "fuzz.md").write(), done.text);
        }
        let new = NewTask { title: "Fuzzed".into(), body: Some("body".into()), deps: None };
        for at in [InjectAt::Before(id.clone()), InjectAt::After(id.clone()), InjectAt::Replace(id)] {
            let _ = list.inject(&at, &new);
        }
    }
});
