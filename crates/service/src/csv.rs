//! CSV as French spreadsheet software opens it: UTF-8 with a byte-order mark, `;` between
//! cells, CRLF line ends, every text cell quoted, and a cell that starts like a formula read
//! as text (CSV injection: `=`, `+`, `-`, `@`, tab, carriage return).

/// Starts every file: the byte-order mark that tells spreadsheets the file is UTF-8.
pub const BOM: &str = "\u{feff}";

/// A text cell, quoted, formula-safe.
pub fn text(value: &str) -> String {
    let safe = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    format!("\"{}\"", safe.replace('"', "\"\""))
}

/// Appends one line of cells (already made with [`text`] or numbers) to `out`.
pub fn push_line(out: &mut String, cells: &[String]) {
    out.push_str(&cells.join(";"));
    out.push_str("\r\n");
}

/// The header line, after the byte-order mark.
pub fn header(columns: &[&str]) -> String {
    let mut out = String::from(BOM);
    out.push_str(&columns.join(";"));
    out.push_str("\r\n");
    out
}

/// A date as French spreadsheets read it.
pub fn date(day: chrono::NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_never_formulas() {
        assert_eq!(text("Dupont"), "\"Dupont\"");
        assert_eq!(text("a \"b\"; c"), "\"a \"\"b\"\"; c\"");
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text("-1"), "\"'-1\"");
        let mut out = header(&["A", "B"]);
        push_line(&mut out, &[text("x"), "3".into()]);
        assert_eq!(out, "\u{feff}A;B\r\n\"x\";3\r\n");
    }
}
