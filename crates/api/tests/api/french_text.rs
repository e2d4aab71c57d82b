//! The French of the screens, the e-mails and the API's messages, read in the sources: no
//! bracketed plural or gender (« souhait(s) », « Né(e) »: the domain's `format::count`,
//! `agree` and `born_on` say it), no « de » before a vowel (`format::of_place` elides), and the
//! guillemets held to their words by non-breaking spaces (« Mon planning » never ends a line
//! with a lone »).

use std::path::{Path, PathBuf};

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The contents of the ordinary string literals of a Rust file, with their line numbers
/// (comments and raw strings are skipped; escapes are left as written).
fn literals(text: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    let (mut i, mut line, mut found) = (0, 1, Vec::new());
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
            i += 2;
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && (i == 0 || !chars[i - 1].is_alphanumeric())
        {
            // A raw string: to its closing quote and hashes.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                i += 1;
                continue;
            }
            j += 1;
            while j < chars.len() {
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    break;
                }
                line += usize::from(chars[j] == '\n');
                j += 1;
            }
            i = j + 1 + hashes;
        } else if c == '\'' {
            // A char literal ('"', '\'', '\u{a0}') or a lifetime.
            if next == Some('\\') {
                let close = (i + 2..chars.len())
                    .find(|&k| chars[k] == '\'')
                    .unwrap_or(i + 2);
                i = close + 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if c == '"' {
            let start_line = line;
            let mut j = i + 1;
            let mut content = String::new();
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    content.push(chars[j]);
                    j += 1;
                }
                if let Some(&d) = chars.get(j) {
                    line += usize::from(d == '\n');
                    content.push(d);
                }
                j += 1;
            }
            found.push((start_line, content));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    found
}

fn problems(text: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    for bracket in ["(s)", "(e)", "(es)", "(x)", "(ne)"] {
        if text.contains(bracket) {
            found.push("bracketed plural or gender");
        }
    }
    if text.contains("« ") || text.contains(" »") {
        found.push("guillemet with an ordinary space");
    }
    let words: Vec<&str> = text.split(' ').collect();
    for pair in words.windows(2) {
        let vowel = pair[1]
            .chars()
            .next()
            .is_some_and(|c| "AEIOUYÉÈÊÂÎÔaeiouyéèêâîô".contains(c));
        if (pair[0] == "de" || pair[0] == "De" || pair[0] == "que") && vowel {
            found.push("« de » or « que » before a vowel");
        }
        // « de » before a name or a month the program fills in: « de Emma », « de avril ».
        // `format::de` (or `of_place`) elides; an amount or a number may follow « de » as is.
        if (pair[0] == "de" || pair[0] == "De")
            && pair[1].starts_with('{')
            && !NUMBERS_AFTER_DE.iter().any(|n| pair[1].starts_with(n))
            && !pair[1][1..].starts_with(|c: char| c.is_ascii_uppercase())
        {
            found.push("« de » before a filled-in word: use format::de");
        }
        // « 1 places »: a number filled in before a plural noun; `format::count` agrees it.
        if pair[0].starts_with('{')
            && pair[0].ends_with('}')
            && !pair[0][1..].starts_with(|c: char| c.is_ascii_uppercase())
            && PLURAL_NOUNS.contains(&pair[1])
        {
            found.push("a filled-in number before a plural noun: use format::count");
        }
    }
    found
}

/// What may follow « de » unelided: amounts and numbers (« un paiement de 12,50 € »).
/// A constant (`{MAX_PER_PAGE}`) may too.
const NUMBERS_AFTER_DE: [&str; 5] = ["{qf}", "{amount", "{year}", "{detail}", "{rank}"];

/// Nouns a count comes before.
const PLURAL_NOUNS: [&str; 10] = [
    "places",
    "jours",
    "enfants",
    "factures",
    "souhaits",
    "réservations",
    "lignes",
    "familles",
    "demandes",
    "documents",
];

#[test]
fn the_french_of_screens_emails_and_messages_is_written_properly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in [
        "frontend/src",
        "crates/service/src",
        "crates/domain/src",
        "crates/api/src",
    ] {
        sources(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "the sources were found");
    let mut wrong = Vec::new();
    for file in &files {
        // The helpers that write « de » themselves (`format::de`, `of_place`), unit-tested there.
        if file.ends_with("crates/domain/src/format.rs") {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("utf-8 source");
        for (line, literal) in literals(&text) {
            for problem in problems(&literal) {
                wrong.push(format!(
                    "{}:{line}: {problem}: \"{literal}\"",
                    file.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_scan_sees_what_it_looks_for() {
    assert_eq!(problems("2 souhait(s)"), ["bracketed plural or gender"]);
    assert_eq!(problems("Né(e) le"), ["bracketed plural or gender"]);
    assert_eq!(
        problems("dans « Mon planning »"),
        ["guillemet with an ordinary space"]
    );
    assert_eq!(
        problems("la commune de Avermes"),
        ["« de » or « que » before a vowel"]
    );
    assert!(problems("la commune d'Avermes, «\u{a0}Mon planning\u{a0}», 2 souhaits").is_empty());
    assert_eq!(
        problems("Planning de {child_name}"),
        ["« de » before a filled-in word: use format::de"]
    );
    assert_eq!(
        problems("Votre facture de {} est disponible"),
        ["« de » before a filled-in word: use format::de"]
    );
    assert!(problems("un paiement de {amount}").is_empty());
    assert_eq!(
        problems("{taken} places sont déjà prises"),
        ["a filled-in number before a plural noun: use format::count"]
    );
    let found = literals("let a = \"x (s)\"; // \"(s)\"\nlet b = r\"(s)\"; let c = '\"';");
    assert_eq!(found, [(1, "x (s)".to_owned())]);
}
