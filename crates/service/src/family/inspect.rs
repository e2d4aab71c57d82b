//! Is an uploaded file what a family may send? Decided from its bytes, never from its name or
//! declared type: PDF, JPEG or PNG only, complete, without active content, and nothing a
//! browser could take for a web page.

/// The largest document accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Jpeg,
    Png,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Self::Pdf, Self::Jpeg, Self::Png];

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Le fichier est vide.")]
    Empty,
    #[error(
        "Le fichier dépasse 10 Mo. Réduisez sa taille (par exemple en le scannant en noir et blanc) puis réessayez."
    )]
    TooLarge,
    #[error(
        "Seuls les fichiers PDF, JPEG et PNG sont acceptés : ce fichier est d'un autre type, quel que soit son nom."
    )]
    UnsupportedType,
    #[error("Ce fichier est incomplet ou abîmé. Enregistrez-le de nouveau puis réessayez.")]
    Corrupt,
    #[error(
        "Ce fichier contient du contenu actif (script ou page web) : il est refusé par sécurité. Imprimez-le en PDF puis déposez le nouveau fichier."
    )]
    ActiveContent,
    #[error(
        "Le nom du fichier n'est pas valide : il ne doit contenir ni «\u{a0}/\u{a0}», ni «\u{a0}\\\u{a0}», ni «\u{a0}..\u{a0}», ni caractère de contrôle."
    )]
    InvalidFilename,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "empty_file",
            Self::TooLarge => "file_too_large",
            Self::UnsupportedType => "unsupported_file_type",
            Self::Corrupt => "corrupt_file",
            Self::ActiveContent => "active_content",
            Self::InvalidFilename => "invalid_filename",
        }
    }
}

/// The filename as it will be offered for download: no path, no control characters, at most
/// 200 characters as sent (the `filename` parameter's pattern in the OpenAPI document).
pub fn check_filename(raw: &str) -> Result<String, Refusal> {
    let name = raw.trim();
    let bad = name.is_empty()
        || raw.chars().count() > 200
        || name.contains(['/', '\\'])
        || name.contains("..")
        || name.chars().any(char::is_control)
        || name.starts_with('.');
    if bad {
        Err(Refusal::InvalidFilename)
    } else {
        Ok(name.to_owned())
    }
}

/// What the bytes are, or why they are refused.
pub fn inspect(bytes: &[u8]) -> Result<Kind, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refusal::TooLarge);
    }
    let kind = match infer::get(bytes).map(|t| t.mime_type()) {
        Some("application/pdf") => Kind::Pdf,
        Some("image/jpeg") => Kind::Jpeg,
        Some("image/png") => Kind::Png,
        _ => return Err(Refusal::UnsupportedType),
    };
    // Browsers sniff the first bytes for HTML: a file that also reads as a web page (a
    // "polyglot") is refused, whatever it starts with.
    if looks_like_html(&bytes[..bytes.len().min(1024)]) {
        return Err(Refusal::ActiveContent);
    }
    match kind {
        Kind::Pdf => {
            if !contains(tail(bytes, 2048), b"%%EOF") {
                return Err(Refusal::Corrupt);
            }
            if contains(bytes, b"/JavaScript")
                || contains(bytes, b"/JS ")
                || contains(bytes, b"/JS(")
                || contains(bytes, b"/Launch")
                || looks_like_html(bytes)
            {
                return Err(Refusal::ActiveContent);
            }
        }
        Kind::Jpeg => {
            if !tail(bytes, 64).windows(2).any(|w| w == [0xFF, 0xD9]) {
                return Err(Refusal::Corrupt);
            }
        }
        Kind::Png => {
            if !contains(tail(bytes, 64), b"IEND") {
                return Err(Refusal::Corrupt);
            }
        }
    }
    Ok(kind)
}

fn tail(bytes: &[u8], n: usize) -> &[u8] {
    &bytes[bytes.len().saturating_sub(n)..]
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let lower: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
    [
        &b"<html"[..],
        b"<script",
        b"<!doctype html",
        b"<iframe",
        b"<svg",
        b"<body",
        b"javascript:",
    ]
    .iter()
    .any(|marker| contains(&lower, marker))
}

#[cfg(test)]
pub mod samples {
    //! Tiny but well-formed files, for tests.

    pub fn pdf() -> Vec<u8> {
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
    }

    pub fn png() -> Vec<u8> {
        let mut bytes = vec![
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
        ];
        bytes.extend_from_slice(&[
            0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE,
        ]);
        bytes.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]);
        bytes
    }

    pub fn jpeg() -> Vec<u8> {
        let mut bytes = vec![
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00,
            0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        ];
        bytes.extend_from_slice(&[0xFF, 0xD9]);
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_jpeg_and_png_are_recognised_by_their_bytes() {
        assert_eq!(inspect(&samples::pdf()), Ok(Kind::Pdf));
        assert_eq!(inspect(&samples::jpeg()), Ok(Kind::Jpeg));
        assert_eq!(inspect(&samples::png()), Ok(Kind::Png));
    }

    #[test]
    fn executables_web_pages_and_text_are_refused_whatever_their_name() {
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0\x01\0\0\0".to_vec();
        let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
        let html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".to_vec();
        for bytes in [elf, exe, html, b"just some text".to_vec()] {
            assert_eq!(inspect(&bytes), Err(Refusal::UnsupportedType));
        }
    }

    #[test]
    fn a_pdf_that_is_also_a_web_page_or_carries_scripts_is_refused() {
        let mut polyglot =
            b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n".to_vec();
        polyglot.extend_from_slice(b"%%EOF\n");
        assert_eq!(inspect(&polyglot), Err(Refusal::ActiveContent));
        let mut scripted = samples::pdf();
        scripted.splice(
            9..9,
            b"3 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n"
                .iter()
                .copied(),
        );
        assert_eq!(inspect(&scripted), Err(Refusal::ActiveContent));
    }

    #[test]
    fn empty_truncated_and_oversized_files_are_refused() {
        assert_eq!(inspect(&[]), Err(Refusal::Empty));
        let truncated = &samples::pdf()[..20];
        assert_eq!(inspect(truncated), Err(Refusal::Corrupt));
        let mut big = samples::pdf();
        big.resize(MAX_BYTES + 1, b' ');
        assert_eq!(inspect(&big), Err(Refusal::TooLarge));
    }

    #[test]
    fn filenames_with_paths_are_refused() {
        for bad in [
            "../../etc/passwd",
            "..\\x.pdf",
            "a/b.pdf",
            "",
            ".htaccess",
            "x\u{0}.pdf",
        ] {
            assert_eq!(
                check_filename(bad),
                Err(Refusal::InvalidFilename),
                "{bad:?}"
            );
        }
        assert_eq!(
            check_filename(" facture EDF.pdf "),
            Ok("facture EDF.pdf".into())
        );
    }
}
