//! The secrets port against a real Secret Service (gnome-keyring inside
//! `dbus-run-session`, started by `with_keyring` in scripts/lib.sh): values
//! go in and come back out across a restart, listing shows names only, and
//! with no Secret Service the error says what to do.
//!
//! Run: `bash -c 'source scripts/lib.sh; with_keyring cargo test -p devteam-engine --test secrets_keyring'`

use devteam_engine::secrets::{github_token_for, KeychainSecrets, SecretName, SecretStore};
use devteam_engine::ErrorCode;

/// Each test files its entries under its own service, so tests running side
/// by side never share the index entry.
fn store(test: &str) -> KeychainSecrets {
    KeychainSecrets::with_service(&format!("devteam-test-{test}-{}", std::process::id()))
        .expect("a Secret Service runs (use with_keyring from scripts/lib.sh)")
}

fn name(text: &str) -> SecretName {
    SecretName::parse(text).unwrap()
}

const CANARY: &str = "ghp_CANARY_secrets_0123456789abcdef";

#[test]
fn tokens_and_keys_survive_a_restart_and_are_removed_for_good() {
    let alice = name("github:github.com:alice");
    let key = name("ANTHROPIC_API_KEY");
    {
        let s = store("restart");
        s.set(&alice, "ghp_first_value_123456").unwrap();
        s.set(&alice, CANARY).unwrap();
        s.set(&key, "sk-ant-test-abcdef").unwrap();
        assert_eq!(s.get(&alice).unwrap().as_deref(), Some(CANARY), "a second set replaces the value");
    }
    // A new store object reads only what the keychain kept: the app restarted.
    let s = store("restart");
    assert_eq!(s.get(&alice).unwrap().as_deref(), Some(CANARY));
    assert_eq!(s.get(&key).unwrap().as_deref(), Some("sk-ant-test-abcdef"));
    assert_eq!(s.list().unwrap(), vec![key.clone(), alice.clone()], "sorted by name, each once");

    assert!(s.remove(&alice).unwrap());
    assert!(!s.remove(&alice).unwrap(), "removing twice says nothing was there");
    let s = store("restart");
    assert_eq!(s.get(&alice).unwrap(), None);
    assert_eq!(s.list().unwrap(), vec![key.clone()]);
    assert!(s.remove(&key).unwrap());
    assert!(s.list().unwrap().is_empty());
}

#[test]
fn the_index_holds_names_and_never_values() {
    let service = format!("devteam-test-index-{}", std::process::id());
    let s = KeychainSecrets::with_service(&service).unwrap();
    s.set(&name("github:ghe.acme.io:ci-bot"), CANARY).unwrap();
    s.set(&name("OPENAI_API_KEY"), "sk-openai-canary-9876").unwrap();
    // Read the index entry the way any keychain browser would.
    let raw = keyring::Entry::new(&service, "secret-index").unwrap().get_password().unwrap();
    let names: Vec<String> = serde_json::from_str(&raw).unwrap();
    assert_eq!(names, ["OPENAI_API_KEY", "github:ghe.acme.io:ci-bot"]);
    assert!(!raw.contains(CANARY) && !raw.contains("sk-openai-canary"), "{raw}");
}

#[test]
fn the_github_token_for_a_host_is_found_by_host() {
    let s = store("by-host");
    s.set(&name("github:github.com:alice"), "ghp_alice_token_1234").unwrap();
    s.set(&name("github:ghe.acme.io:bob"), "ghp_bob_token_5678").unwrap();
    s.set(&name("ANTHROPIC_API_KEY"), "sk-ant-000000").unwrap();
    let (found, token) = github_token_for(&s, "GHE.acme.io", None).unwrap().unwrap();
    assert_eq!((found.to_string().as_str(), token.as_str()), ("github:ghe.acme.io:bob", "ghp_bob_token_5678"));
    assert!(github_token_for(&s, "gitlab.com", None).unwrap().is_none());

    // Two accounts on one host: the project says which one pushes.
    s.set(&name("github:ghe.acme.io:ci-bot"), "ghp_bot_token_9999").unwrap();
    let err = github_token_for(&s, "ghe.acme.io", None).unwrap_err();
    assert!(err.message.contains("several GitHub tokens for ghe.acme.io (bob, ci-bot)") && err.message.contains("run.github_account"), "{}", err.message);
    let (found, _) = github_token_for(&s, "ghe.acme.io", Some("ci-bot")).unwrap().unwrap();
    assert_eq!(found.to_string(), "github:ghe.acme.io:ci-bot");
    let err = github_token_for(&s, "ghe.acme.io", Some("carol")).unwrap_err();
    assert!(err.message.contains("no GitHub token for carol on ghe.acme.io"), "{}", err.message);
    assert!(!err.message.contains("ghp_"), "no value in an error");
}

#[test]
fn an_empty_value_is_refused_and_stores_nothing() {
    let s = store("empty");
    let err = s.set(&name("OPENAI_API_KEY"), "").unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(s.list().unwrap().is_empty());
}

/// keyring decides once per process whether a store answers, so the check
/// runs in a child process of this test binary whose D-Bus session address
/// points at a socket that does not exist.
#[test]
fn without_a_secret_service_the_error_says_how_to_start_one() {
    const CHILD: &str = "DEVTEAM_TEST_NO_KEYCHAIN_CHILD";
    const TEST: &str = "without_a_secret_service_the_error_says_how_to_start_one";
    if std::env::var_os(CHILD).is_some() {
        let err = KeychainSecrets::open().unwrap_err();
        assert_eq!(err.code, ErrorCode::Keychain);
        assert!(err.needs_person(), "no keychain is for a person to fix");
        for words in ["keychain is unavailable", "gnome-keyring", "scripts/dev test", "never in plain text"] {
            assert!(err.message.contains(words), "`{words}` missing from: {}", err.message);
        }
        return;
    }
    let missing = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}/no-bus", missing.path().display()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("1 passed"), "the child ran the check: {stdout}");
}
