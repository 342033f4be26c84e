//! Recognises the repository addresses people paste: GitHub HTTPS and SSH,
//! any git URL, `file://` and local paths.

use serde::Serialize;

/// A repository address, understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RepoUrl {
    /// `https://host/owner/repo(.git)` or `git@host:owner/repo.git`.
    Hosted { host: String, owner: String, repo: String, ssh: bool },
    /// Any other git URL (`ssh://`, `git://`, `http(s)://` with another shape).
    Other { url: String },
    /// `file://` URL or an absolute local path, normalised to the path.
    Local { path: String },
}

/// Parses `input` (already trimmed) or says what is wrong with it.
pub fn parse_repo_url(input: &str) -> Result<RepoUrl, String> {
    if input.is_empty() {
        return Err("enter the repository's address, e.g. https://github.com/owner/repo".into());
    }
    if input.chars().any(char::is_whitespace) {
        return Err("a repository address cannot contain spaces".into());
    }
    if let Some(path) = input.strip_prefix("file://") {
        return local(path);
    }
    if input.starts_with('/') {
        return local(input);
    }
    if let Some((scheme, _)) = input.split_once("://") {
        return network_url(input, scheme);
    }
    if let Some((user_host, path)) = input.split_once(':') {
        if user_host.contains('@') {
            return scp_like(user_host, path);
        }
    }
    Err(format!(
        "`{input}` is not a repository address: use https://github.com/owner/repo, \
         git@github.com:owner/repo.git, a file:// URL or an absolute path"
    ))
}

fn local(path: &str) -> Result<RepoUrl, String> {
    if !path.starts_with('/') {
        return Err("a local repository must be an absolute path (starting with /)".into());
    }
    if path.len() == 1 {
        return Err("the file system root is not a repository".into());
    }
    Ok(RepoUrl::Local { path: path.to_string() })
}

fn network_url(input: &str, scheme: &str) -> Result<RepoUrl, String> {
    if !matches!(scheme, "https" | "http" | "ssh" | "git") {
        return Err(format!("`{scheme}://` is not a git transport: use https, ssh, git or file"));
    }
    let url = url::Url::parse(input).map_err(|e| format!("`{input}` is not a valid URL: {e}"))?;
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or("the URL has no host")?;
    let segments: Vec<&str> = url.path().split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Err(format!("the URL names no repository after {host}"));
    }
    if scheme == "https" || scheme == "http" {
        if url.password().is_some() {
            return Err("don't put a password or token in the URL: add the token in Settings → Secrets".into());
        }
        if let [owner, repo] = segments.as_slice() {
            return hosted(host, owner, repo, false);
        }
        if host == "github.com" {
            return Err("a GitHub URL has the form https://github.com/owner/repo".into());
        }
    }
    Ok(RepoUrl::Other { url: input.to_string() })
}

fn scp_like(user_host: &str, path: &str) -> Result<RepoUrl, String> {
    let host = user_host.rsplit('@').next().unwrap_or_default();
    if host.is_empty() {
        return Err("the SSH address has no host (git@host:owner/repo.git)".into());
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [owner, repo] => hosted(host, owner, repo, true),
        [] => Err("the SSH address names no repository after the `:`".into()),
        _ => Ok(RepoUrl::Other { url: format!("{user_host}:{path}") }),
    }
}

fn hosted(host: &str, owner: &str, repo: &str, ssh: bool) -> Result<RepoUrl, String> {
    let repo = repo.strip_suffix(".git").unwrap_or(repo);
    let valid = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !valid(owner) || !valid(repo) {
        return Err(format!("`{owner}/{repo}` is not a valid owner/repository name"));
    }
    Ok(RepoUrl::Hosted { host: host.to_string(), owner: owner.to_string(), repo: repo.to_string(), ssh })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosted(host: &str, owner: &str, repo: &str, ssh: bool) -> RepoUrl {
        RepoUrl::Hosted { host: host.into(), owner: owner.into(), repo: repo.into(), ssh }
    }

    #[test]
    fn the_addresses_people_paste_are_understood() {
        assert_eq!(parse_repo_url("https://github.com/acme/crm"), Ok(hosted("github.com", "acme", "crm", false)));
        assert_eq!(parse_repo_url("https://github.com/acme/crm.git"), Ok(hosted("github.com", "acme", "crm", false)));
        assert_eq!(parse_repo_url("git@github.com:acme/crm.git"), Ok(hosted("github.com", "acme", "crm", true)));
        assert_eq!(parse_repo_url("https://ghe.acme.io/team/crm"), Ok(hosted("ghe.acme.io", "team", "crm", false)));
        assert_eq!(parse_repo_url("file:///srv/git/crm.git"), Ok(RepoUrl::Local { path: "/srv/git/crm.git".into() }));
        assert_eq!(parse_repo_url("/srv/git/crm.git"), Ok(RepoUrl::Local { path: "/srv/git/crm.git".into() }));
        assert!(matches!(parse_repo_url("ssh://git@host:2222/a/b/c.git"), Ok(RepoUrl::Other { .. })));
        assert!(matches!(parse_repo_url("https://gitlab.com/group/sub/repo.git"), Ok(RepoUrl::Other { .. })));
    }

    #[test]
    fn wrong_addresses_say_what_is_wrong() {
        let err = |s: &str| parse_repo_url(s).unwrap_err();
        assert!(err("").contains("enter"));
        assert!(err("htps://github.com/a/b").contains("not a git transport"));
        assert!(err("github.com/acme/crm").contains("not a repository address"));
        assert!(err("https://github.com/acme").contains("owner/repo"));
        assert!(err("https://x:tok@github.com/a/b").contains("token"));
        assert!(err("relative/path").contains("not a repository address"));
        assert!(err("file://relative").contains("absolute"));
        assert!(err("https://github.com/a b/c").contains("spaces"));
    }
}
