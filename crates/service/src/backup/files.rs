//! The files of a backup: SHA-256 entries, private copies, synced writes, and the checks that
//! a backup goes into a new folder and a restore into an empty one.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail, ensure};
use sha2::{Digest as _, Sha256};

use super::FileEntry;

/// The document store's names: 32 lowercase hexadecimal digits (a UUID, simple form).
pub(super) fn is_storage_key(key: &str) -> bool {
    key.len() == 32 && key.chars().all(|c| c.is_ascii_hexdigit())
}

pub(super) fn prepare_empty_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        ensure!(
            std::fs::read_dir(dir)?.next().is_none(),
            "le dossier {} n'est pas vide : une sauvegarde va dans un dossier neuf",
            dir.display()
        );
    } else {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("impossible de créer le dossier {}", dir.display()))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // The secret and the families' documents: readable by the owner only.
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The data folder of a restore may not exist, or hold only empty folders (what a first,
/// aborted start leaves); anything else would be mixed with the restored data.
pub(super) fn ensure_empty_data_dir(dir: &Path) -> anyhow::Result<()> {
    fn has_files(dir: &Path) -> std::io::Result<Option<PathBuf>> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                if let Some(found) = has_files(&entry.path())? {
                    return Ok(Some(found));
                }
            } else {
                return Ok(Some(entry.path()));
            }
        }
        Ok(None)
    }
    if !dir.exists() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("impossible de créer le dossier {}", dir.display()))?;
        return Ok(());
    }
    if let Some(found) = has_files(dir)? {
        bail!(
            "le dossier de données {} n'est pas vide ({} s'y trouve) : la restauration ne remplace jamais des données ; désignez un dossier vide (PORTAIL_DATA_DIR)",
            dir.display(),
            found.display()
        );
    }
    Ok(())
}

pub(super) fn entry(root: &Path, relative: &str) -> anyhow::Result<FileEntry> {
    let path = root.join(relative);
    let mut file = std::fs::File::open(&path)
        .with_context(|| format!("impossible de lire {}", path.display()))?;
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut file, &mut hasher)?;
    Ok(FileEntry {
        path: relative.to_owned(),
        sha256: hex(&hasher.finalize()),
        bytes,
    })
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

pub(super) fn copy_private(from: &Path, to: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(from)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    use std::io::Write as _;
    let mut file = options
        .open(to)
        .with_context(|| format!("impossible d'écrire {}", to.display()))?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    Ok(())
}

pub(super) fn write_synced(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}
