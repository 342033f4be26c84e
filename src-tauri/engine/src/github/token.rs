//! Checking a token before it is stored or used: whose it is, what it may
//! do, when it expires, and what it will not be able to do for DevTeam.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::retry::header;
use super::GithubClient;
use crate::error::EngineResult;

/// Which kind of token GitHub says this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A classic personal access token (or OAuth token) with scopes.
    Classic,
    /// A fine-grained token: GitHub does not report its permissions here.
    FineGrained,
}

/// What GitHub says about a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct TokenInfo {
    /// The account the token acts as.
    pub login: String,
    /// The host it was checked against (`github.com`).
    pub host: String,
    pub kind: TokenKind,
    /// Classic scopes, as GitHub lists them; empty for fine-grained tokens.
    pub scopes: Vec<String>,
    /// When the token expires, as GitHub writes it; `None` when it never does
    /// or GitHub does not say.
    pub expires_at: Option<String>,
    /// What the token cannot do for DevTeam (push, open pull requests).
    pub warnings: Vec<String>,
}

#[derive(Deserialize)]
struct User {
    login: String,
}

impl GithubClient {
    /// `GET /user`: the token's account, scopes and expiry, with warnings
    /// when it cannot push or open pull requests. A refused token is an
    /// `ErrorCode::CredentialRejected` error.
    pub async fn validate_token(&self) -> EngineResult<TokenInfo> {
        let doing = "checking the token";
        let answer = self.send(Method::GET, self.url(&["user"], &[]), None, doing).await?;
        if !answer.status.is_success() {
            return Err(self.refused(&answer, doing));
        }
        let user: User = answer.json(doing)?;
        let scopes_header = header(&answer.headers, "x-oauth-scopes").map(str::to_string);
        let expires_at = header(&answer.headers, "github-authentication-token-expiration")
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        let (kind, scopes) = match scopes_header {
            Some(list) => {
                (TokenKind::Classic, list.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
            }
            None => (TokenKind::FineGrained, Vec::new()),
        };
        let warnings = scope_warnings(kind, &scopes);
        tracing::info!(host = %self.host, login = %user.login, ?kind, "GitHub token checked");
        Ok(TokenInfo { login: user.login, host: self.host.clone(), kind, scopes, expires_at, warnings })
    }
}

/// Pushing and opening pull requests need `repo` (or `public_repo` for
/// public repositories only); changed workflow files need `workflow`.
fn scope_warnings(kind: TokenKind, scopes: &[String]) -> Vec<String> {
    if kind == TokenKind::FineGrained {
        return Vec::new();
    }
    let has = |s: &str| scopes.iter().any(|x| x == s);
    let mut warnings = Vec::new();
    if !has("repo") {
        if has("public_repo") {
            warnings.push(
                "the token has `public_repo` but not `repo`: it can push and open pull requests on public \
                 repositories only"
                    .to_string(),
            );
        } else {
            warnings.push(
                "the token has neither `repo` nor `public_repo`: it cannot push branches or open pull requests"
                    .to_string(),
            );
        }
    }
    if !has("workflow") {
        warnings.push("without the `workflow` scope, GitHub refuses pushes that change .github/workflows".to_string());
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn warnings_say_what_a_classic_token_cannot_do() {
        assert!(scope_warnings(TokenKind::Classic, &scopes(&["repo", "workflow"])).is_empty());
        let public = scope_warnings(TokenKind::Classic, &scopes(&["public_repo", "workflow"]));
        assert!(public[0].contains("public repositories only"), "{public:?}");
        let none = scope_warnings(TokenKind::Classic, &scopes(&["read:org"]));
        assert!(none[0].contains("cannot push"), "{none:?}");
        assert!(scope_warnings(TokenKind::FineGrained, &[]).is_empty());
    }
}
