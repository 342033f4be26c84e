//! A deliberately small reading of a POSIX shell command line: just enough to
//! name every program it would start, so the allowlist can be enforced before
//! anything runs. Whatever it cannot read for sure (substitutions, subshells,
//! keywords, here-documents, computed program names) it refuses.

/// Why a command line cannot be checked against the allowlist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{construct}")]
pub struct Unreadable {
    /// The construct, in words: "command substitution `$(…)`".
    pub construct: String,
}

fn unreadable<T>(construct: impl Into<String>) -> Result<T, Unreadable> {
    Err(Unreadable { construct: construct.into() })
}

/// Words reserved by the shell at a command's start; a command beginning with
/// one is compound syntax this reader does not follow.
const RESERVED: &[&str] = &[
    "{", "}", "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in",
    "function", "select", "[[", "]]", "time", "coproc",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// `;`, `&` or a newline: the next command starts afresh.
    Sequence,
    /// `&&`, `||` or `|`: a command must follow.
    Joins,
}

#[derive(Debug)]
enum Token {
    /// `text` is the word after quote removal; `raw` as written.
    Word { text: String, raw: String, dynamic: bool },
    Redirect,
    Op(Op),
}

/// One simple command of a script: the program and its arguments (after
/// quote removal; `None` for an argument computed when it runs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    pub program: String,
    pub args: Vec<Option<String>>,
}

/// Every program `script` would start, in order (`A=1 cargo test && npm ci`
/// gives `cargo`, `npm`). An `env` prefix with assignments is looked through.
pub fn command_words(script: &str) -> Result<Vec<String>, Unreadable> {
    Ok(commands(script)?.into_iter().map(|c| c.program).collect())
}

/// Every simple command `script` would run, in order, with its arguments.
pub fn commands(script: &str) -> Result<Vec<CommandLine>, Unreadable> {
    let tokens = tokenize(script)?;
    let mut programs: Vec<CommandLine> = Vec::new();
    let mut program: Option<String> = None;
    let (mut empty, mut after_redirect, mut via_env, mut last_joins) = (true, false, false, false);
    for token in tokens {
        match token {
            Token::Redirect if after_redirect => return unreadable("a redirection without a target"),
            Token::Redirect => (empty, after_redirect) = (false, true),
            Token::Word { .. } if after_redirect => after_redirect = false,
            Token::Word { text, dynamic, .. } if program.is_some() => {
                if let Some(command) = programs.last_mut() {
                    command.args.push((!dynamic).then_some(text));
                }
            }
            Token::Word { text, raw, dynamic } => {
                let first = empty;
                empty = false;
                if is_assignment(&raw) {
                    continue;
                }
                if via_env && text.starts_with('-') {
                    return unreadable(format!("options of `env` (`{text}`)"));
                }
                if text == "env" && raw == "env" && !via_env {
                    via_env = true;
                    continue;
                }
                if text == "!" && raw == "!" && first {
                    empty = true;
                    continue;
                }
                if RESERVED.contains(&raw.as_str()) || raw == "!" {
                    return unreadable(format!("the shell keyword `{raw}`"));
                }
                if dynamic {
                    return unreadable(format!("a program name computed when it runs (`{raw}`)"));
                }
                programs.push(CommandLine { program: text.clone(), args: Vec::new() });
                program = Some(text);
            }
            Token::Op(op) => {
                if after_redirect {
                    return unreadable("a redirection without a target");
                }
                if empty && (op == Op::Joins || last_joins) {
                    return unreadable("an operator with no command on one side");
                }
                if via_env && program.is_none() {
                    programs.push(CommandLine { program: "env".into(), args: Vec::new() });
                }
                (program, empty, via_env, last_joins) = (None, true, false, op == Op::Joins);
            }
        }
    }
    if after_redirect {
        return unreadable("a redirection without a target");
    }
    if empty && last_joins {
        return unreadable("an operator with no command on one side");
    }
    if via_env && program.is_none() {
        programs.push(CommandLine { program: "env".into(), args: Vec::new() });
    }
    if programs.is_empty() {
        return unreadable("no command at all");
    }
    Ok(programs)
}

/// `NAME=…` written without quotes in the name part, as the shell requires.
fn is_assignment(raw: &str) -> bool {
    let Some((name, _)) = raw.split_once('=') else { return false };
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

struct Word {
    text: String,
    raw: String,
    dynamic: bool,
    started: bool,
}

impl Word {
    fn new() -> Self {
        Self { text: String::new(), raw: String::new(), dynamic: false, started: false }
    }

    fn flush(&mut self, tokens: &mut Vec<Token>) {
        if self.started {
            let word = std::mem::replace(self, Word::new());
            tokens.push(Token::Word { text: word.text, raw: word.raw, dynamic: word.dynamic });
        }
    }
}

fn tokenize(script: &str) -> Result<Vec<Token>, Unreadable> {
    let chars: Vec<char> = script.chars().collect();
    let mut tokens = Vec::new();
    let mut word = Word::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' => word.flush(&mut tokens),
            '\n' => {
                word.flush(&mut tokens);
                // After `&&`, `||` or `|` a newline only continues the line.
                if !matches!(tokens.last(), Some(Token::Op(Op::Joins))) {
                    tokens.push(Token::Op(Op::Sequence));
                }
            }
            '#' if !word.started => {
                while i + 1 < chars.len() && chars[i + 1] != '\n' {
                    i += 1;
                }
            }
            ';' if next == Some(';') => return unreadable("`;;` (a `case` branch)"),
            ';' => {
                word.flush(&mut tokens);
                tokens.push(Token::Op(Op::Sequence));
            }
            '&' if next == Some('>') => {
                word.flush(&mut tokens);
                tokens.push(Token::Redirect);
                i += if chars.get(i + 2) == Some(&'>') { 2 } else { 1 };
            }
            '&' | '|' => {
                word.flush(&mut tokens);
                if next == Some('&') && c == '|' {
                    return unreadable("`|&`");
                }
                if next == Some(c) {
                    i += 1;
                    tokens.push(Token::Op(Op::Joins));
                } else {
                    tokens.push(Token::Op(if c == '|' { Op::Joins } else { Op::Sequence }));
                }
            }
            '(' | ')' => return unreadable("a subshell `( … )`"),
            '`' => return unreadable("backticks (command substitution)"),
            '$' if next == Some('(') => return unreadable("command substitution `$( … )`"),
            '<' | '>' => {
                if next == Some('(') {
                    return unreadable("process substitution");
                }
                if c == '<' && next == Some('<') {
                    return unreadable("a here-document `<<`");
                }
                // `2>` : the digits before the operator name a descriptor, not a word.
                if word.started && !word.raw.is_empty() && word.raw.chars().all(|d| d.is_ascii_digit()) {
                    word = Word::new();
                }
                word.flush(&mut tokens);
                tokens.push(Token::Redirect);
                let pairs = if c == '>' { matches!(next, Some('>' | '&' | '|')) } else { matches!(next, Some('>' | '&')) };
                if pairs {
                    i += 1;
                }
            }
            '\'' => {
                let Some(len) = chars[i + 1..].iter().position(|&q| q == '\'') else {
                    return unreadable("an unterminated quote");
                };
                word.started = true;
                word.text.extend(&chars[i + 1..i + 1 + len]);
                word.raw.extend(&chars[i..i + 2 + len]);
                i += len + 1;
            }
            '"' => i = double_quoted(&chars, i, &mut word)?,
            '\\' => {
                match next {
                    Some('\n') => {}
                    Some(n) => {
                        word.started = true;
                        word.text.push(n);
                        word.raw.extend(['\\', n]);
                    }
                    None => return unreadable("a trailing backslash"),
                }
                i += 1;
            }
            _ => {
                word.started = true;
                // A glob or an expansion; a lone `[` is the `test` program, not a glob.
                word.dynamic |= matches!(c, '$' | '*' | '?' | '~') || (c == ']' && word.text.contains('['));
                word.text.push(c);
                word.raw.push(c);
            }
        }
        i += 1;
    }
    word.flush(&mut tokens);
    Ok(tokens)
}

/// Reads `"…"` starting at `open`; returns the index of the closing quote.
fn double_quoted(chars: &[char], open: usize, word: &mut Word) -> Result<usize, Unreadable> {
    word.started = true;
    word.raw.push('"');
    let mut i = open + 1;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        match c {
            '"' => {
                word.raw.push('"');
                return Ok(i);
            }
            '`' => return unreadable("backticks (command substitution)"),
            '$' if next == Some('(') => return unreadable("command substitution `$( … )`"),
            '$' => {
                word.dynamic = true;
                word.text.push('$');
                word.raw.push('$');
            }
            '\\' if matches!(next, Some('$' | '`' | '"' | '\\' | '\n')) => {
                let escaped = next.unwrap_or('\\');
                if escaped != '\n' {
                    word.text.push(escaped);
                }
                word.raw.extend(['\\', escaped]);
                i += 1;
            }
            _ => {
                word.text.push(c);
                word.raw.push(c);
            }
        }
        i += 1;
    }
    unreadable("an unterminated quote")
}
