//! No silent default on a code read back from the database: `X::parse(&row.field)
//! .unwrap_or(<a variant>)` would read an unknown stored status as some other status (a
//! refused document as pending, a credit note as an invoice). Stored codes are read with
//! `portail_domain::string_enum::stored`, which fails with the code it did not know.

#[test]
fn no_stored_code_is_read_with_a_silent_default() {
    let pattern = regex_lite::Regex::new(
        r"[A-Z][A-Za-z]+::parse\((?:[^;()]|\([^;()]*\))*\)\s*\.unwrap_or(?:_default|_else)?\(",
    )
    .expect("pattern");
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                for m in pattern.find_iter(&text) {
                    let line = text[..m.start()].matches('\n').count() + 1;
                    found.push(format!("{}:{line}: {}", path.display(), m.as_str()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "stored codes read with a silent default (use string_enum::stored):\n{}",
        found.join("\n")
    );
}
