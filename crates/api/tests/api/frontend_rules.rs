//! Rules of the web app's source that no compiler checks.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a folder of the web app") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A listener put on a component from outside (`<Button on:click=…>`) is not replaced when the
/// view is drawn again in place with new data: the button kept the first drawing's closure,
/// with its disposed signals (« Valider le dossier » did nothing after documents were reviewed).
/// Components take their actions as props (`on_click=Callback::new(…)`); `on:` is for elements.
#[test]
fn no_listener_is_put_on_a_component_from_outside() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../frontend/src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 20, "the web app's sources were found");
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("utf-8");
        for (at, _) in text.match_indices('<') {
            let rest = &text[at + 1..];
            if !rest.starts_with(|c: char| c.is_ascii_uppercase()) {
                continue;
            }
            let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
            if tag.contains(" on:") || tag.contains("\ton:") || tag.contains("\non:") {
                let line = text[..at].lines().count();
                found.push(format!(
                    "{}:{line}: <{}",
                    file.display(),
                    tag.lines().next().unwrap_or("")
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "`on:` on a component:\n{}",
        found.join("\n")
    );
}
