//! Cuts a byte stream arriving in arbitrary chunks into lines, so a line split
//! across two chunks is still one line (redaction and logs depend on it).

use crate::redact::Redactor;

/// Accumulates chunks and yields complete lines.
#[derive(Debug, Default)]
pub struct LineSplitter {
    pending: Vec<u8>,
    /// Secrets a runaway line must not be cut inside: each piece is
    /// redacted on its own, so a secret split in two would be in neither.
    secrets: Option<Redactor>,
}

/// A line longer than this is cut, so one runaway line cannot eat memory.
const MAX_LINE: usize = 64 * 1024;

impl LineSplitter {
    /// A splitter that never cuts a runaway line inside one of `secrets`.
    pub fn guarding(secrets: Option<Redactor>) -> Self {
        Self { pending: Vec::new(), secrets }
    }

    /// Feeds a chunk; returns the lines it completed (without `\n` or `\r\n`).
    pub fn push(&mut self, chunk: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for &b in chunk {
            if b == b'\n' {
                out.push(self.take());
            } else {
                self.pending.push(b);
                if self.pending.len() >= MAX_LINE {
                    out.push(self.cut());
                }
            }
        }
        out
    }

    /// The last line when the stream ended without a newline.
    pub fn finish(&mut self) -> Option<String> {
        (!self.pending.is_empty()).then(|| self.take())
    }

    /// The first piece of a runaway line. The last bytes, where a secret
    /// may have begun that has not fully arrived yet, stay for the next
    /// piece, and so does a known secret the cut would fall inside.
    fn cut(&mut self) -> String {
        let Some(secrets) = &self.secrets else { return self.take() };
        let keep = secrets.longest().saturating_sub(1).min(MAX_LINE / 2);
        let mut at = self.pending.len() - keep;
        if let Some(start) = secrets.straddling(&self.pending, at) {
            at = start;
        }
        let rest = self.pending.split_off(at);
        let piece = self.take();
        self.pending = rest;
        piece
    }

    fn take(&mut self) -> String {
        let mut line = std::mem::take(&mut self.pending);
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        String::from_utf8_lossy(&line).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_split_across_chunks_comes_out_whole() {
        let mut s = LineSplitter::default();
        assert_eq!(s.push(b"hel"), Vec::<String>::new());
        assert_eq!(s.push(b"lo\r\nwor"), vec!["hello"]);
        assert_eq!(s.push(b"ld\n\n"), vec!["world", ""]);
        assert_eq!(s.finish(), None);
        s.push(b"tail");
        assert_eq!(s.finish().as_deref(), Some("tail"));
    }

    #[test]
    fn a_runaway_line_is_never_cut_inside_a_secret() {
        let secrets = Redactor::default();
        secrets.register("token", "ghp_SECRET_abcdefghij");
        // The secret straddles the 64 KiB mark, and arrives in two chunks.
        let mut line = vec![b'x'; MAX_LINE - 7];
        line.extend_from_slice(b"ghp_SECRET_abcdefghij");
        line.extend_from_slice(&[b'y'; 100]);
        let mut s = LineSplitter::guarding(Some(secrets.clone()));
        let mut pieces = s.push(&line[..MAX_LINE + 3]);
        pieces.extend(s.push(&line[MAX_LINE + 3..]));
        pieces.extend(s.finish());
        assert_eq!(pieces.concat().as_bytes(), &line[..], "nothing lost or doubled");
        let redacted: Vec<String> = pieces.iter().map(|p| secrets.redact(p)).collect();
        assert!(redacted.iter().all(|p| !p.contains("ghp_SEC") && !p.contains("_abcdefghij")), "no piece holds a part of it");
        assert_eq!(redacted.iter().filter(|p| p.contains("[REDACTED:token]")).count(), 1);
        assert!(pieces.iter().all(|p| p.len() <= MAX_LINE));
    }

    #[test]
    fn a_runaway_line_is_cut_not_buffered_forever() {
        let mut s = LineSplitter::default();
        let lines = s.push(&vec![b'x'; MAX_LINE * 2 + 5]);
        assert_eq!(lines.len(), 2);
        assert_eq!(s.finish().unwrap().len(), 5);
    }
}
