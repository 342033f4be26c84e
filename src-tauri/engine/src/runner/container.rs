//! One container per project, reused across its tasks, hardened by default:
//! non-root, no capabilities, no new privileges, read-only root with a tmpfs
//! `/tmp`, memory/CPU/pids limits, and no network unless asked for.

use std::collections::HashMap;
use std::path::PathBuf;

use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, KillContainerOptionsBuilder, RemoveContainerOptionsBuilder,
};

use super::{docker_error, DockerRunner};
use crate::error::EngineResult;

/// Where the worktree appears inside the container.
pub const WORKTREE_MOUNT: &str = "/work";

/// What a project's container looks like.
#[derive(Debug, Clone)]
pub struct ContainerSpec {
    /// Docker name, e.g. `devteam-acme-crm`; also how it is found again.
    pub name: String,
    pub image: String,
    /// The project's worktree on the host, bind-mounted at `/work`.
    pub worktree: PathBuf,
    /// `uid:gid`, never root.
    pub user: String,
    pub memory_bytes: i64,
    pub cpus: f64,
    pub pids: i64,
    /// Whether the agent needs to reach an API.
    pub network: bool,
}

/// Label holding [`ContainerSpec::fingerprint`]: a container is reused only
/// when it was made from the very same spec.
const SPEC_LABEL: &str = "devteam.spec";

impl ContainerSpec {
    /// Everything that shapes the container, hashed.
    fn fingerprint(&self) -> String {
        use sha2::Digest;
        let text = format!(
            "{}|{}|{}|{}|{}|{}|{}",
            self.image,
            self.worktree.display(),
            self.user,
            self.memory_bytes,
            self.cpus,
            self.pids,
            self.network
        );
        hex::encode(sha2::Sha256::digest(text.as_bytes()))[..16].to_string()
    }

    /// The project defaults: 2 GiB, 1 CPU, 512 pids, no network.
    pub fn new(name: impl Into<String>, image: impl Into<String>, worktree: impl Into<PathBuf>) -> Self {
        Self {
            name: name.into(),
            image: image.into(),
            worktree: worktree.into(),
            user: "1000:1000".into(),
            memory_bytes: 2 * 1024 * 1024 * 1024,
            cpus: 1.0,
            pids: 512,
            network: false,
        }
    }

    fn body(&self) -> ContainerCreateBody {
        let host = HostConfig {
            binds: Some(vec![format!("{}:{WORKTREE_MOUNT}", self.worktree.display())]),
            cap_drop: Some(vec!["ALL".into()]),
            security_opt: Some(vec!["no-new-privileges".into()]),
            readonly_rootfs: Some(true),
            tmpfs: Some(HashMap::from([("/tmp".to_string(), "rw,nosuid,nodev,size=512m".to_string())])),
            memory: Some(self.memory_bytes),
            memory_swap: Some(self.memory_bytes),
            nano_cpus: Some((self.cpus * 1e9) as i64),
            pids_limit: Some(self.pids),
            network_mode: Some(if self.network { "bridge" } else { "none" }.into()),
            ..Default::default()
        };
        ContainerCreateBody {
            image: Some(self.image.clone()),
            user: Some(self.user.clone()),
            working_dir: Some(WORKTREE_MOUNT.into()),
            // Stays up doing nothing; commands arrive as execs.
            cmd: Some(vec!["sh".into(), "-c".into(), "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done".into()]),
            labels: Some(HashMap::from([
                ("devteam".to_string(), "project".to_string()),
                (SPEC_LABEL.to_string(), self.fingerprint()),
            ])),
            host_config: Some(host),
            ..Default::default()
        }
    }
}

impl DockerRunner {
    /// Starts the project's container, reusing it when it was made from the
    /// same spec (image, worktree, user, limits); any other is replaced.
    pub async fn ensure_container(&self, spec: &ContainerSpec) -> EngineResult<()> {
        let docker = self.client();
        if let Ok(found) = docker.inspect_container(&spec.name, None).await {
            let labels = found.config.as_ref().and_then(|c| c.labels.as_ref());
            let same = labels.and_then(|l| l.get(SPEC_LABEL)) == Some(&spec.fingerprint());
            let running = found.state.as_ref().and_then(|s| s.running).unwrap_or(false);
            if same && running {
                return Ok(());
            }
            if same {
                return docker
                    .start_container(&spec.name, None)
                    .await
                    .map_err(|e| docker_error(&format!("starting container {}", spec.name), e));
            }
            self.remove_container(&spec.name).await?;
        }
        let options = CreateContainerOptionsBuilder::default().name(&spec.name).build();
        docker
            .create_container(Some(options), spec.body())
            .await
            .map_err(|e| docker_error(&format!("creating container {}", spec.name), e))?;
        docker
            .start_container(&spec.name, None)
            .await
            .map_err(|e| docker_error(&format!("starting container {}", spec.name), e))
    }

    /// Kills every process in the container now and starts it again empty:
    /// how a run that hit a limit, or an emergency stop, ends for sure.
    pub async fn restart_container(&self, name: &str) -> EngineResult<()> {
        let options = KillContainerOptionsBuilder::default().signal("SIGKILL").build();
        // Already stopped is fine: the goal is "nothing runs in it".
        let _ = self.client().kill_container(name, Some(options)).await;
        self.client()
            .start_container(name, None)
            .await
            .map_err(|e| docker_error(&format!("restarting container {name}"), e))
    }

    pub async fn remove_container(&self, name: &str) -> EngineResult<()> {
        let options = RemoveContainerOptionsBuilder::default().force(true).build();
        match self.client().remove_container(name, Some(options)).await {
            Ok(()) => Ok(()),
            Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => Ok(()),
            Err(e) => Err(docker_error(&format!("removing container {name}"), e)),
        }
    }
}
