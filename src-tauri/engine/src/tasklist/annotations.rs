//! Per-task annotations in body lines that the run engine acts on:
//! `agent: NAME` (which coding agent) and `risky: true` (wait for approval).

/// What a body line says about the task, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Annotation {
    Agent(String),
    Risky(bool),
}

/// Reads `agent: aider` or `risky: true` at the start of a body line (after a
/// bullet, `>` or emphasis), case-insensitively; values lose surrounding
/// backticks and emphasis.
pub fn read(line: &[u8]) -> Option<Annotation> {
    let text = std::str::from_utf8(line).ok()?;
    let text = text.trim_start().trim_start_matches(['-', '*', '+', '>', '•']).trim_start();
    let text = text.trim_start_matches(['_', '*']);
    let colon = text.find(':')?;
    let key = text[..colon].trim_end_matches(['_', '*']);
    let (agent, risky) = (key.eq_ignore_ascii_case("agent"), key.eq_ignore_ascii_case("risky"));
    if !agent && !risky {
        return None;
    }
    let value = text[colon + 1..].trim().trim_matches(['_', '*', '`']).trim();
    let word = value.split_whitespace().next()?.trim_matches(['`', '_', '*', ',', '.']);
    let is = |w: &str| word.eq_ignore_ascii_case(w);
    match (agent, risky) {
        (true, _) if !word.is_empty() => Some(Annotation::Agent(word.to_string())),
        (_, true) if is("true") || is("yes") => Some(Annotation::Risky(true)),
        (_, true) if is("false") || is("no") => Some(Annotation::Risky(false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_and_risk_are_read_from_common_spellings() {
        assert_eq!(read(b"  - agent: claude-code"), Some(Annotation::Agent("claude-code".into())));
        assert_eq!(read(b"Agent: `aider`"), Some(Annotation::Agent("aider".into())));
        assert_eq!(read(b"  - **risky:** true"), Some(Annotation::Risky(true)));
        assert_eq!(read(b"_risky: yes_"), Some(Annotation::Risky(true)));
        assert_eq!(read(b"risky: maybe"), None);
    }

    #[test]
    fn prose_mentioning_agents_is_not_an_annotation() {
        assert_eq!(read(b"The agent: it should be fast"), None);
        assert_eq!(read(b"agent:"), None);
    }
}
