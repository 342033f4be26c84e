//! The built-in command templates against the real Docker engine, with the
//! fake CLIs installed in the test image: each template's exact argv, env and
//! prompt reach the CLI (model substituted, only the secrets it names), the
//! fakes' behaviours (succeed, fail-twice, always-fail, hang, leak-secret)
//! end as the run engine will rely on, and a missing secret is a typed error.

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use devteam_engine::agents::fakes::{
    fake_cli_files, read_fake_calls, write_marker, FakeBehaviour, FakeCall, OUTPUT_FILE, RECORD_DIR,
};
use devteam_engine::agents::{
    builtin_agents, find_agent, Agent, AgentError, CommandTemplate, Invocation, InvocationInput, SecretEnv,
};
use devteam_engine::redact::Redactor;
use devteam_engine::runner::{ContainerSpec, DockerRunner, ExecEnd, ImageRecipe, Limits, OutputLine, OutputStream};
use devteam_engine::ErrorCode;

/// Every secret the "project" has; each template may take only its own.
fn secrets() -> Vec<(String, String)> {
    [
        ("ANTHROPIC_API_KEY", "sk-ant-canary-1111aaaa"),
        ("OPENAI_API_KEY", "sk-openai-canary-2222bbbb"),
        ("OLLAMA_API_BASE", "http://ollama.test:11434"),
        ("GITHUB_TOKEN", "ghp_never_passed_3333cccc"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .to_vec()
}

struct Fixture {
    runner: DockerRunner,
    name: String,
    dir: tempfile::TempDir,
    prompts: std::cell::Cell<u32>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::process::Command::new("docker").args(["rm", "-f", &self.name]).output();
    }
}

async fn fixture(tag: &str) -> Fixture {
    let runner = DockerRunner::connect().await.expect("scripts/dev starts dockerd");
    let recipe = ImageRecipe::test_image(fake_cli_files()).unwrap();
    let image = runner.ensure_image(&recipe, &mut |_| {}).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The container user (1000) must be able to write the worktree.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let name = format!("devteam-test-agents-{tag}-{}", std::process::id());
    // No network even for agents that would need one: the fakes call no API,
    // and the hardened default is what the test image runs with.
    let spec = ContainerSpec { memory_bytes: 256 * 1024 * 1024, ..ContainerSpec::new(&name, image, dir.path()) };
    runner.ensure_container(&spec).await.unwrap();
    Fixture { runner, name, dir, prompts: std::cell::Cell::new(0) }
}

fn quick() -> Limits {
    Limits { wall_clock: Duration::from_secs(60), inactivity: Duration::from_secs(20) }
}

impl Fixture {
    /// Writes `prompt` as a new file in the worktree and builds `agent`'s
    /// invocation for it, as the run engine will.
    fn invocation(&self, agent: &Agent, prompt: &str, model: Option<&str>) -> Invocation {
        let n = self.prompts.get() + 1;
        self.prompts.set(n);
        let file = format!("prompt-{n}.md");
        std::fs::write(self.dir.path().join(&file), prompt).unwrap();
        let prompt_file = format!("/work/{file}");
        let secrets = secrets();
        let input = InvocationInput { prompt_file: &prompt_file, prompt, model, workdir: "/work", secrets: &secrets };
        agent.invocation(&input).unwrap()
    }

    async fn run(&self, inv: &Invocation, limits: Limits) -> (ExecEnd, Vec<OutputLine>) {
        let mut lines = Vec::new();
        let end = self.runner.exec(&self.name, &inv.exec_spec(limits), &mut |l| lines.push(l)).await.unwrap();
        (end, lines)
    }

    fn calls(&self) -> Vec<FakeCall> {
        read_fake_calls(&self.dir.path().join(RECORD_DIR))
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(path)).unwrap_or_default()
    }
}

fn agent(name: &str) -> Agent {
    find_agent(name, &[]).unwrap()
}

fn task_prompt(id: &str, lines: &[String]) -> String {
    format!("# Task {id}: Do the thing\n\n## Task body (verbatim)\n\n{}\n", lines.join("\n"))
}

#[tokio::test]
async fn each_builtin_template_reaches_its_cli_with_prompt_model_and_only_its_secrets() {
    let f = fixture("builtins").await;
    // (agent, CLI it runs, model asked for, model the CLI must get, secret it takes)
    let cases = [
        ("aider", "aider", None, "gpt-4.1", "OPENAI_API_KEY"),
        ("claude-code", "claude", Some("opus"), "opus", "ANTHROPIC_API_KEY"),
        ("codex", "codex", None, "gpt-5-codex", "OPENAI_API_KEY"),
        ("ollama", "aider", Some("llama3.1:8b"), "ollama_chat/llama3.1:8b", "OLLAMA_API_BASE"),
    ];
    for (i, (name, cli, model, cli_model, secret)) in cases.into_iter().enumerate() {
        let id = format!("1.{}", i + 1);
        let prompt = task_prompt(
            &id,
            &[FakeBehaviour::Succeed.marker(), write_marker(&format!("out/{name}.txt"), &format!("made by {name}"))],
        );
        let inv = f.invocation(&agent(name), &prompt, model);
        assert!(inv.network, "{name} calls an API, so its container needs a network");
        assert_eq!(inv.secret_names, [secret], "{name} takes exactly its own secret");
        let (end, lines) = f.run(&inv, quick()).await;
        assert!(end.succeeded(), "{name}: {end:?} {lines:?}");

        let call = f.calls().pop().expect("the fake recorded its call");
        assert_eq!(call.cli, cli, "{name} runs the {cli} CLI");
        assert_eq!(call.argv, inv.argv[1..], "{name}: the argv arrives exactly, one argument per template argument");
        assert_eq!(call.model, cli_model, "{name}: the model is substituted");
        assert_eq!(call.prompt, prompt, "{name}: the prompt arrives whole (file or argument)");
        assert_eq!(call.cwd, "/work", "{name} works in the worktree");
        for (key, value) in secrets() {
            if key == secret {
                assert!(call.env_is(&key, &value), "{name} gets {key} with its value");
            } else {
                assert!(!call.env.contains_key(&key), "{name} must not see {key}: {:?}", call.env.keys());
            }
        }
        assert_eq!(
            f.read(&format!("out/{name}.txt")),
            format!("made by {name}\n"),
            "{name}: the succeed edit happened"
        );
        let done = format!("{cli} did task {id} on attempt 1 with model {cli_model}");
        assert!(f.read(OUTPUT_FILE).lines().any(|l| l == done), "{name}: {:?}", f.read(OUTPUT_FILE));
    }
    // The argv uses the real CLIs' unattended flags.
    let argv = |n: &str| agent(n).template().unwrap().argv.join(" ");
    assert!(argv("aider").contains("--message-file {prompt_file} --yes-always --no-auto-commits"));
    assert!(argv("claude-code").starts_with("claude -p --model {model}"));
    assert!(argv("codex").starts_with("codex exec --full-auto"));
    assert!(argv("ollama").ends_with("--model ollama_chat/{model}"));
}

#[tokio::test]
async fn always_fail_exits_non_zero_and_edits_nothing() {
    let f = fixture("fail").await;
    let inv = f.invocation(&agent("claude-code"), &task_prompt("2", &[FakeBehaviour::AlwaysFail.marker()]), None);
    let (end, lines) = f.run(&inv, quick()).await;
    assert_eq!(end, ExecEnd::Exited { code: 1 });
    assert!(
        lines.iter().any(|l| l.stream == OutputStream::Stderr && l.text.contains("failing on purpose")),
        "{lines:?}"
    );
    assert_eq!(f.read(OUTPUT_FILE), "", "a failed attempt leaves no success edit");
    assert_eq!(f.calls()[0].result, "failed: always-fail");
}

#[tokio::test]
async fn fail_twice_fails_on_attempts_one_and_two_then_succeeds() {
    let f = fixture("twice").await;
    let aider = agent("aider");
    // Counted by the fake itself: the same prompt three times.
    let prompt = task_prompt("3", &[FakeBehaviour::FailTwice.marker()]);
    let mut ends = Vec::new();
    for _ in 0..3 {
        ends.push(f.run(&f.invocation(&aider, &prompt, None), quick()).await.0);
    }
    assert_eq!(ends, [ExecEnd::Exited { code: 1 }, ExecEnd::Exited { code: 1 }, ExecEnd::Exited { code: 0 }]);
    let attempts: Vec<u32> = f.calls().iter().map(|c| c.attempt).collect();
    assert_eq!(attempts, [1, 2, 3]);

    // Told by the prompt, as the run engine writes it on a retry: after
    // "## Attempt 2 failed" this is attempt 3, which succeeds at once.
    let retry = format!(
        "{}\n## Attempt 2 failed\n\nsh block 1 of 1: exit status 1\n",
        task_prompt("4", &[FakeBehaviour::FailTwice.marker()])
    );
    let (end, _) = f.run(&f.invocation(&aider, &retry, None), quick()).await;
    assert!(end.succeeded(), "{end:?}");
    assert_eq!(f.calls().last().unwrap().attempt, 3);
    // Counts are per task: another task starts again at attempt 1.
    let other = task_prompt("5", &[FakeBehaviour::FailTwice.marker()]);
    assert_eq!(f.run(&f.invocation(&aider, &other, None), quick()).await.0, ExecEnd::Exited { code: 1 });
    assert_eq!(f.calls().last().unwrap().attempt, 1);
}

#[tokio::test]
async fn a_hanging_agent_is_ended_by_the_inactivity_limit() {
    let f = fixture("hang").await;
    let inv = f.invocation(&agent("codex"), &task_prompt("6", &[FakeBehaviour::Hang.marker()]), None);
    let limits = Limits { wall_clock: Duration::from_secs(120), inactivity: Duration::from_secs(2) };
    let started = Instant::now();
    let (end, lines) = f.run(&inv, limits).await;
    assert_eq!(end, ExecEnd::InactivityLimit { seconds: 2 });
    assert!(started.elapsed() < Duration::from_secs(30), "stopped long before the wall clock");
    assert_eq!(lines.len(), 1, "the one line before the hang is kept: {lines:?}");
    assert_eq!(f.calls()[0].result, "hanging");
    // The container is usable again for the next attempt.
    let again = f.invocation(&agent("codex"), &task_prompt("7", &[]), None);
    assert!(f.run(&again, quick()).await.0.succeeded(), "no marker means succeed");
}

#[tokio::test]
async fn a_leaked_secret_reaches_the_output_and_the_invocations_names_redact_it() {
    let f = fixture("leak").await;
    let canary = "sk-ant-canary-1111aaaa";
    let inv = f.invocation(&agent("claude-code"), &task_prompt("8", &[FakeBehaviour::LeakSecret(None).marker()]), None);
    let (end, lines) = f.run(&inv, quick()).await;
    assert!(end.succeeded(), "{end:?}");
    let out: Vec<&str> = lines.iter().filter(|l| l.stream == OutputStream::Stdout).map(|l| l.text.as_str()).collect();
    assert!(out.contains(&canary), "printed alone: {out:?}");
    assert!(out.iter().any(|l| l.len() > 6000 && l.contains(canary)), "printed inside a long line");
    assert!(out.contains(&format!("split: {canary} (end of split)").as_str()), "two writes come out as one line");
    assert!(lines.iter().any(|l| l.stream == OutputStream::Stderr && l.text.contains(canary)), "printed on stderr");

    // The caller's side: register what the invocation passed, redact each line.
    let redactor = Redactor::default();
    for (name, value) in &inv.env {
        redactor.register(name, value);
    }
    for l in &lines {
        let text = redactor.redact(&l.text);
        assert!(!text.contains(canary), "{text}");
    }
    assert_eq!(redactor.redact(canary), "[REDACTED:ANTHROPIC_API_KEY]");
}

#[tokio::test]
async fn a_user_template_runs_and_the_fakes_refuse_flags_that_would_wait_for_a_person() {
    let f = fixture("custom").await;
    let mine = Agent::custom(
        "claude-opus",
        "Claude Code (Opus)",
        CommandTemplate {
            argv: ["claude", "--print", "--model", "{model}", "{prompt}"].map(String::from).to_vec(),
            secrets: vec![SecretEnv::required("ANTHROPIC_API_KEY"), SecretEnv::optional("NOT_IN_KEYCHAIN")],
            network: true,
            default_model: "opus".into(),
        },
    )
    .unwrap();
    let inv = f.invocation(&mine, &task_prompt("9", &[]), None);
    assert_eq!(inv.secret_names, ["ANTHROPIC_API_KEY"], "a missing optional secret is left out");
    assert!(f.run(&inv, quick()).await.0.succeeded());
    assert_eq!(f.calls()[0].model, "opus");

    // Aider without --yes-always would sit waiting for an answer: refused.
    let waiting = Agent::custom(
        "aider-asks",
        "",
        CommandTemplate {
            argv: ["aider", "--message-file", "{prompt_file}", "--no-auto-commits"].map(String::from).to_vec(),
            secrets: vec![],
            network: false,
            default_model: String::new(),
        },
    )
    .unwrap();
    let inv = f.invocation(&waiting, &task_prompt("10", &[]), None);
    assert_eq!(f.run(&inv, quick()).await.0, ExecEnd::Exited { code: 2 });
    assert!(f.calls()[1].result.contains("--yes-always"), "{}", f.calls()[1].result);
}

#[test]
fn a_missing_secret_is_a_typed_error_for_a_person() {
    for a in builtin_agents().into_iter().filter(|a| a.template().is_some()) {
        let input =
            InvocationInput { prompt_file: "/work/p.md", prompt: "p", model: None, workdir: "/work", secrets: &[] };
        let err = a.invocation(&input).unwrap_err();
        let secret = a.template().unwrap().secrets[0].name.clone();
        assert_eq!(err, AgentError::MissingSecret { agent: a.name.clone(), secret: secret.clone() });
        let engine: devteam_engine::EngineError = err.into();
        assert_eq!(engine.code, ErrorCode::Keychain);
        assert!(engine.message.contains(&secret) && engine.message.contains("keychain"), "{}", engine.message);
    }
    let script = find_agent("script", &[]).unwrap();
    let input = InvocationInput { prompt_file: "/work/p.md", prompt: "p", model: None, workdir: "/work", secrets: &[] };
    assert!(matches!(script.invocation(&input), Err(AgentError::NotACommand { .. })));
    assert!(!script.needs_network(), "the script agent keeps the container offline");
}
