//! Finds tasks by ID quickly and without allocating: a hash of the ID's
//! numbers without leading zeros (`08.1` hashes as `8.1`), chained to the
//! tasks' own IDs, so a parent (`8`) is found from a slice of its child's ID.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::id::TaskId;

/// The Fx hash (as in rustc): IDs come from the user's own file, so
/// flooding-resistant hashing buys nothing and costs a fifth of the parse.
#[derive(Default)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Task index: normalized-ID hash → first task, then a chain per task for
/// the (rare) equal hashes.
#[derive(Debug, Clone, Default)]
pub(crate) struct IdIndex {
    heads: HashMap<u64, usize, BuildHasherDefault<FxHasher>>,
    next: Vec<usize>,
}

const END: usize = usize::MAX;

/// FNV-1a over the numbers without leading zeros, each followed by a dot;
/// `with_zero` hashes `text` + `.0`. One pass over the bytes.
fn fold(text: &[u8], with_zero: bool) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |b: u8| hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    let mut significant = false;
    for &b in text {
        match b {
            b'.' => {
                if !significant {
                    feed(b'0');
                }
                feed(b'.');
                significant = false;
            }
            b'0' if !significant => {}
            _ => {
                significant = true;
                feed(b);
            }
        }
    }
    if !significant {
        feed(b'0');
    }
    feed(b'.');
    if with_zero {
        feed(b'0');
        feed(b'.');
    }
    hash
}

fn strip_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|b| **b == b'0').count();
    if zeros == digits.len() { &digits[digits.len().saturating_sub(1)..] } else { &digits[zeros..] }
}

/// Same numbers in both IDs (`08.1` and `8.1`).
pub(crate) fn same_numbers(a: &[u8], b: &[u8]) -> bool {
    same(a, b, false)
}

/// Same numbers in `written` as in `query` (+ `.0` when `with_zero`).
fn same(written: &[u8], query: &[u8], with_zero: bool) -> bool {
    if !with_zero && written == query {
        return true;
    }
    let mut mine = written.split(|b| *b == b'.');
    let mut theirs = query.split(|b| *b == b'.').chain(with_zero.then_some(&b"0"[..]));
    loop {
        match (mine.next(), theirs.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if strip_zeros(a) == strip_zeros(b) => continue,
            _ => return false,
        }
    }
}

impl IdIndex {
    pub fn with_capacity(n: usize) -> IdIndex {
        IdIndex { heads: HashMap::with_capacity_and_hasher(n, Default::default()), next: Vec::with_capacity(n) }
    }

    /// Records `task` under `id` unless a task with the same numbers is there
    /// already; then returns that task instead.
    pub fn insert_new<'a>(&mut self, id: &[u8], task: usize, id_of: impl Fn(usize) -> &'a [u8]) -> Result<(), usize> {
        let hash = fold(id, false);
        let head = self.heads.get(&hash).copied();
        let mut at = head.unwrap_or(END);
        while at != END {
            if same(id_of(at), id, false) {
                return Err(at);
            }
            at = self.next[at];
        }
        if self.next.len() <= task {
            self.next.resize(task + 1, END);
        }
        self.next[task] = head.unwrap_or(END);
        self.heads.insert(hash, task);
        Ok(())
    }

    /// The task whose ID has the numbers of `query` (+ `.0` with `with_zero`);
    /// `id_of` gives a task's ID as written.
    pub fn get<'a>(&self, query: &[u8], with_zero: bool, id_of: impl Fn(usize) -> &'a [u8]) -> Option<usize> {
        let mut at = *self.heads.get(&fold(query, with_zero))?;
        while at != END {
            if same(id_of(at), query, with_zero) {
                return Some(at);
            }
            at = self.next[at];
        }
        None
    }
}

/// The ID's numbers without leading zeros, joined by dots; borrowed when the
/// ID is written that way already.
pub(crate) fn key(id: &TaskId) -> Cow<'_, str> {
    let text = id.as_str();
    let bytes = text.as_bytes();
    let padded = (0..bytes.len()).any(|i| bytes[i] == b'0' && (i == 0 || bytes[i - 1] == b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
    if !padded {
        return Cow::Borrowed(text);
    }
    let normal: Vec<&str> = text
        .split('.')
        .map(|s| {
            let stripped = s.trim_start_matches('0');
            if stripped.is_empty() { "0" } else { stripped }
        })
        .collect();
    Cow::Owned(normal.join("."))
}

/// The key one level up (`2.3` for `2.3.1`).
pub(crate) fn parent_key(key: &str) -> Option<&str> {
    key.rfind('.').map(|dot| &key[..dot])
}

/// True for `1.0`-style keys.
pub(crate) fn ends_in_zero(key: &str) -> bool {
    key.ends_with(".0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_drop_leading_zeros_and_borrow_when_they_can() {
        let id = |t: &str| TaskId::parse(t).unwrap();
        assert!(matches!(key(&id("2.3.10")), Cow::Borrowed("2.3.10")));
        assert_eq!(key(&id("08.01")), "8.1");
        assert_eq!(key(&id("0.0")), "0.0");
        assert_eq!(key(&id("00.100")), "0.100");
        assert_eq!(parent_key("2.3.1"), Some("2.3"));
        assert!(ends_in_zero("1.0") && !ends_in_zero("10"));
    }

    #[test]
    fn the_index_finds_ids_by_number_and_survives_equal_hashes() {
        let ids: Vec<&[u8]> = vec![b"08.1", b"1.10", b"1.0"];
        let mut index = IdIndex::with_capacity(3);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.insert_new(id, i, |j| ids[j]), Ok(()));
        }
        assert_eq!(index.insert_new(b"8.1", 3, |j| ids[j]), Err(0), "08.1 is there already");
        let id_of = |i: usize| ids[i];
        assert_eq!(index.get(b"8.01", false, id_of), Some(0));
        assert_eq!(index.get(b"1.1", false, id_of), None);
        assert_eq!(index.get(b"1", true, id_of), Some(2));
        // Force a collision: two tasks chained under one head still resolve.
        let mut forced = IdIndex::with_capacity(2);
        forced.heads.insert(fold(b"5", false), 1);
        forced.next = vec![END, 0];
        let ids2: Vec<&[u8]> = vec![b"5", b"6"];
        assert_eq!(forced.get(b"5", false, |i| ids2[i]), Some(0));
    }
}
