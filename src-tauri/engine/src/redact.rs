//! Every secret value the app knows is replaced by `[REDACTED:name]` before a
//! line reaches a log, an event, an artifact or the database.

use std::sync::{Arc, RwLock};

/// Shorter values would match innocent text; no real token is this short.
const MIN_SECRET_LEN: usize = 6;

/// The set of known secrets; cheap to clone and share.
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Arc<RwLock<Vec<(String, String)>>>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.secrets.read().map(|s| s.len()).unwrap_or(0);
        write!(f, "Redactor({n} secrets)")
    }
}

impl Redactor {
    /// Registers a secret by name; the longest values are replaced first so a
    /// secret containing another is hidden whole.
    pub fn register(&self, name: &str, value: &str) {
        if value.len() < MIN_SECRET_LEN {
            return;
        }
        let mut secrets = self.secrets.write().unwrap_or_else(|e| e.into_inner());
        if secrets.iter().any(|(_, v)| v == value) {
            return;
        }
        secrets.push((name.to_string(), value.to_string()));
        secrets.sort_by(|a, b| b.1.len().cmp(&a.1.len()));
    }

    /// The length in bytes of the longest known secret (0: none).
    pub fn longest(&self) -> usize {
        self.secrets.read().unwrap_or_else(|e| e.into_inner()).first().map_or(0, |(_, v)| v.len())
    }

    /// Where a secret in `bytes` starts before `at` and ends after it
    /// (the earliest such start), if one does.
    pub fn straddling(&self, bytes: &[u8], at: usize) -> Option<usize> {
        let secrets = self.secrets.read().unwrap_or_else(|e| e.into_inner());
        secrets
            .iter()
            .filter_map(|(_, value)| {
                let v = value.as_bytes();
                let from = at.saturating_sub(v.len() - 1);
                (from..at).find(|&start| bytes.get(start..start + v.len()) == Some(v))
            })
            .min()
    }

    /// `text` with every known secret replaced.
    pub fn redact(&self, text: &str) -> String {
        let secrets = self.secrets.read().unwrap_or_else(|e| e.into_inner());
        let mut out = text.to_string();
        for (name, value) in secrets.iter() {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), &format!("[REDACTED:{name}]"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_replaced_by_their_name_wherever_they_appear() {
        let r = Redactor::default();
        r.register("github-token", "ghp_canary123456");
        r.register("short", "abc");
        let line = format!("{}ghp_canary123456{}", "x".repeat(10_000), " and again ghp_canary123456 abc");
        let out = r.redact(&line);
        assert!(!out.contains("ghp_canary123456"));
        assert_eq!(out.matches("[REDACTED:github-token]").count(), 2);
        assert!(out.ends_with(" abc"), "values too short to be secrets are left alone");
    }

    #[test]
    fn a_secret_containing_another_is_hidden_whole() {
        let r = Redactor::default();
        r.register("inner", "secret-1234");
        r.register("outer", "prefix-secret-1234-suffix");
        assert_eq!(r.redact("x prefix-secret-1234-suffix y"), "x [REDACTED:outer] y");
    }
}
