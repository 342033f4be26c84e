//! Pushing a branch: never forced, a rejection said plainly.

use super::{git_error, GitCredentials, GitRepo, REMOTE};
use crate::error::{EngineError, EngineResult, ErrorCode};

impl GitRepo {
    /// Pushes local `branch` to the same name on the remote. A non-fast-
    /// forward is refused by the remote and reported, never forced.
    pub fn push_branch(&self, branch: &str, creds: &GitCredentials) -> EngineResult<()> {
        let mut remote = self.raw().find_remote(REMOTE).map_err(|e| git_error("finding the remote", e))?;
        let mut rejected: Option<String> = None;
        let mut refused_locally: Option<String> = None;
        {
            let mut callbacks = creds.callbacks();
            callbacks.push_update_reference(|refname, status| {
                if let Some(why) = status {
                    rejected = Some(format!("{refname}: {why}"));
                }
                Ok(())
            });
            let mut opts = git2::PushOptions::new();
            opts.remote_callbacks(callbacks);
            let spec = format!("refs/heads/{branch}:refs/heads/{branch}");
            if let Err(e) = remote.push(&[spec.as_str()], Some(&mut opts)) {
                // Local transports report a non-fast-forward as an error
                // rather than through the callback.
                if e.code() != git2::ErrorCode::NotFastForward {
                    return Err(git_error(&format!("pushing {branch}"), e));
                }
                refused_locally = Some(e.message().to_string());
            }
        }
        if let Some(why) = rejected.or(refused_locally) {
            return Err(EngineError::new(
                ErrorCode::Conflict,
                format!("the remote refused {branch} ({why}): someone else pushed; DevTeam never force-pushes"),
            ));
        }
        // Keep the remote-tracking ref in step, as a fetch would.
        if let Some(oid) = self.local_branch(branch) {
            let _ = self.raw().reference(&format!("refs/remotes/{REMOTE}/{branch}"), oid, true, "push");
        }
        Ok(())
    }
}
