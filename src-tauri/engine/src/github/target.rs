//! Which GitHub a project talks to: host, owner and repository from the
//! project's repository address, and the REST API base for that host.

use serde::Serialize;

use crate::error::{EngineError, EngineResult, FieldError};
use crate::project::{parse_repo_url, RepoUrl};

/// The public GitHub's host.
pub const GITHUB_COM: &str = "github.com";

/// The REST API base for a host: `https://api.github.com` for github.com,
/// `https://HOST/api/v3` for GitHub Enterprise Server.
pub fn api_base_for_host(host: &str) -> String {
    if host.eq_ignore_ascii_case(GITHUB_COM) {
        "https://api.github.com".to_string()
    } else {
        format!("https://{}/api/v3", host.to_ascii_lowercase())
    }
}

/// A repository on a GitHub host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct GithubRepo {
    /// `github.com` or an Enterprise host, lowercase.
    pub host: String,
    pub owner: String,
    pub repo: String,
}

impl GithubRepo {
    /// From a project's repository address (HTTPS or SSH form). Local paths
    /// and other git URLs have no GitHub to open pull requests on.
    pub fn from_repo_url(url: &str) -> EngineResult<Self> {
        match parse_repo_url(url.trim()) {
            Ok(RepoUrl::Hosted { host, owner, repo, .. }) => Ok(Self { host: host.to_ascii_lowercase(), owner, repo }),
            Ok(_) => Err(invalid(format!("`{url}` is not a GitHub repository (https://HOST/OWNER/REPO)"))),
            Err(message) => Err(invalid(message)),
        }
    }

    /// The REST API base for this repository's host.
    pub fn api_base(&self) -> String {
        api_base_for_host(&self.host)
    }

    /// The HTTPS address git pushes to with a token.
    pub fn https_url(&self) -> String {
        format!("https://{}/{}/{}.git", self.host, self.owner, self.repo)
    }

    /// Where a branch's files are shown, e.g. for links in a pull request.
    pub fn blob_url(&self, branch: &str) -> String {
        format!("https://{}/{}/{}/blob/{branch}", self.host, self.owner, self.repo)
    }
}

fn invalid(message: String) -> EngineError {
    EngineError::validation(vec![FieldError { field: "repo_url".into(), message }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_and_enterprise_addresses_give_their_api() {
        let r = GithubRepo::from_repo_url("git@github.com:acme/crm.git").unwrap();
        assert_eq!((r.host.as_str(), r.owner.as_str(), r.repo.as_str()), ("github.com", "acme", "crm"));
        assert_eq!(r.api_base(), "https://api.github.com");
        assert_eq!(r.https_url(), "https://github.com/acme/crm.git");
        let e = GithubRepo::from_repo_url("https://GHE.acme.io/team/crm").unwrap();
        assert_eq!(e.api_base(), "https://ghe.acme.io/api/v3");
        assert!(GithubRepo::from_repo_url("/srv/git/crm.git").is_err(), "a local path has no GitHub");
    }
}
