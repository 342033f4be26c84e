//! DevTeam's default runner image, made here because no registry is
//! reachable: a Debian (or Ubuntu) root made by debootstrap from the mirror
//! apt already uses, with git, a shell, build tools, Python and Node,
//! imported into Docker once and reused. Its tag is a hash of what goes in,
//! so a changed package list builds a new image.

use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncBufReadExt, BufReader};

use super::{docker_error, DockerRunner};
use crate::error::{EngineError, EngineResult, ErrorCode};

/// What the runner image holds besides the base system.
pub const RUNNER_PACKAGES: &[&str] = &[
    "bash",
    "busybox",
    "ca-certificates",
    "curl",
    "wget",
    "git",
    "build-essential",
    "python3",
    "python3-venv",
    "python3-pip",
    "nodejs",
    "procps",
    "moreutils",
];

/// Where the root comes from: the host's distribution, release and mirror.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunnerSource {
    pub suite: String,
    pub mirror: String,
}

impl RunnerSource {
    /// The host's `VERSION_CODENAME` and the first apt mirror for its main
    /// archive (`/etc/apt/sources.list` or deb822 `.sources` files).
    pub fn from_host() -> EngineResult<Self> {
        let os = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
        let field = |name: &str| os.lines().find_map(|l| l.strip_prefix(&format!("{name}="))).map(|v| v.trim_matches('"').to_string());
        let suite = field("VERSION_CODENAME").filter(|s| !s.is_empty()).ok_or_else(|| {
            EngineError::new(ErrorCode::Docker, "cannot tell the host's release (no VERSION_CODENAME in /etc/os-release) to build the runner image")
        })?;
        let mut texts = vec![std::fs::read_to_string("/etc/apt/sources.list").unwrap_or_default()];
        if let Ok(dir) = std::fs::read_dir("/etc/apt/sources.list.d") {
            let mut files: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
            files.sort();
            texts.extend(files.iter().filter(|p| p.extension().is_some_and(|e| e == "list" || e == "sources")).filter_map(|p| std::fs::read_to_string(p).ok()));
        }
        let mirror = texts.iter().find_map(|t| main_mirror(t, &suite)).ok_or_else(|| {
            EngineError::new(ErrorCode::Docker, format!("no apt mirror for {suite} found in /etc/apt to build the runner image from"))
        })?;
        Ok(Self { suite, mirror })
    }

    /// `devteam-runner:<first 12 hex of the hash of suite, mirror, packages>`.
    pub fn tag(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.suite.as_bytes());
        h.update(self.mirror.as_bytes());
        for p in RUNNER_PACKAGES {
            h.update(p.as_bytes());
            h.update([0]);
        }
        format!("devteam-runner:{}", &hex::encode(h.finalize())[..12])
    }
}

/// The URI of a `deb` line (or a deb822 stanza) serving `suite` itself (not
/// `-security` or `-updates`).
fn main_mirror(text: &str, suite: &str) -> Option<String> {
    for line in text.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        if words.next() == Some("deb") {
            let mut rest: Vec<&str> = words.collect();
            if rest.first().is_some_and(|w| w.starts_with('[')) {
                while let Some(w) = rest.first() {
                    let last = w.ends_with(']');
                    rest.remove(0);
                    if last {
                        break;
                    }
                }
            }
            if rest.len() >= 2 && rest[1] == suite {
                return Some(rest[0].to_string());
            }
        }
    }
    // deb822: a stanza with `Suites:` naming the suite and its `URIs:`.
    for stanza in text.split("\n\n") {
        let value = |key: &str| stanza.lines().find_map(|l| l.strip_prefix(key)).map(str::trim);
        if value("Suites:").is_some_and(|s| s.split_whitespace().any(|x| x == suite)) {
            if let Some(uri) = value("URIs:").and_then(|u| u.split_whitespace().next()) {
                return Some(uri.to_string());
            }
        }
    }
    None
}

impl DockerRunner {
    /// The runner image's tag, built first when it is not there: debootstrap
    /// into a scratch folder (its output goes to `progress`), then imported.
    /// Needs root and the `debootstrap` program (scripts/dev setup).
    pub async fn ensure_runner_image(&self, scratch: &Path, progress: &mut (dyn FnMut(&str) + Send)) -> EngineResult<String> {
        let source = RunnerSource::from_host()?;
        let tag = source.tag();
        if self.client().inspect_image(&tag).await.is_ok() {
            return Ok(tag);
        }
        if which("debootstrap").is_none() {
            return Err(EngineError::new(
                ErrorCode::Docker,
                "building the runner image needs debootstrap: install it (`apt install debootstrap`, or scripts/dev setup), \
                 or give the project the `minimal` image or an image of its own",
            ));
        }
        let root = scratch.join(format!("runner-root-{}", std::process::id()));
        let _cleanup = RemoveOnDrop(root.clone());
        progress(&format!("building the runner image {tag}: {} {} from {} (a few minutes, once)", "debootstrap", source.suite, source.mirror));
        let mut child = tokio::process::Command::new("debootstrap")
            .arg("--variant=minbase")
            .arg(format!("--include={}", RUNNER_PACKAGES.join(",")))
            .arg(&source.suite)
            .arg(&root)
            .arg(&source.mirror)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| EngineError::new(ErrorCode::Docker, format!("cannot start debootstrap: {e}")))?;
        let mut out = BufReader::new(child.stdout.take().expect("piped")).lines();
        let mut err = BufReader::new(child.stderr.take().expect("piped")).lines();
        let mut last_error = String::new();
        loop {
            tokio::select! {
                line = out.next_line() => match line {
                    Ok(Some(l)) => progress(&l),
                    _ => break,
                },
                line = err.next_line() => if let Ok(Some(l)) = line {
                    progress(&l);
                    last_error = l;
                },
            }
        }
        let status = child.wait().await.map_err(|e| EngineError::new(ErrorCode::Docker, format!("debootstrap: {e}")))?;
        if !status.success() {
            return Err(EngineError::new(
                ErrorCode::Docker,
                format!("debootstrap failed ({status}): {last_error} — see {}/debootstrap/debootstrap.log; it needs root and the mirror {}", root.display(), source.mirror),
            ));
        }
        progress("importing the root into Docker");
        self.import_root(&root, &tag).await?;
        progress(&format!("runner image {tag} ready"));
        Ok(tag)
    }

    /// `docker import` of a root folder, with the runner's defaults.
    async fn import_root(&self, root: &Path, tag: &str) -> EngineResult<()> {
        let (repo, version) = tag.split_once(':').unwrap_or((tag, "latest"));
        let tar = tokio::process::Command::new("tar")
            .args(["--numeric-owner", "-C"])
            .arg(root)
            .args(["-c", "."])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| EngineError::new(ErrorCode::Docker, format!("cannot start tar: {e}")))?;
        let stdout = tar.stdout.expect("piped");
        let body = tokio_util::io::ReaderStream::with_capacity(stdout, 256 * 1024);
        let options = bollard::query_parameters::CreateImageOptions {
            from_src: Some("-".into()),
            repo: Some(repo.into()),
            tag: Some(version.into()),
            changes: vec!["ENV PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp".into(), "WORKDIR /work".into(), "CMD [\"sleep\", \"infinity\"]".into()],
            ..Default::default()
        };
        let mut stream = self.client().create_image(Some(options), Some(bollard::body_try_stream(body)), None);
        while let Some(item) = stream.next().await {
            let info = item.map_err(|e| docker_error(&format!("importing {tag}"), e))?;
            if let Some(message) = info.error_detail.and_then(|d| d.message) {
                return Err(docker_error(&format!("importing {tag}"), message));
            }
        }
        self.client().inspect_image(tag).await.map_err(|e| docker_error(&format!("importing {tag}"), e))?;
        Ok(())
    }
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin"].map(PathBuf::from))
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_mirror_is_read_from_one_line_and_deb822_sources() {
        let list = "# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm main\ndeb http://x/debian-security bookworm-security main\n";
        assert_eq!(main_mirror(list, "bookworm").as_deref(), Some("http://mirror.example/debian"));
        let deb822 = "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\n\
                      Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n";
        assert_eq!(main_mirror(deb822, "bookworm").as_deref(), Some("http://deb.debian.org/debian"));
        assert_eq!(main_mirror(deb822, "noble"), None);
    }

    #[test]
    fn the_tag_changes_with_what_goes_in() {
        let a = RunnerSource { suite: "bookworm".into(), mirror: "http://a".into() };
        let b = RunnerSource { suite: "bookworm".into(), mirror: "http://b".into() };
        assert_ne!(a.tag(), b.tag());
        assert!(a.tag().starts_with("devteam-runner:"));
        assert_eq!(a.tag(), a.clone().tag());
    }
}
