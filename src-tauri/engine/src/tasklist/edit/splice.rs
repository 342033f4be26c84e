//! Applies byte-range replacements to a file in one pass.

use std::ops::Range;

/// Replace `range` of the original bytes with `text` (an empty range inserts).
#[derive(Debug, Clone)]
pub struct Splice {
    pub range: Range<usize>,
    pub text: Vec<u8>,
}

impl Splice {
    pub fn insert(at: usize, text: impl Into<Vec<u8>>) -> Splice {
        Splice { range: at..at, text: text.into() }
    }

    pub fn replace(range: Range<usize>, text: impl Into<Vec<u8>>) -> Splice {
        Splice { range, text: text.into() }
    }
}

/// The source with every splice applied. Splices must not overlap; inserts at
/// the same offset keep their given order.
pub fn apply(source: &[u8], mut splices: Vec<Splice>) -> Vec<u8> {
    splices.sort_by_key(|s| (s.range.start, s.range.end));
    let grow: usize = splices.iter().map(|s| s.text.len()).sum();
    let mut out = Vec::with_capacity(source.len() + grow);
    let mut at = 0;
    for splice in splices {
        let start = splice.range.start.max(at);
        out.extend_from_slice(&source[at..start]);
        out.extend_from_slice(&splice.text);
        at = splice.range.end.max(start);
    }
    out.extend_from_slice(&source[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_apply_in_offset_order_and_keep_the_rest() {
        let out = apply(b"abcdef", vec![Splice::insert(6, "!"), Splice::replace(1..3, "XY"), Splice::insert(0, ">")]);
        assert_eq!(out, b">aXYdef!");
    }
}
