//! How fast the task-list engine reads, checks, plans and edits: the
//! generated 10,000-task plan (~1 MB, 4 levels, dependencies) and the seed
//! example. Targets: ≥100 MB/s parse, <10 ms parse+validate+next on 10,000
//! tasks, <1 ms for a mark-done edit. Prints a summary, then criterion's figures.
//!
//! For a profiler: `TASKLIST_PROFILE=parse|validate|all` (and optionally
//! `TASKLIST_PROFILE_RUNS=N`, default 200) repeats only that step and exits.

#[path = "../tests/fixtures/tasklists/support.rs"]
mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion, Throughput};
use devteam_engine::plan::{self, Overrides, PlanOptions};
use devteam_engine::tasklist::{parse, validate, TaskId, ValidateOptions};

fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("generated-10k", support::generated_plan(&support::BIG).into_bytes()),
        ("seed", support::fixture("seed_dialect.md")),
    ]
}

fn parse_validate_next(bytes: &[u8]) {
    let list = parse(bytes, "tasks.md");
    let validation = validate(&list, ValidateOptions::default());
    assert!(validation.is_ok());
    black_box(plan::next(&list, &PlanOptions::default(), &Overrides::default()).unwrap());
}

/// Mean time of `f` over about a second.
fn time(mut f: impl FnMut()) -> Duration {
    f();
    let start = Instant::now();
    let mut runs = 0u32;
    while start.elapsed() < Duration::from_secs(1) {
        f();
        runs += 1;
    }
    start.elapsed() / runs
}

fn summary() {
    println!("task-list engine figures (mean over ~1 s each):");
    for (name, bytes) in inputs() {
        let mb = bytes.len() as f64 / 1_000_000.0;
        let parse_time = time(|| drop(black_box(parse(&bytes, "tasks.md"))));
        let list = parse(&bytes, "tasks.md");
        let validate_time = time(|| drop(black_box(validate(&list, ValidateOptions::default()))));
        let next_time = time(|| drop(black_box(plan::next(&list, &PlanOptions::default(), &Overrides::default()))));
        let all_time = time(|| parse_validate_next(&bytes));
        println!(
            "  {name}: {} tasks, {:.3} MB; parse {:.3} ms = {:.0} MB/s; validate {:.3} ms; next {:.3} ms; parse+validate+next {:.3} ms",
            list.tasks().len(),
            mb,
            parse_time.as_secs_f64() * 1e3,
            mb / parse_time.as_secs_f64(),
            validate_time.as_secs_f64() * 1e3,
            next_time.as_secs_f64() * 1e3,
            all_time.as_secs_f64() * 1e3,
        );
    }
    let big = support::generated_plan(&support::BIG).into_bytes();
    let list = parse(&big, "tasks.md");
    let leaf: TaskId = "7.3.4.2".parse().unwrap();
    let last: TaskId = "10.10.10.9".parse().unwrap();
    let mark_leaf = time(|| drop(black_box(list.mark_done(&leaf, Some("artifacts/7.3.4.2/")))));
    let mark_last = time(|| drop(black_box(list.mark_done(&last, None))));
    println!(
        "  mark-done on generated-10k: a step {:.3} ms; the last step (file end) {:.3} ms",
        mark_leaf.as_secs_f64() * 1e3,
        mark_last.as_secs_f64() * 1e3
    );
}

fn benches(c: &mut Criterion) {
    for (name, bytes) in inputs() {
        let mut group = c.benchmark_group(format!("tasklist/{name}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("parse", |b| b.iter(|| parse(black_box(&bytes), "tasks.md")));
        group.bench_function("parse+validate+next", |b| b.iter(|| parse_validate_next(black_box(&bytes))));
        group.finish();
    }
    let big = support::generated_plan(&support::BIG).into_bytes();
    let list = parse(&big, "tasks.md");
    let leaf: TaskId = "7.3.4.2".parse().unwrap();
    let mut group = c.benchmark_group("tasklist/generated-10k");
    group.bench_function("mark_done", |b| b.iter(|| list.mark_done(black_box(&leaf), Some("artifacts/7.3.4.2/")).unwrap()));
    group.finish();
}

criterion_group! {
    name = tasklist;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(3));
    targets = benches
}

fn main() {
    if let Ok(what) = std::env::var("TASKLIST_PROFILE") {
        let big = support::generated_plan(&support::BIG).into_bytes();
        let list = parse(&big, "tasks.md");
        let runs = std::env::var("TASKLIST_PROFILE_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(200);
        for _ in 0..runs {
            match what.as_str() {
                "parse" => drop(black_box(parse(&big, "tasks.md"))),
                "all" => parse_validate_next(&big),
                _ => drop(black_box(validate(&list, ValidateOptions::default()))),
            }
        }
        return;
    }
    summary();
    tasklist();
    Criterion::default().configure_from_args().final_summary();
}
