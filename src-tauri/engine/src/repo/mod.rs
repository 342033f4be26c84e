//! The Repo port: git through git2. Clone into the app-data folder, fetch
//! before each task, branch per task, commit, push. Every call is idempotent:
//! run twice, it leaves the same state.

mod credentials;
mod locks;
mod push;
mod replay;
mod worktree;

use std::path::{Path, PathBuf};

use git2::{BranchType, FetchOptions, IndexAddOption, Oid, Repository, Signature};

use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::project::slug;

pub use credentials::GitCredentials;
pub use locks::clear_stale_locks;

/// The remote every clone uses.
pub const REMOTE: &str = "origin";

/// `task/<id>-<kebab-title>`: lowercase ASCII, the title part at most 50
/// characters, the same for the same title.
pub fn task_branch_name(id: &str, title: &str) -> String {
    let kebab = slug(title, 50);
    if kebab.is_empty() {
        format!("task/{id}")
    } else {
        format!("task/{id}-{kebab}")
    }
}

/// Who commits.
#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    pub email: String,
}

impl Default for Author {
    fn default() -> Self {
        Self { name: "DevTeam".into(), email: "devteam@localhost".into() }
    }
}

/// A project's clone.
pub struct GitRepo {
    repo: Repository,
    path: PathBuf,
}

impl GitRepo {
    /// Opens the clone at `dest`, or clones `url` there first.
    pub fn clone_or_open(url: &str, dest: &Path, creds: &GitCredentials) -> EngineResult<Self> {
        trust_own_clones();
        if dest.join(".git").exists() {
            let repo = Repository::open(dest).map_err(|e| git_error(&format!("opening {}", dest.display()), e))?;
            return Ok(Self { repo, path: dest.to_path_buf() });
        }
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot create {}: {e}", parent.display())))?;
        }
        // A half-finished clone from a killed run is removed and redone.
        if dest.exists() {
            std::fs::remove_dir_all(dest)
                .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot clean {}: {e}", dest.display())))?;
        }
        let mut builder = git2::build::RepoBuilder::new();
        builder.fetch_options(fetch_options(creds));
        let repo = builder.clone(url, dest).map_err(|e| git_error(&format!("cloning {url}"), e))?;
        Ok(Self { repo, path: dest.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn raw(&self) -> &Repository {
        &self.repo
    }

    /// Fetches every branch of the remote (pruning deleted ones).
    pub fn fetch(&self, creds: &GitCredentials) -> EngineResult<()> {
        let mut remote = self.repo.find_remote(REMOTE).map_err(|e| git_error("finding the remote", e))?;
        let mut opts = fetch_options(creds);
        opts.prune(git2::FetchPrune::On);
        remote
            .fetch(&["+refs/heads/*:refs/remotes/origin/*"], Some(&mut opts), None)
            .map_err(|e| git_error("fetching", e))
    }

    /// The commit a remote branch points at, as of the last fetch.
    pub fn remote_branch(&self, branch: &str) -> Option<Oid> {
        self.repo.refname_to_id(&format!("refs/remotes/{REMOTE}/{branch}")).ok()
    }

    /// The commit a local branch points at.
    pub fn local_branch(&self, branch: &str) -> Option<Oid> {
        self.repo.refname_to_id(&format!("refs/heads/{branch}")).ok()
    }

    /// Checks out `branch`, creating it at `start` when it does not exist yet
    /// (an existing branch keeps its commits: resuming never loses work).
    /// Local changes are discarded.
    pub fn checkout_branch(&self, branch: &str, start: Oid) -> EngineResult<()> {
        let exists = self.repo.find_branch(branch, BranchType::Local).is_ok();
        if !exists {
            let commit = self.repo.find_commit(start).map_err(|e| git_error("finding the start commit", e))?;
            self.repo.branch(branch, &commit, false).map_err(|e| git_error(&format!("creating {branch}"), e))?;
        }
        let refname = format!("refs/heads/{branch}");
        let target = self.repo.revparse_single(&refname).map_err(|e| git_error(&format!("reading {branch}"), e))?;
        let mut co = git2::build::CheckoutBuilder::new();
        co.force().remove_untracked(true);
        self.repo.checkout_tree(&target, Some(&mut co)).map_err(|e| git_error(&format!("checking out {branch}"), e))?;
        self.repo.set_head(&refname).map_err(|e| git_error(&format!("switching to {branch}"), e))
    }

    /// Moves the current branch to `oid` and makes the worktree match it.
    pub fn reset_hard(&self, oid: Oid) -> EngineResult<()> {
        let obj = self.repo.find_object(oid, None).map_err(|e| git_error("finding a commit", e))?;
        let mut co = git2::build::CheckoutBuilder::new();
        co.force().remove_untracked(true);
        self.repo.reset(&obj, git2::ResetType::Hard, Some(&mut co)).map_err(|e| git_error("resetting", e))
    }

    /// Whether the worktree differs from HEAD (untracked files included).
    pub fn has_changes(&self) -> EngineResult<bool> {
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(true);
        let statuses = self.repo.statuses(Some(&mut opts)).map_err(|e| git_error("reading the status", e))?;
        Ok(!statuses.is_empty())
    }

    /// The diff of the worktree against HEAD, as a patch (for prompts and
    /// artifacts), leaving out files under `skip` (DevTeam's own artifacts).
    pub fn diff_against_head(&self, skip: Option<&Path>) -> EngineResult<String> {
        let head = self.repo.head().and_then(|h| h.peel_to_tree()).map_err(|e| git_error("reading HEAD", e))?;
        let mut opts = git2::DiffOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(true).show_untracked_content(true);
        let diff = self
            .repo
            .diff_tree_to_workdir_with_index(Some(&head), Some(&mut opts))
            .map_err(|e| git_error("diffing", e))?;
        let mut patch = String::new();
        diff.print(git2::DiffFormat::Patch, |delta, _, line| {
            let path = delta.new_file().path().or(delta.old_file().path());
            if let (Some(skip), Some(path)) = (skip, path) {
                if path.starts_with(skip) {
                    return true;
                }
            }
            if matches!(line.origin(), '+' | '-' | ' ') {
                patch.push(line.origin());
            }
            patch.push_str(&String::from_utf8_lossy(line.content()));
            true
        })
        .map_err(|e| git_error("printing the diff", e))?;
        Ok(patch)
    }

    /// Commits everything in the worktree on the current branch. When HEAD
    /// already is a commit with this message and this tree (a resumed run),
    /// returns it instead of committing again.
    pub fn commit_all(&self, message: &str, author: &Author) -> EngineResult<Oid> {
        let mut index = self.repo.index().map_err(|e| git_error("opening the index", e))?;
        index.add_all(["*"], IndexAddOption::DEFAULT, None).map_err(|e| git_error("staging", e))?;
        index.update_all(["*"], None).map_err(|e| git_error("staging removals", e))?;
        index.write().map_err(|e| git_error("writing the index", e))?;
        let tree_id = index.write_tree().map_err(|e| git_error("writing the tree", e))?;
        let head = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        if let Some(head) = &head {
            if head.tree_id() == tree_id && head.message() == Some(message) {
                return Ok(head.id());
            }
        }
        let tree = self.repo.find_tree(tree_id).map_err(|e| git_error("reading the tree", e))?;
        let sig = Signature::now(&author.name, &author.email).map_err(|e| git_error("making the signature", e))?;
        let parents: Vec<&git2::Commit> = head.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .map_err(|e| git_error("committing", e))
    }
}

/// DevTeam's clones live in its own data folder, and when it runs as root
/// their worktree is handed to the container's non-root user on purpose;
/// libgit2's "owned by someone else" guard would then refuse our own clone.
fn trust_own_clones() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: a process-wide libgit2 option; set once (guarded by the
        // `Once`) before this module opens or clones any repository.
        if let Err(e) = unsafe { git2::opts::set_verify_owner_validation(false) } {
            tracing::warn!("cannot relax libgit2's owner check: {e}");
        }
    });
}

fn fetch_options(creds: &GitCredentials) -> FetchOptions<'_> {
    let mut opts = FetchOptions::new();
    opts.remote_callbacks(creds.callbacks());
    opts
}

/// A git failure, classified: a rejected credential needs a person, a
/// network or I/O fault is transient.
pub(crate) fn git_error(doing: &str, err: git2::Error) -> EngineError {
    let message = err.message();
    let code = if message.contains("the token for ") || message.contains("the ssh-agent's keys for ") {
        ErrorCode::CredentialRejected
    } else {
        ErrorCode::Git
    };
    EngineError::new(code, format!("git failed while {doing}: {message}"))
}

impl GitRepo {
    /// A file's bytes as of `commit`, or `None` when it is not there.
    pub fn read_file_at(&self, commit: Oid, path: &str) -> EngineResult<Option<Vec<u8>>> {
        let commit = self.repo.find_commit(commit).map_err(|e| git_error("finding a commit", e))?;
        let tree = commit.tree().map_err(|e| git_error("reading a tree", e))?;
        let Ok(entry) = tree.get_path(Path::new(path)) else { return Ok(None) };
        let blob = self.repo.find_blob(entry.id()).map_err(|e| git_error(&format!("reading {path}"), e))?;
        Ok(Some(blob.content().to_vec()))
    }

    /// Whether `commit` is `tip` or one of its ancestors.
    pub fn contains(&self, tip: Oid, commit: Oid) -> bool {
        tip == commit || self.repo.graph_descendant_of(tip, commit).unwrap_or(false)
    }

    /// The first line of a commit's message.
    pub fn summary(&self, commit: Oid) -> Option<String> {
        self.repo.find_commit(commit).ok()?.summary().map(str::to_string)
    }

    /// The whole message of `commit`.
    pub fn message(&self, commit: Oid) -> Option<String> {
        self.repo.find_commit(commit).ok()?.message().map(str::to_string)
    }
}
