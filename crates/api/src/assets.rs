//! The web app's files compressed once, when the app is built (`portail compress-assets`,
//! called by `scripts/build-frontend`), so the server sends `file.br` or `file.gz` as they are
//! instead of compressing on each request ([`crate::spa::precompressed`]). Brotli at its
//! highest quality costs seconds per megabyte: right for a build, wrong for a request.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// The extensions worth compressing. HTML pages are left out: the server rewrites them on each
/// request (commune name, content security policy) and they are small.
pub const COMPRESSIBLE: &[&str] = &["wasm", "js", "css", "svg", "json", "txt"];

/// One file and its compressed sizes.
#[derive(Debug)]
pub struct Compressed {
    pub path: PathBuf,
    pub original: u64,
    pub brotli: u64,
    pub gzip: u64,
}

/// Writes `name.br` and `name.gz` beside every compressible file under `dir`, replacing older
/// ones; returns what it wrote, sorted by path.
pub fn compress_dir(dir: &Path) -> anyhow::Result<Vec<Compressed>> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    files.iter().map(|path| compress_file(path)).collect()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| COMPRESSIBLE.contains(&ext))
        {
            files.push(path);
        }
    }
    Ok(())
}

fn compress_file(path: &Path) -> anyhow::Result<Compressed> {
    let data = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let brotli = brotli_bytes(&data)?;
    let gzip = gzip_bytes(&data)?;
    let brotli_path = with_suffix(path, "br");
    let gzip_path = with_suffix(path, "gz");
    std::fs::write(&brotli_path, &brotli)
        .with_context(|| format!("cannot write {}", brotli_path.display()))?;
    std::fs::write(&gzip_path, &gzip)
        .with_context(|| format!("cannot write {}", gzip_path.display()))?;
    Ok(Compressed {
        path: path.to_owned(),
        original: len(data.len()),
        brotli: len(brotli.len()),
        gzip: len(gzip.len()),
    })
}

/// `app.wasm` → `app.wasm.br`.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Brotli at quality 11 with a 4 MiB window (`lgwin` 22): what every browser decodes.
pub fn brotli_bytes(data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() / 3);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer.write_all(data).context("brotli")?;
        writer.flush().context("brotli")?;
    }
    Ok(out)
}

fn gzip_bytes(data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::best(),
    );
    encoder.write_all(data).context("gzip")?;
    encoder.finish().context("gzip")
}

fn len(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    #[test]
    fn both_compressed_files_decode_to_the_original_and_html_is_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let nested = dir.path().join("staff");
        std::fs::create_dir(&nested).expect("staff dir");
        let wasm: Vec<u8> = (0..200_000_u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(nested.join("app_bg.wasm"), &wasm).expect("wasm");
        std::fs::write(dir.path().join("index.html"), "<html></html>").expect("html");

        let written = compress_dir(dir.path()).expect("compressed");

        assert_eq!(written.len(), 1, "{written:?}");
        assert_eq!(written[0].original, 200_000);
        assert!(written[0].brotli < 10_000, "{written:?}");
        let mut decoded = Vec::new();
        brotli::Decompressor::new(
            std::fs::File::open(nested.join("app_bg.wasm.br")).expect("br"),
            4096,
        )
        .read_to_end(&mut decoded)
        .expect("brotli decodes");
        assert_eq!(decoded, wasm);
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(nested.join("app_bg.wasm.gz")).expect("gz"),
        )
        .read_to_end(&mut decoded)
        .expect("gzip decodes");
        assert_eq!(decoded, wasm);
        assert!(!dir.path().join("index.html.br").exists());
    }
}
