//! The `script` agent's input: the fenced `sh` blocks of a task body, in
//! order, fences indented inside list items included.

/// Languages a fence may name for the script agent to run it.
const SHELL_LANGS: &[&str] = &["sh", "bash", "shell"];

/// Every ```sh / ~~~sh block of `body`, with the fence's indentation removed.
pub fn shell_blocks(body: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, usize, char, usize)> = None; // (text, indent, fence char, fence len)
    for line in body.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        match &mut current {
            None => {
                if let Some((ch, len, info)) = fence_open(trimmed) {
                    let lang = info.split_whitespace().next().unwrap_or("");
                    if SHELL_LANGS.contains(&lang) {
                        current = Some((String::new(), indent, ch, len));
                    } else {
                        // Skip a non-shell fence whole so its content never opens one.
                        current = Some((String::from("\u{0}skip"), indent, ch, len));
                    }
                }
            }
            Some((text, fence_indent, ch, len)) => {
                if is_fence_close(trimmed, *ch, *len) {
                    let (text, ..) = current.take().unwrap_or_default();
                    if !text.starts_with('\u{0}') {
                        blocks.push(text);
                    }
                } else if !text.starts_with('\u{0}') {
                    let cut = indent.min(*fence_indent);
                    text.push_str(&line[cut..]);
                    text.push('\n');
                }
            }
        }
    }
    blocks
}

fn fence_open(line: &str) -> Option<(char, usize, &str)> {
    let ch = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = line.chars().take_while(|c| *c == ch).count();
    (len >= 3).then(|| (ch, len, line[len..].trim()))
}

fn is_fence_close(line: &str, ch: char, len: usize) -> bool {
    let n = line.chars().take_while(|c| *c == ch).count();
    n >= len && line[n * ch.len_utf8()..].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sh_blocks_come_out_in_order_with_list_indentation_removed() {
        let body = "Create the file.\n\n```sh\necho one > a.txt\n```\n\n  - then:\n    ```bash\n    mkdir -p src\n      echo nested\n    ```\n```python\nprint('not run')\n```\n~~~shell\nexit 0\n~~~\n";
        assert_eq!(shell_blocks(body), ["echo one > a.txt\n", "mkdir -p src\n  echo nested\n", "exit 0\n"]);
    }

    #[test]
    fn a_shell_fence_inside_another_fence_is_not_a_block() {
        let body = "````markdown\n```sh\nrm -rf /\n```\n````\n";
        assert!(shell_blocks(body).is_empty());
    }

    #[test]
    fn an_unclosed_fence_runs_nothing() {
        assert!(shell_blocks("```sh\necho half\n").is_empty());
    }
}
