//! Where the families' documents are kept: files under the data folder, named by the server,
//! written through a temporary file. The ground floor of the crate: the context holds it, the
//! documents, the retention and the backups use it.

use std::path::PathBuf;

use anyhow::Context as _;
use uuid::Uuid;

/// Where the files live: `<data dir>/documents/<uuid>`, no extension, never served directly.
#[derive(Clone)]
pub struct DocumentStore {
    root: PathBuf,
}

impl DocumentStore {
    pub fn new(root: PathBuf) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&root)
            .with_context(|| format!("impossible de créer le dossier {}", root.display()))?;
        Ok(Self { root })
    }

    fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    /// Writes the bytes under a new name (via a temporary file, so a crash leaves no half file).
    pub(crate) async fn write(&self, bytes: &[u8]) -> anyhow::Result<String> {
        let key = Uuid::new_v4().simple().to_string();
        let temp = self.root.join(format!(".{key}.part"));
        tokio::fs::write(&temp, bytes)
            .await
            .context("Failed to write an uploaded file")?;
        tokio::fs::rename(&temp, self.path(&key))
            .await
            .context("Failed to move an uploaded file in place")?;
        Ok(key)
    }

    pub async fn read(&self, key: &str) -> anyhow::Result<Vec<u8>> {
        tokio::fs::read(self.path(key))
            .await
            .with_context(|| format!("Failed to read the stored document {key}"))
    }

    pub async fn remove(&self, key: &str) {
        if let Err(error) = tokio::fs::remove_file(self.path(key)).await {
            tracing::warn!(key, error = %error, "a stored document could not be removed");
        }
    }

    /// Every stored file's key and real age (for the retention's sweep of orphan files);
    /// temporary files being written are left out.
    pub fn stored(&self) -> anyhow::Result<Vec<(String, std::time::Duration)>> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&self.root)
            .with_context(|| format!("impossible de lire {}", self.root.display()))?
        {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let age = entry.metadata()?.modified()?.elapsed().unwrap_or_default();
            found.push((name, age));
        }
        Ok(found)
    }

    /// How many files are stored (for tests: a refused upload stores nothing).
    pub fn count(&self) -> usize {
        std::fs::read_dir(&self.root)
            .map(|d| d.filter_map(Result::ok).count())
            .unwrap_or(0)
    }
}
