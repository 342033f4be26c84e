//! The Runner port against the real Docker engine that scripts/dev starts:
//! the test image builds locally, the container is hardened, output streams
//! line by line, and both limits stop a command that would run forever.

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use devteam_engine::runner::{ContainerSpec, DockerRunner, ExecEnd, ExecSpec, ImageRecipe, Limits, OutputLine, OutputStream};

struct Fixture {
    runner: DockerRunner,
    name: String,
    _dir: tempfile::TempDir,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::process::Command::new("docker").args(["rm", "-f", &self.name]).output();
    }
}

async fn fixture(tag: &str) -> Fixture {
    let runner = DockerRunner::connect().await.expect("scripts/dev starts dockerd");
    let image = runner.ensure_image(&ImageRecipe::test_image(vec![]).unwrap(), &mut |_| {}).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The container user (1000) must be able to write the worktree.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let name = format!("devteam-test-{tag}-{}", std::process::id());
    let spec = ContainerSpec { memory_bytes: 256 * 1024 * 1024, ..ContainerSpec::new(&name, image, dir.path()) };
    runner.ensure_container(&spec).await.unwrap();
    Fixture { runner, name, _dir: dir }
}

fn quick() -> Limits {
    Limits { wall_clock: Duration::from_secs(30), inactivity: Duration::from_secs(10) }
}

#[tokio::test]
async fn output_streams_line_by_line_with_stdout_and_stderr_apart() {
    let f = fixture("stream").await;
    let mut lines = Vec::new();
    let script = "printf 'one\\ntwo'; echo oops >&2; echo ' three'; echo done > /work/out.txt; exit 3";
    let end = f.runner.exec(&f.name, &ExecSpec::shell(script, quick()), &mut |l| lines.push(l)).await.unwrap();
    assert_eq!(end, ExecEnd::Exited { code: 3 });
    let of = |s: OutputStream| lines.iter().filter(|l| l.stream == s).map(|l| l.text.clone()).collect::<Vec<_>>();
    assert_eq!(of(OutputStream::Stdout), ["one", "two three"], "a line split across writes stays one line");
    assert_eq!(of(OutputStream::Stderr), ["oops"]);
    assert_eq!(std::fs::read_to_string(f._dir.path().join("out.txt")).unwrap(), "done\n", "the worktree is mounted read-write");
}

#[tokio::test]
async fn the_container_is_hardened() {
    let f = fixture("hardened").await;
    let mut lines: Vec<OutputLine> = Vec::new();
    let script = "id -u; touch /etc/x 2>&1 || echo ro-root; touch /tmp/x && echo tmp-ok; \
                  grep CapEff /proc/self/status; grep NoNewPrivs /proc/self/status; \
                  wget -q -T 2 -O- http://127.0.0.1:9 2>&1 >/dev/null; ip link 2>/dev/null | grep -c ': eth' || true";
    let end = f.runner.exec(&f.name, &ExecSpec::shell(script, quick()), &mut |l| lines.push(l)).await.unwrap();
    assert!(end.succeeded(), "{end:?} {lines:?}");
    let text: Vec<String> = lines.into_iter().filter(|l| l.stream == OutputStream::Stdout).map(|l| l.text).collect();
    assert_eq!(text[0], "1000", "runs as a non-root user");
    assert!(text.iter().any(|l| l.contains("Read-only file system") || l == "ro-root"), "root is read-only: {text:?}");
    assert!(text.contains(&"tmp-ok".to_string()), "/tmp is a writable tmpfs: {text:?}");
    assert!(text.iter().any(|l| l.starts_with("CapEff:") && l.ends_with("0000000000000000")), "no capabilities: {text:?}");
    assert!(text.iter().any(|l| l.starts_with("NoNewPrivs:") && l.ends_with('1')), "no new privileges: {text:?}");
    assert_eq!(text.last().map(String::as_str), Some("0"), "no network interface but loopback: {text:?}");
    let inspect = std::process::Command::new("docker")
        .args(["inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.NetworkMode}}", &f.name])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&inspect.stdout).trim(), "268435456 1000000000 512 none");
}

#[tokio::test]
async fn a_silent_command_is_stopped_by_the_inactivity_limit() {
    let f = fixture("silent").await;
    let limits = Limits { wall_clock: Duration::from_secs(60), inactivity: Duration::from_secs(2) };
    let started = Instant::now();
    let mut lines = Vec::new();
    let end = f.runner.exec(&f.name, &ExecSpec::shell("echo starting; sleep 600", limits), &mut |l| lines.push(l)).await.unwrap();
    assert_eq!(end, ExecEnd::InactivityLimit { seconds: 2 });
    assert!(started.elapsed() < Duration::from_secs(30), "stopped long before the command would end");
    assert_eq!(lines.len(), 1, "the output before the hang is kept");
    // The container is usable again: the next command runs.
    let end = f.runner.exec(&f.name, &ExecSpec::shell("true", quick()), &mut |_| {}).await.unwrap();
    assert!(end.succeeded());
}

#[tokio::test]
async fn a_chatty_endless_command_is_stopped_by_the_wall_clock_limit() {
    let f = fixture("chatty").await;
    let limits = Limits { wall_clock: Duration::from_secs(3), inactivity: Duration::from_secs(2) };
    let mut count = 0;
    let end = f.runner.exec(&f.name, &ExecSpec::shell("while :; do echo tick; sleep 0.2; done", limits), &mut |_| count += 1).await.unwrap();
    assert_eq!(end, ExecEnd::WallClockLimit { seconds: 3 });
    assert!(count >= 3, "it was printing all along ({count} lines), so only the wall clock could stop it");
}

#[tokio::test]
async fn a_recipe_builds_once_and_is_reused_by_tag() {
    let runner = DockerRunner::connect().await.unwrap();
    let recipe = ImageRecipe::test_image(vec![]).unwrap();
    let mut first = Vec::new();
    let tag = runner.ensure_image(&recipe, &mut |l| first.push(l.to_string())).await.unwrap();
    let mut second = Vec::new();
    let again = runner.ensure_image(&recipe, &mut |l| second.push(l.to_string())).await.unwrap();
    assert_eq!(tag, again);
    assert!(second.is_empty(), "an existing image is not rebuilt: {second:?}");
    assert!(tag.starts_with("devteam-test:"));
}
