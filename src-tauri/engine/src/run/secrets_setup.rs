//! The secrets a run needs, fetched from the OS keychain before it starts:
//! agent API keys (as environment of agent commands only) and, for a GitHub
//! repository, the token for pushing over HTTPS and opening pull requests.
//! Every value is registered with the redactor before anything can print it.

use std::sync::Arc;

use super::settings::{GithubTarget, MergeMode};
use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::github::{GithubClient, GithubRepo};
use crate::project::{parse_repo_url, Project, RepoUrl};
use crate::redact::Redactor;
use crate::repo::GitCredentials;
use crate::secrets::{github_token_for, KeychainSecrets, SecretName, SecretStore};

/// Where a run's secrets come from: the OS keychain unless a test says
/// otherwise.
#[derive(Clone, Default)]
pub struct SecretSource(Option<Arc<dyn SecretStore>>);

impl SecretSource {
    pub fn store(store: Arc<dyn SecretStore>) -> Self {
        Self(Some(store))
    }
}

impl std::fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "SecretSource(given)" } else { "SecretSource(keychain)" })
    }
}

pub(crate) struct RunSecrets {
    pub agent_env: Vec<(String, String)>,
    pub credentials: GitCredentials,
    pub github: Option<GithubTarget>,
}

/// Reads what the project needs. A GitHub repository without a token for
/// its host is an error that says how to add one; a keychain that is not
/// there only matters when something is needed from it.
pub(crate) async fn prepare(
    source: &SecretSource,
    project: &Project,
    merge_mode: MergeMode,
    api_base: Option<&str>,
    redactor: &Redactor,
) -> EngineResult<RunSecrets> {
    let url = project.settings.repo_url.clone();
    let hosted = matches!(parse_repo_url(&url), Ok(RepoUrl::Hosted { .. }));
    let ssh = matches!(parse_repo_url(&url), Ok(RepoUrl::Hosted { ssh: true, .. }) | Ok(RepoUrl::Other { .. }) if url.contains('@'));
    let source = source.clone();
    let account = project.settings.run.github_account.clone();
    let (keys, token) = tokio::task::spawn_blocking(move || -> EngineResult<(Vec<(String, String)>, Option<(String, String)>)> {
        let store: Arc<dyn SecretStore> = match source.0 {
            Some(s) => s,
            None => match KeychainSecrets::open() {
                Ok(k) => Arc::new(k),
                Err(e) if !hosted => {
                    tracing::warn!("no keychain, so no API keys for agents: {}", e.message);
                    return Ok((Vec::new(), None));
                }
                Err(e) => return Err(e),
            },
        };
        let mut keys = Vec::new();
        let names = match store.list() {
            Ok(names) => names,
            Err(e) if !hosted => {
                tracing::warn!("cannot list the keychain's secrets: {}", e.message);
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        for name in names {
            if let SecretName::ApiKey(env) = &name {
                if let Some(value) = store.get(&name)? {
                    keys.push((env.clone(), value));
                }
            }
        }
        let token = if hosted {
            let repo = GithubRepo::from_repo_url(&url)?;
            let host = repo.host.split(':').next().unwrap_or(&repo.host).to_string();
            match github_token_for(store.as_ref(), &host, account.as_deref())? {
                Some((name, token)) => Some((name.to_string(), token)),
                None => {
                    return Err(EngineError::new(
                        ErrorCode::Keychain,
                        format!(
                            "no GitHub token for {host} in the keychain: add one with `devteam-cli secrets set github:{host}:ACCOUNT` \
                             (or in Settings → Secrets); it needs the `repo` scope (classic) or contents and pull requests \
                             read/write (fine-grained)"
                        ),
                    ))
                }
            }
        } else {
            None
        };
        Ok((keys, token))
    })
    .await
    .map_err(|e| EngineError::internal(e.to_string()))??;

    for (name, value) in &keys {
        redactor.register(name, value);
    }
    let mut credentials = if ssh { GitCredentials::SshAgent } else { GitCredentials::None };
    let mut github = None;
    if let Some((name, token)) = token {
        redactor.register(&name, &token);
        if !ssh {
            credentials = GitCredentials::github_token(token.clone());
        }
        if merge_mode == MergeMode::Pr {
            let repo = GithubRepo::from_repo_url(&project.settings.repo_url)?;
            let base = api_base.map(str::to_string).unwrap_or_else(|| repo.api_base());
            let client = GithubClient::new(&base, &token)?;
            let policy = &project.settings.run;
            github = Some(GithubTarget { client, repo, draft: policy.pr_draft, labels: policy.pr_labels.clone() });
        }
    }
    Ok(RunSecrets { agent_env: keys, credentials, github })
}
