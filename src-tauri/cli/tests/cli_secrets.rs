//! `devteam-cli secrets` as a person runs it: the real binary, the real
//! keychain (gnome-keyring under `with_keyring`), a local stand-in for
//! GitHub's `/user`. Values go in on stdin and never come out on a terminal.
//!
//! Run: `bash -c 'source scripts/lib.sh; with_keyring cargo test -p devteam-cli --test cli_secrets'`

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};

const CANARY: &str = "ghp_CANARY_cli_secrets_0123456789abcdef";

/// The binary with its keychain entries under a service of the test's own.
fn cli(service: &str, args: &[&str], stdin: &str) -> Output {
    cli_with(service, args, stdin, &[])
}

fn cli_with(service: &str, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_devteam-cli"))
        .args(args)
        .env("DEVTEAM_KEYCHAIN_SERVICE", format!("devteam-cli-test-{service}-{}", std::process::id()))
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("devteam-cli runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// Answers `GET /user` like GitHub: alice with classic scopes for the canary
/// token, 401 for anything else.
fn fake_github() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut authorized = false;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                authorized |= line.trim().eq_ignore_ascii_case(&format!("authorization: Bearer {CANARY}"));
            }
            let (status, extra, body) = if authorized {
                ("200 OK", "X-OAuth-Scopes: repo, read:org\r\n", r#"{"login":"alice"}"#)
            } else {
                ("401 Unauthorized", "", r#"{"message":"Bad credentials"}"#)
            };
            let mut out = stream;
            let _ = write!(
                out,
                "HTTP/1.1 {status}\r\n{extra}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

#[test]
fn set_list_check_remove_round_trip_never_shows_a_value() {
    let s = "round-trip";
    let api = fake_github();
    let mut outputs = Vec::new();

    let set = cli(s, &["secrets", "set", "github:github.com:alice", "--api-base", &api], &format!("{CANARY}\n"));
    assert!(set.status.success(), "{:?}", text(&set));
    let said = text(&set).0;
    assert!(said.starts_with("stored github:github.com:alice in the keychain\n"), "{said}");
    assert!(said.contains("valid, acts as alice") && said.contains("scopes: repo, read:org"), "checked when added: {said}");
    outputs.push(set);
    let key = cli(s, &["secrets", "set", "ANTHROPIC_API_KEY"], "sk-ant-cli-test-123456");
    assert!(key.status.success(), "{:?}", text(&key));
    outputs.push(key);

    let list = cli(s, &["secrets", "list"], "");
    assert_eq!(
        text(&list).0,
        "ANTHROPIC_API_KEY  (API key)\ngithub:github.com:alice  (GitHub token of alice on github.com)\n"
    );
    outputs.push(list);
    let json = cli(s, &["secrets", "list", "--json"], "");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v[1]["kind"], "github_token");
    assert_eq!(v[1]["host"], "github.com");
    outputs.push(json);

    let check = cli(s, &["secrets", "check", "github:github.com:alice", "--api-base", &api], "");
    let (out, err) = text(&check);
    assert!(check.status.success(), "{out}{err}");
    assert!(out.contains("valid, acts as alice"), "{out}");
    assert!(out.contains("scopes: repo, read:org"), "{out}");
    assert!(out.contains("warning: without the `workflow` scope"), "{out}");
    outputs.push(check);

    let rm = cli(s, &["secrets", "remove", "github:github.com:alice"], "");
    assert!(rm.status.success(), "{:?}", text(&rm));
    outputs.push(rm);
    let list = cli(s, &["secrets", "list"], "");
    assert_eq!(text(&list).0, "ANTHROPIC_API_KEY  (API key)\n");
    let again = cli(s, &["secrets", "remove", "github:github.com:alice"], "");
    assert_eq!(again.status.code(), Some(2), "removing what is not there is the user's to fix");
    outputs.extend([list, again]);
    assert!(cli(s, &["secrets", "remove", "ANTHROPIC_API_KEY"], "").status.success());

    for o in &outputs {
        let (out, err) = text(o);
        assert!(!out.contains(CANARY) && !err.contains(CANARY), "a value was shown: {out}{err}");
    }
}

#[test]
fn a_token_github_refuses_is_reported_as_rejected() {
    let s = "rejected";
    let api = fake_github();
    // Refused when it is added: nothing is stored.
    let set = cli(s, &["secrets", "set", "github:github.com:bob", "--api-base", &api], "ghp_revoked_token_0000");
    let (out, err) = text(&set);
    assert_eq!(set.status.code(), Some(1), "{out}{err}");
    assert!(err.contains("was rejected") && err.contains("nothing was stored"), "{err}");
    assert!(!text(&cli(s, &["secrets", "list"], "")).0.contains("bob"), "not stored");
    // Stored without a check (offline), it is refused when checked.
    assert!(cli(s, &["secrets", "set", "github:github.com:bob", "--no-check"], "ghp_revoked_token_0000").status.success());
    let check = cli(s, &["secrets", "check", "github:github.com:bob", "--api-base", &api], "");
    let (_, err) = text(&check);
    assert_eq!(check.status.code(), Some(1));
    assert!(err.contains("error [credential_rejected]: the token for 127.0.0.1:"), "{err}");
    assert!(err.contains("was rejected") && !err.contains("ghp_revoked_token"), "{err}");
    assert!(cli(s, &["secrets", "remove", "github:github.com:bob"], "").status.success());
}

#[test]
fn values_are_not_taken_from_argv_or_empty_stdin() {
    let s = "refused";
    let argv = cli(s, &["secrets", "set", "OPENAI_API_KEY", "sk-on-the-command-line"], "");
    assert_eq!(argv.status.code(), Some(2), "clap refuses the extra argument");
    let empty = cli(s, &["secrets", "set", "OPENAI_API_KEY"], "\n");
    assert_eq!(empty.status.code(), Some(2));
    assert!(text(&empty).1.contains("no value given for OPENAI_API_KEY"), "{:?}", text(&empty));
    let bad = cli(s, &["secrets", "set", "not a name"], "value-123456");
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&cli(s, &["secrets", "list"], "")).0.contains("no secrets stored yet"));
}

#[test]
fn without_a_keychain_the_cli_says_how_to_get_one() {
    let dir = tempfile::tempdir().unwrap();
    let bus = format!("unix:path={}/no-bus", dir.path().display());
    let out = cli_with("none", &["secrets", "list"], "", &[("DBUS_SESSION_BUS_ADDRESS", &bus)]);
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("error [keychain]: the OS keychain is unavailable"), "{err}");
    assert!(err.contains("gnome-keyring"), "{err}");
}
