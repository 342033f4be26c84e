//! How git authenticates: nothing (local remotes), an HTTPS token, or the
//! ssh-agent. The token never appears in a URL, a log or an error.

use git2::{Cred, CredentialType, RemoteCallbacks};

#[derive(Clone, Default)]
pub enum GitCredentials {
    /// Local paths and `file://` remotes.
    #[default]
    None,
    /// HTTPS with a token; GitHub takes it with user `x-access-token`.
    Token { user: String, token: String },
    /// SSH keys from the running ssh-agent.
    SshAgent,
}

impl std::fmt::Debug for GitCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => write!(f, "None"),
            Self::Token { user, .. } => write!(f, "Token {{ user: {user:?}, token: [REDACTED] }}"),
            Self::SshAgent => write!(f, "SshAgent"),
        }
    }
}

impl GitCredentials {
    pub fn github_token(token: impl Into<String>) -> Self {
        Self::Token { user: "x-access-token".into(), token: token.into() }
    }

    /// Callbacks that offer the credential once; asked again, they give up,
    /// so a rejected token fails at once instead of looping.
    pub(crate) fn callbacks(&self) -> RemoteCallbacks<'_> {
        let mut callbacks = RemoteCallbacks::new();
        let mut offered = false;
        callbacks.credentials(move |url, username, allowed| {
            if offered {
                return Err(git2::Error::from_str(&self.rejected_message(url)));
            }
            offered = true;
            match self {
                Self::Token { user, token } if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) => {
                    Cred::userpass_plaintext(user, token)
                }
                Self::SshAgent if allowed.contains(CredentialType::SSH_KEY) => {
                    Cred::ssh_key_from_agent(username.unwrap_or("git"))
                }
                _ => Err(git2::Error::from_str("the remote asks for credentials DevTeam does not have")),
            }
        });
        callbacks
    }

    /// What a second request for credentials means: the remote refused the
    /// one offered. `git_error` classifies this text as `CredentialRejected`.
    fn rejected_message(&self, url: &str) -> String {
        let host = url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string));
        let host = host.unwrap_or_else(|| "the remote".into());
        match self {
            Self::SshAgent => format!("the ssh-agent's keys for {host} were rejected"),
            _ => format!("the token for {host} was rejected"),
        }
    }
}
