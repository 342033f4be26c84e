//! Verification against the real Docker engine: `cmd` checks run in the
//! hardened test container, a refused command provably never runs, and `http`
//! checks reach a busybox httpd the task started inside the container.

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use devteam_engine::redact::Redactor;
use devteam_engine::runner::{ContainerSpec, DockerRunner, ImageRecipe, Limits};
use devteam_engine::tasklist::{Attribute, Check, Criterion, CriterionKind, CriterionSpec};
use devteam_engine::verify::{verify, Allowlist, DefaultCheck, Outcome, VerifyPlan, VerifyReport};

struct Fixture {
    runner: DockerRunner,
    name: String,
    dir: tempfile::TempDir,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::process::Command::new("docker").args(["rm", "-f", &self.name]).output();
    }
}

async fn fixture(tag: &str) -> Fixture {
    fixture_with(tag, "").await
}

async fn fixture_with(tag: &str, dockerfile_tail: &str) -> Fixture {
    let runner = DockerRunner::connect().await.expect("scripts/dev starts dockerd");
    let mut recipe = ImageRecipe::test_image(vec![]).unwrap();
    recipe.dockerfile.push_str(dockerfile_tail);
    let image = runner.ensure_image(&recipe, &mut |_| {}).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The container user (1000) must be able to write the worktree.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let name = format!("devteam-verify-{tag}-{}", std::process::id());
    let spec = ContainerSpec { memory_bytes: 256 * 1024 * 1024, ..ContainerSpec::new(&name, image, dir.path()) };
    runner.ensure_container(&spec).await.unwrap();
    Fixture { runner, name, dir }
}

impl Fixture {
    async fn verify(&self, plan: &VerifyPlan, redactor: &Redactor) -> VerifyReport {
        verify(&self.runner, &self.name, self.dir.path(), plan, redactor).await.expect("Docker works")
    }
}

fn criterion(line: u32, key: &str, check: Check, extra: &[(&str, &str)]) -> Criterion {
    let extra = extra.iter().map(|(n, v)| Attribute { name: n.to_string(), value: v.to_string() }).collect();
    Criterion { line, spec: CriterionSpec::Check { key: Some(key.into()), kind: Some(CriterionKind::Test), check, extra } }
}

fn cmd(line: u32, key: &str, run: &str) -> Criterion {
    criterion(line, key, Check::Cmd { run: run.into() }, &[])
}

fn plan(allowed: &[&str], criteria: Vec<Criterion>) -> VerifyPlan {
    let limits = Limits { wall_clock: Duration::from_secs(60), inactivity: Duration::from_secs(10) };
    let mut plan = VerifyPlan::new(1, Allowlist::new(allowed.iter().copied()), limits);
    plan.criteria = criteria;
    plan
}

fn reason(report: &VerifyReport, i: usize) -> String {
    match &report.results[i].outcome {
        Outcome::Failed { reason } => reason.clone(),
        other => panic!("check {i} should fail, got {other:?}: {:?}", report.results[i]),
    }
}

#[tokio::test]
async fn cmd_checks_pass_on_exit_zero_and_keep_the_redacted_tail_as_evidence() {
    let f = fixture("cmd").await;
    let redactor = Redactor::default();
    redactor.register("api-key", "sk-canary-987654");
    let mut plan = plan(
        &["echo", "exit", "seq"],
        vec![
            cmd(3, "test.ok", "echo all good; echo key=sk-canary-987654"),
            cmd(4, "test.broken", "echo step one; echo broken >&2; exit 3"),
            cmd(5, "test.chatty", "seq 1 120; exit 1"),
        ],
    );
    // The project's own check is not subject to the allowlist (`touch` is not on it).
    plan.default_checks = vec![DefaultCheck::new("build", "touch /work/built && echo built")];
    let report = f.verify(&plan, &redactor).await;

    assert_eq!(report.results[0].outcome, Outcome::Passed);
    assert_eq!(report.results[0].name, "build");
    assert!(f.dir.path().join("built").exists(), "the default check ran in the container, in the worktree");
    assert_eq!(report.results[1].outcome, Outcome::Passed);
    assert_eq!(report.results[1].evidence, ["all good", "key=[REDACTED:api-key]"], "secrets never reach a report");
    // The reason says how it ended; stderr is evidence like stdout.
    assert_eq!(reason(&report, 2), "exit status 3");
    // stdout and stderr are separate pipes: their relative order is not kept.
    let mut broken = report.results[2].evidence.clone();
    broken.sort();
    assert_eq!(broken, ["broken", "step one"]);
    // Only the last 50 lines are kept, and the report says some were dropped.
    let chatty = &report.results[3].evidence;
    assert_eq!(chatty.len(), 51);
    assert_eq!(chatty[0], "… 70 earlier lines not kept");
    assert_eq!((chatty[1].as_str(), chatty[50].as_str()), ("71", "120"));
    assert!(!report.passed());
    assert_eq!(report.needs_person(), None, "a failing command is the agent's to fix");
    let prompt = report.failures_for_prompt();
    // The agent's next prompt names the command, how it ended and what it printed.
    assert!(prompt.contains("2. test.chatty (cmd `seq 1 120; exit 1`): exit status 1\n   | … 70 earlier lines not kept\n   | 71\n"), "{prompt}");
    assert!(prompt.contains("1. test.broken (cmd `echo step one; echo broken >&2; exit 3`): exit status 3\n"), "{prompt}");
    assert!(prompt.contains("   | step one\n") && prompt.contains("   | broken\n"), "{prompt}");
}

#[tokio::test]
async fn a_disallowed_cmd_never_runs_and_calls_a_person() {
    let f = fixture("deny").await;
    // The first command is allowed, the second is not: the whole line is refused,
    // so neither the marker nor the file may appear.
    let criteria = vec![
        cmd(7, "ops.sneaky", "echo ok > /work/ran-echo; touch /work/pwned"),
        cmd(8, "ops.subst", "echo $(touch /work/pwned-too)"),
        cmd(9, "test.fine", "echo fine"),
    ];
    let report = f.verify(&plan(&["echo"], criteria), &Redactor::default()).await;

    assert!(!f.dir.path().join("pwned").exists(), "a refused command must not run");
    assert!(!f.dir.path().join("ran-echo").exists(), "not even its allowed part");
    assert!(!f.dir.path().join("pwned-too").exists(), "a substitution is refused, not run");
    assert!(matches!(&report.results[0].outcome, Outcome::NotAllowed { program, .. } if program == "touch"));
    assert!(matches!(&report.results[1].outcome, Outcome::NotAllowed { reason, .. } if reason.contains("$(")));
    assert_eq!(report.results[2].outcome, Outcome::Passed, "the other checks still run and report");
    assert!(!report.passed());
    let why = report.needs_person().expect("a refusal goes to HUMAN_REVIEW");
    assert!(why.starts_with("the command `touch` is not on the project's allowlist"), "{why}");
}

#[tokio::test]
async fn http_checks_measure_status_and_p95_from_inside_the_container() {
    let f = fixture("http").await;
    let url = "http://127.0.0.1:8080/";
    let http = |line, key, url: &str, status, p95_ms, extra: &[(&str, &str)]| {
        criterion(line, key, Check::Http { url: url.into(), status, p95_ms }, extra)
    };
    let criteria = vec![
        // What the task "started": busybox httpd daemonizes, so the exec returns.
        cmd(1, "ops.serve", "mkdir -p site && echo hello > site/index.html && httpd -p 8080 -h /work/site"),
        http(2, "perf.ok", url, None, Some(5_000), &[]),
        http(3, "perf.missing", "http://127.0.0.1:8080/missing", None, None, &[("requests", "3")]),
        http(4, "perf.gone", "http://127.0.0.1:8080/missing", Some(404), None, &[("requests", "3")]),
        http(5, "perf.strict", url, Some(200), Some(0), &[("requests", "5")]),
        http(6, "perf.closed", "http://127.0.0.1:8099/", None, None, &[("requests", "2")]),
        http(7, "perf.bad", url, None, None, &[("requests", "many")]),
    ];
    let report = f.verify(&plan(&["mkdir", "echo", "httpd"], criteria), &Redactor::default()).await;

    assert_eq!(report.results[0].outcome, Outcome::Passed, "{:?}", report.results[0]);
    let ok = &report.results[1];
    assert_eq!(ok.outcome, Outcome::Passed, "{ok:?}");
    // 20 is the default number of requests; the timing line names its clock.
    assert_eq!(ok.evidence[0], format!("20 requests to {url}: 200 ×20"));
    assert!(ok.evidence[1].starts_with("latency p50 ") && ok.evidence[1].ends_with("(clock: ts %.s; client: wget)"), "{:?}", ok.evidence);
    assert_eq!(reason(&report, 2), "3 of 3 requests did not answer 200: 404 ×3");
    assert_eq!(report.results[3].outcome, Outcome::Passed, "the expected status may be an error status");
    // No request answers in 0 ms, so a 0 ms bound must fail on latency alone.
    let strict = reason(&report, 4);
    assert!(strict.starts_with("p95 latency ") && strict.ends_with(" ms is over the 0 ms bound"), "{strict}");
    let closed = &report.results[5];
    assert_eq!(reason(&report, 5), "2 of 2 requests did not answer 200: no answer ×2");
    assert!(closed.evidence.iter().any(|l| l.contains("Connection refused")), "the client's error is evidence: {closed:?}");
    assert!(reason(&report, 6).contains("`requests` must be a whole number"));
    let md = report.to_markdown();
    assert!(md.contains("### 2. perf.ok (✅ passed)\n\n```text\n20 requests to http://127.0.0.1:8080/: 200 ×20\nlatency p50 "), "{md}");
}

#[tokio::test]
async fn without_ts_the_probe_times_requests_with_proc_uptime() {
    // The runner image may lack `ts` (and busybox `date` has no %N), but
    // busybox's shell always finds its own `ts`, so the image pins the last
    // clock, the one every Linux has.
    let f = fixture_with("uptime", "ENV DEVTEAM_HTTP_CLOCK=/proc/uptime\n").await;
    let criteria = vec![
        cmd(1, "ops.serve", "mkdir -p site && echo hello > site/index.html && httpd -p 8080 -h /work/site"),
        criterion(2, "perf.ok", Check::Http { url: "http://127.0.0.1:8080/".into(), status: None, p95_ms: Some(5_000) }, &[("requests", "4")]),
    ];
    let report = f.verify(&plan(&["mkdir", "echo", "httpd"], criteria), &Redactor::default()).await;
    let ok = &report.results[1];
    assert_eq!(ok.outcome, Outcome::Passed, "{ok:?}");
    assert_eq!(ok.evidence[0], "4 requests to http://127.0.0.1:8080/: 200 ×4");
    assert!(ok.evidence[1].ends_with("(clock: /proc/uptime; client: wget)"), "{:?}", ok.evidence);
}

#[tokio::test]
async fn a_hung_check_fails_on_its_limit_and_prose_is_a_goal() {
    let f = fixture("limits").await;
    let mut plan = plan(
        &["echo", "sleep"],
        vec![
            Criterion { line: 2, spec: CriterionSpec::Prose { label: Some("1".into()), text: "Migrations run cleanly".into(), source: Some("PRD".into()) } },
            cmd(3, "test.hangs", "echo waiting; sleep 600"),
        ],
    );
    plan.limits = Limits { wall_clock: Duration::from_secs(60), inactivity: Duration::from_secs(2) };
    let started = std::time::Instant::now();
    let report = f.verify(&plan, &Redactor::default()).await;

    // A goal is recorded, not checked, and does not fail the attempt by itself.
    assert_eq!(report.results[0].outcome, Outcome::Goal);
    assert_eq!((report.results[0].name.as_str(), report.results[0].target.as_str()), ("1", "Migrations run cleanly"));
    assert_eq!(reason(&report, 1), "stopped after 2 s without output", "a hang fails the check, not the run");
    assert_eq!(report.results[1].evidence, ["waiting"], "output before the hang is kept");
    assert!(started.elapsed() < Duration::from_secs(30));
}
