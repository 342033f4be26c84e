//! Secret names: one string form (`github:HOST:ACCOUNT`, `NAME_OF_KEY`) used as
//! the keychain entry's user and in the index, parsed back without guessing.

use std::fmt;
use std::str::FromStr;

use crate::error::{EngineError, EngineResult, FieldError};

const GITHUB_PREFIX: &str = "github:";

/// The name a secret is stored under.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SecretName {
    /// A GitHub token; host lowercase (`github.com` or an Enterprise host).
    GithubToken { host: String, account: String },
    /// An agent API key, named as the environment variable it becomes.
    ApiKey(String),
}

impl SecretName {
    /// A GitHub token's name; checks the host and account.
    pub fn github_token(host: &str, account: &str) -> EngineResult<Self> {
        let host = host.trim().to_ascii_lowercase();
        let account = account.trim();
        let host_ok = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || "-.:".contains(c));
        if !host_ok {
            return Err(invalid(format!("`{host}` is not a host name (e.g. github.com)")));
        }
        let account_ok = !account.is_empty() && account.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if !account_ok {
            return Err(invalid(format!("`{account}` is not a GitHub account name")));
        }
        Ok(Self::GithubToken { host, account: account.to_string() })
    }

    /// An API key's name: an environment variable name (`ANTHROPIC_API_KEY`).
    pub fn api_key(name: &str) -> EngineResult<Self> {
        let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            return Err(invalid(format!(
                "`{name}` is not a secret name: use github:HOST:ACCOUNT for a GitHub token or an \
                 environment variable name such as ANTHROPIC_API_KEY for an API key"
            )));
        }
        Ok(Self::ApiKey(name.to_string()))
    }

    /// Parses the string form, or says what is wrong with it.
    pub fn parse(text: &str) -> EngineResult<Self> {
        let text = text.trim();
        match text.strip_prefix(GITHUB_PREFIX) {
            Some(rest) => match rest.rsplit_once(':') {
                Some((host, account)) => Self::github_token(host, account),
                None => Err(invalid("a GitHub token's name has the form github:HOST:ACCOUNT".into())),
            },
            None => Self::api_key(text),
        }
    }
}

impl fmt::Display for SecretName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::GithubToken { host, account } => write!(f, "{GITHUB_PREFIX}{host}:{account}"),
            Self::ApiKey(name) => f.write_str(name),
        }
    }
}

impl FromStr for SecretName {
    type Err = EngineError;
    fn from_str(s: &str) -> Result<Self, EngineError> {
        Self::parse(s)
    }
}

fn invalid(message: String) -> EngineError {
    EngineError::validation(vec![FieldError { field: "name".into(), message }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_their_string_form() {
        for text in ["github:github.com:alice", "github:ghe.acme.io:bob-ci", "ANTHROPIC_API_KEY", "my_key2"] {
            assert_eq!(SecretName::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            SecretName::parse("github:GitHub.com:alice").unwrap(),
            SecretName::GithubToken { host: "github.com".into(), account: "alice".into() },
            "hosts are case-insensitive, so they are kept lowercase"
        );
        assert_eq!(
            SecretName::parse("github:localhost:8443:ci").unwrap().to_string(),
            "github:localhost:8443:ci",
            "a host may carry a port; the account is after the last colon"
        );
    }

    #[test]
    fn bad_names_are_refused_with_the_form_to_use() {
        assert!(SecretName::parse("github:github.com").unwrap_err().message.contains("github:HOST:ACCOUNT"));
        assert!(SecretName::parse("2FAST").is_err());
        assert!(SecretName::parse("has space").is_err());
        assert!(SecretName::parse("secret-index").is_err(), "the index's own entry can never be a secret");
        assert!(SecretName::parse("github:github.com:al ice").is_err());
    }
}
