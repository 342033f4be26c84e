//! The audit log: append-only, each entry hashed (SHA-256) together with the
//! previous entry's hash, so rewriting or deleting a row breaks the chain.
//! The chain's newest entry (id and hash) is also kept in a file beside the
//! database (`<database>.audit-head`), so cutting entries off the end is
//! seen too.

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::{db_error, Store};
use crate::engine::now_iso8601_ms;
use crate::error::EngineResult;

/// The `prev_hash` of the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, by whom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct AuditEntry {
    pub project_id: String,
    pub task_id: String,
    /// `devteam` for the engine, the person's name for decisions.
    pub actor: String,
    pub action: String,
    pub detail: String,
}

/// Where the chain breaks, if it does.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct AuditCheck {
    pub entries: u32,
    /// The first row that does not fit the chain, and why.
    pub broken_at: Option<String>,
}

fn entry_hash(id: i64, at: &str, e: &AuditEntry, prev: &str) -> String {
    let mut h = Sha256::new();
    for part in [&id.to_string(), at, &e.project_id, &e.task_id, &e.actor, &e.action, &e.detail, prev] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The newest entry as the head file last recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Head {
    id: i64,
    hash: String,
}

impl Store {
    fn audit_head_path(&self) -> std::path::PathBuf {
        let mut name = self.path().as_os_str().to_os_string();
        name.push(".audit-head");
        name.into()
    }

    fn read_audit_head(&self) -> Option<Head> {
        let text = std::fs::read_to_string(self.audit_head_path()).ok()?;
        let (id, hash) = text.trim().split_once(' ')?;
        Some(Head { id: id.parse().ok()?, hash: hash.to_string() })
    }

    /// Records `head`, written to a temporary file, then renamed. Appends of
    /// this process that finished out of order never move it back; another
    /// process may (the head is then behind the table, which the check
    /// accepts).
    fn write_audit_head(&self, head: &Head) {
        if self.audit_head_written().fetch_max(head.id, std::sync::atomic::Ordering::SeqCst) > head.id {
            return;
        }
        let path = self.audit_head_path();
        let tmp = path.with_extension(format!("audit-head.{}", std::process::id()));
        let written = std::fs::write(&tmp, format!("{} {}\n", head.id, head.hash)).and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            tracing::warn!(path = %path.display(), "cannot record the audit log's head: {e}");
        }
    }

    /// Appends one entry, chained to the last.
    pub async fn append_audit(&self, e: &AuditEntry) -> EngineResult<()> {
        // IMMEDIATE: the writer lock is taken before the read of the last
        // hash, so concurrent appends (many projects) wait their turn
        // instead of failing on a stale snapshot.
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(|err| db_error("cannot write the audit log", err))?;
        let last = sqlx::query("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await
            .map_err(|err| db_error("cannot read the audit log", err))?;
        let (id, prev) = match last {
            Some(row) => (row.get::<i64, _>(0) + 1, row.get::<String, _>(1)),
            None => (1, GENESIS.to_string()),
        };
        let at = now_iso8601_ms();
        let hash = entry_hash(id, &at, e, &prev);
        sqlx::query("INSERT INTO audit (id, at, project_id, task_id, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(id)
            .bind(&at)
            .bind(&e.project_id)
            .bind(&e.task_id)
            .bind(&e.actor)
            .bind(&e.action)
            .bind(&e.detail)
            .bind(&prev)
            .bind(&hash)
            .execute(&mut *tx)
            .await
            .map_err(|err| db_error("cannot write the audit log", err))?;
        tx.commit().await.map_err(|err| db_error("cannot write the audit log", err))?;
        // After the commit: a crash in between leaves the head one entry
        // behind the table, which the check accepts.
        self.write_audit_head(&Head { id, hash });
        Ok(())
    }

    /// Walks the chain from the first entry: ids without gaps, each
    /// `prev_hash` equal to the previous `hash`, each `hash` recomputed.
    pub async fn verify_audit(&self) -> EngineResult<AuditCheck> {
        let rows = sqlx::query("SELECT id, at, project_id, task_id, actor, action, detail, prev_hash, hash FROM audit ORDER BY id")
            .fetch_all(self.pool())
            .await
            .map_err(|err| db_error("cannot read the audit log", err))?;
        let mut prev = GENESIS.to_string();
        let mut expected_id = 1i64;
        for row in &rows {
            let id: i64 = row.get(0);
            let e = AuditEntry { project_id: row.get(2), task_id: row.get(3), actor: row.get(4), action: row.get(5), detail: row.get(6) };
            let (prev_hash, hash): (String, String) = (row.get(7), row.get(8));
            let problem = if id != expected_id {
                Some(format!("entry {expected_id} is missing (next is {id})"))
            } else if prev_hash != prev {
                Some(format!("entry {id} does not follow entry {}", id - 1))
            } else if entry_hash(id, &row.get::<String, _>(1), &e, &prev_hash) != hash {
                Some(format!("entry {id} was changed after it was written"))
            } else {
                None
            };
            if let Some(p) = problem {
                return Ok(AuditCheck { entries: rows.len() as u32, broken_at: Some(p) });
            }
            prev = hash;
            expected_id += 1;
        }
        // The chain holds; its newest entries must still be there.
        if let Some(head) = self.read_audit_head() {
            let problem = match rows.iter().find(|r| r.get::<i64, _>(0) == head.id) {
                None => Some(format!("entries after {} were deleted (the log reached entry {})", rows.len(), head.id)),
                Some(row) if row.get::<String, _>(8) != head.hash => Some(format!("entry {} was changed after it was written", head.id)),
                Some(_) => None,
            };
            return Ok(AuditCheck { entries: rows.len() as u32, broken_at: problem });
        }
        Ok(AuditCheck { entries: rows.len() as u32, broken_at: None })
    }
}
