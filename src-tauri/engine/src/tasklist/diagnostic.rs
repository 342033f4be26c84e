//! Problems found in a task list, located and rendered the way compilers do:
//! `path:line:column: severity: message`, the line quoted, a caret under the column.

use serde::Serialize;
use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; never rejects a file.
    Note,
    /// Rejects the file only when the project is strict.
    Warning,
    /// Rejects the file.
    Error,
}

/// One problem at one place in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Diagnostic {
    /// The display path the caller gave.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    pub severity: Severity,
    pub message: String,
    /// The offending line as written (invalid UTF-8 replaced), without its ending.
    pub quoted: String,
}

impl Diagnostic {
    /// A diagnostic at byte `offset` of `line_text` (the raw line content).
    pub(crate) fn at(path: &str, line: usize, line_text: &[u8], offset: usize, severity: Severity, message: String) -> Diagnostic {
        let offset = offset.min(line_text.len());
        let column = String::from_utf8_lossy(&line_text[..offset]).chars().count() + 1;
        Diagnostic {
            path: path.to_string(),
            line: to_u32(line + 1),
            column: to_u32(column),
            severity,
            message,
            quoted: String::from_utf8_lossy(line_text).into_owned(),
        }
    }

    /// The first line alone: `path:line:column: severity: message`.
    pub fn headline(&self) -> String {
        let severity = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        format!("{}:{}:{}: {}: {}", self.path, self.line, self.column, severity, self.message)
    }

    /// Spaces (tabs kept as tabs, wide characters doubled) up to the column, then `^`.
    pub fn caret_line(&self) -> String {
        let mut caret = String::new();
        for ch in self.quoted.chars().take(self.column.saturating_sub(1) as usize) {
            match ch {
                '\t' => caret.push('\t'),
                c if is_wide(c) => caret.push_str("  "),
                _ => caret.push(' '),
            }
        }
        caret.push('^');
        caret
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.headline())?;
        writeln!(f, "    {}", self.quoted)?;
        write!(f, "    {}", self.caret_line())
    }
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// East Asian wide and emoji characters take two terminal cells.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD)
        || c == '✅'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler_with_the_caret_under_the_column() {
        let line = "- 2.1 Mount (Dependencies: [4.7])";
        let d = Diagnostic::at("tasks.md", 4, line.as_bytes(), 28, Severity::Error, "unknown dependency 4.7".into());
        assert_eq!(
            d.to_string(),
            "tasks.md:5:29: error: unknown dependency 4.7\n    - 2.1 Mount (Dependencies: [4.7])\n                                \
             ^"
        );
    }

    #[test]
    fn columns_count_characters_and_carets_respect_tabs_and_wide_text() {
        // A byte offset after "\t数据 " is column 5, but the caret needs 1 tab + 5 cells.
        let line = "\t数据 1.1".as_bytes();
        let d = Diagnostic::at("p", 0, line, 8, Severity::Warning, "m".into());
        assert_eq!(d.column, 5);
        assert_eq!(d.caret_line(), "\t     ^");
    }

    #[test]
    fn invalid_utf8_is_quoted_with_replacement_characters() {
        let d = Diagnostic::at("p", 0, b"a\xFFb", 2, Severity::Note, "m".into());
        assert_eq!((d.quoted.as_str(), d.column), ("a\u{FFFD}b", 3));
    }
}
