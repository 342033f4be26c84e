//! Images built locally (no registry is reachable): a recipe is a Dockerfile
//! and its files; its tag is a hash of them, so a changed recipe rebuilds and
//! an unchanged one is reused.

use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use super::{docker_error, DockerRunner};
use crate::error::{EngineError, EngineResult, ErrorCode};

/// Where the statically linked busybox comes from (Debian's busybox-static).
const BUSYBOX: &str = "/bin/busybox";
/// Overrides [`BUSYBOX`], e.g. on a distribution that puts it elsewhere.
pub const BUSYBOX_ENV: &str = "DEVTEAM_BUSYBOX";

/// One file of a build context.
#[derive(Debug, Clone)]
pub struct ImageFile {
    /// Path inside the build context, e.g. `files/usr/local/bin/fake-agent`.
    pub path: String,
    pub contents: Vec<u8>,
    pub mode: u32,
}

/// A Dockerfile and its context.
#[derive(Debug, Clone)]
pub struct ImageRecipe {
    /// Repository part of the tag, e.g. `devteam-test`.
    pub name: String,
    pub dockerfile: String,
    pub files: Vec<ImageFile>,
}

impl ImageRecipe {
    /// The tiny image of the test suite: scratch plus busybox-static, a few
    /// MB, built in seconds; `extra` files are copied over its root.
    pub fn test_image(extra: Vec<ImageFile>) -> EngineResult<Self> {
        let path = std::env::var(BUSYBOX_ENV).unwrap_or_else(|_| BUSYBOX.into());
        let busybox = std::fs::read(&path).map_err(|e| {
            EngineError::new(
                ErrorCode::Io,
                format!("cannot read a static busybox at {path} ({e}): install busybox-static (scripts/dev setup)"),
            )
        })?;
        let mut files = vec![ImageFile { path: "busybox".into(), contents: busybox, mode: 0o755 }];
        let has_extra = !extra.is_empty();
        files.extend(extra.into_iter().map(|f| ImageFile { path: format!("root/{}", f.path.trim_start_matches('/')), ..f }));
        let mut dockerfile = String::from(
            "FROM scratch\n\
             COPY busybox /bin/busybox\n\
             RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n\
             RUN mkdir -p /tmp /work /usr/local/bin && chmod 1777 /tmp\n",
        );
        if has_extra {
            dockerfile.push_str("COPY root/ /\n");
        }
        dockerfile.push_str("ENV PATH=/usr/local/bin:/bin HOME=/tmp\nWORKDIR /work\n");
        Ok(Self { name: "devteam-test".into(), dockerfile, files })
    }

    /// `name:<first 12 hex of the recipe's hash>`.
    pub fn tag(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.dockerfile.as_bytes());
        for f in &self.files {
            h.update(f.path.as_bytes());
            h.update(f.mode.to_le_bytes());
            h.update((f.contents.len() as u64).to_le_bytes());
            h.update(&f.contents);
        }
        format!("{}:{}", self.name, &hex::encode(h.finalize())[..12])
    }

    fn context_tar(&self) -> EngineResult<Vec<u8>> {
        let mut tar = tar::Builder::new(Vec::new());
        let mut add = |path: &str, data: &[u8], mode: u32| {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(mode);
            header.set_mtime(0);
            header.set_cksum();
            tar.append_data(&mut header, path, data)
        };
        add("Dockerfile", self.dockerfile.as_bytes(), 0o644).map_err(tar_error)?;
        for f in &self.files {
            add(&f.path, &f.contents, f.mode).map_err(tar_error)?;
        }
        tar.into_inner().map_err(tar_error)
    }
}

fn tar_error(e: std::io::Error) -> EngineError {
    EngineError::internal(format!("cannot pack the image's build context: {e}"))
}

impl DockerRunner {
    /// Builds the recipe unless an image with its tag exists; returns the tag.
    /// `progress` gets the build's output lines.
    pub async fn ensure_image(&self, recipe: &ImageRecipe, progress: &mut (dyn FnMut(&str) + Send)) -> EngineResult<String> {
        let tag = recipe.tag();
        if self.client().inspect_image(&tag).await.is_ok() {
            return Ok(tag);
        }
        progress(&format!("building image {tag}"));
        let options = bollard::query_parameters::BuildImageOptionsBuilder::default()
            .dockerfile("Dockerfile")
            .t(&tag)
            .rm(true)
            .forcerm(true)
            .build();
        let body = bollard::body_full(recipe.context_tar()?.into());
        let mut stream = self.client().build_image(options, None, Some(body));
        while let Some(item) = stream.next().await {
            let info = item.map_err(|e| docker_error(&format!("building {tag}"), e))?;
            if let Some(err) = info.error_detail.and_then(|d| d.message) {
                return Err(docker_error(&format!("building {tag}"), err));
            }
            if let Some(line) = info.stream.as_deref().map(str::trim_end).filter(|l| !l.is_empty()) {
                progress(line);
            }
        }
        self.client().inspect_image(&tag).await.map_err(|e| docker_error(&format!("building {tag}"), e))?;
        Ok(tag)
    }
}
