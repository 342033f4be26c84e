//! Task IDs as people write them (`2`, `08.1`, `1.10`), compared by number so
//! that `08` is `8` and `1.10` comes after `1.9`, yet shown exactly as written.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// A hierarchical task ID: numbers joined by dots, without a trailing dot.
///
/// Equality, ordering and hashing look at the numbers only (leading zeros do
/// not count); `Display` and serialization give the text as written.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(transparent)]
pub struct TaskId(String);

/// Why a text is not a task ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a task ID (numbers joined by dots, like 2.3.1)")]
pub struct IdError(pub String);

impl TaskId {
    /// Parses `2.3.1` (a trailing dot, as in `1.`, is dropped).
    pub fn parse(text: &str) -> Result<TaskId, IdError> {
        let trimmed = text.trim();
        let body = trimmed.strip_suffix('.').unwrap_or(trimmed);
        if is_id_text(body.as_bytes()) {
            Ok(TaskId(body.to_string()))
        } else {
            Err(IdError(text.to_string()))
        }
    }

    /// Builds an ID from text already known to be digits joined by dots.
    pub(crate) fn from_valid(text: &str) -> TaskId {
        debug_assert!(is_id_text(text.as_bytes()));
        TaskId(text.to_string())
    }

    /// Builds an ID from bytes already known to be ASCII digits joined by dots.
    pub(crate) fn from_digits(bytes: &[u8]) -> TaskId {
        TaskId(std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes).into_owned(), str::to_string))
    }

    /// The ID as written in the file.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The numbers, as written (`["08", "1"]`).
    pub fn segments(&self) -> impl Iterator<Item = &str> + '_ {
        self.0.split('.')
    }

    /// How many numbers the ID has: `2.3.1` has 3.
    pub fn depth(&self) -> usize {
        self.0.bytes().filter(|b| *b == b'.').count() + 1
    }

    /// The ID one level up (`2.3` for `2.3.1`), or `None` for a top-level ID.
    pub fn parent(&self) -> Option<TaskId> {
        self.0.rfind('.').map(|dot| TaskId(self.0[..dot].to_string()))
    }

    /// The last number as written (`3` for `2.3`).
    pub fn last_segment(&self) -> &str {
        self.0.rsplit('.').next().unwrap_or(&self.0)
    }

    /// The last number's value, saturating at `u64::MAX` for absurdly long runs of digits.
    pub fn last_number(&self) -> u64 {
        number_value(self.last_segment())
    }

    /// True for `1.0`-style IDs, which name their parent when the parent has no line.
    pub fn ends_in_zero(&self) -> bool {
        self.depth() > 1 && self.last_segment().bytes().all(|b| b == b'0')
    }

    /// This ID with one more number: `2.3` + `4` = `2.3.4`.
    pub fn child(&self, segment: &str) -> TaskId {
        TaskId(format!("{}.{}", self.0, segment))
    }

    /// True when `other` is this ID or lies below it (`2.3.1` is within `2`).
    pub fn contains(&self, other: &TaskId) -> bool {
        let mut mine = self.segments();
        let mut theirs = other.segments();
        loop {
            match (mine.next(), theirs.next()) {
                (None, _) => return true,
                (Some(_), None) => return false,
                (Some(a), Some(b)) if compare_numbers(a, b) == Ordering::Equal => continue,
                _ => return false,
            }
        }
    }
}

/// Digits joined by single dots, starting and ending with a digit.
pub(crate) fn is_id_text(text: &[u8]) -> bool {
    !text.is_empty()
        && text[0].is_ascii_digit()
        && text[text.len() - 1].is_ascii_digit()
        && text.iter().all(|b| b.is_ascii_digit() || *b == b'.')
        && !text.windows(2).any(|w| w == b"..")
}

fn strip_zeros(digits: &str) -> &str {
    let stripped = digits.trim_start_matches('0');
    if stripped.is_empty() { "0" } else { stripped }
}

fn number_value(digits: &str) -> u64 {
    strip_zeros(digits).parse().unwrap_or(u64::MAX)
}

/// Compares two runs of digits by value, however long they are.
fn compare_numbers(a: &str, b: &str) -> Ordering {
    let (a, b) = (strip_zeros(a), strip_zeros(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The numbers as byte slices (a byte loop: IDs are short, and this runs on
/// every hash and comparison).
fn byte_segments(id: &TaskId) -> impl Iterator<Item = &[u8]> {
    id.0.as_bytes().split(|b| *b == b'.')
}

fn strip_zero_bytes(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|b| **b == b'0').count();
    if zeros == digits.len() { &digits[digits.len().saturating_sub(1)..] } else { &digits[zeros..] }
}

impl PartialEq for TaskId {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 || self.cmp(other) == Ordering::Equal
    }
}

impl Eq for TaskId {}

impl Ord for TaskId {
    fn cmp(&self, other: &Self) -> Ordering {
        let mut mine = byte_segments(self);
        let mut theirs = byte_segments(other);
        loop {
            match (mine.next(), theirs.next()) {
                (None, None) => return Ordering::Equal,
                (None, Some(_)) => return Ordering::Less,
                (Some(_), None) => return Ordering::Greater,
                (Some(a), Some(b)) => {
                    let (a, b) = (strip_zero_bytes(a), strip_zero_bytes(b));
                    match a.len().cmp(&b.len()).then_with(|| a.cmp(b)) {
                        Ordering::Equal => continue,
                        unequal => return unequal,
                    }
                }
            }
        }
    }
}

impl PartialOrd for TaskId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Hash for TaskId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // FNV-1a over the numbers without leading zeros, then one write.
        let mut folded: u64 = 0xcbf2_9ce4_8422_2325;
        for segment in byte_segments(self) {
            for &b in strip_zero_bytes(segment).iter().chain(b".") {
                folded = (folded ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        state.write_u64(folded);
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for TaskId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        TaskId::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for TaskId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TaskId::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> TaskId {
        TaskId::parse(text).unwrap()
    }

    #[test]
    fn zero_padding_does_not_change_identity() {
        // `Phase 08` and a dependency on `8` must name the same task.
        assert_eq!(id("08"), id("8"));
        assert_eq!(id("08.01").to_string(), "08.01");
        let mut set = std::collections::HashSet::new();
        set.insert(id("08.1"));
        assert!(set.contains(&id("8.01")));
    }

    #[test]
    fn numbers_order_numerically_not_textually() {
        // Plans go past 9 sub-tasks; 1.10 must sort after 1.9.
        assert!(id("1.10") > id("1.9"));
        assert!(id("2") > id("1.99"));
        assert!(id("1") < id("1.0"));
        assert!(id("123456789012345678901234567890") > id("99"));
    }

    #[test]
    fn a_trailing_dot_is_not_part_of_the_id() {
        // `- [ ] 1. Set up` writes the ID `1`.
        assert_eq!(id("1.").as_str(), "1");
        assert!(TaskId::parse("1..2").is_err());
        assert!(TaskId::parse(".1").is_err());
        assert!(TaskId::parse("a").is_err());
    }

    #[test]
    fn containment_follows_the_hierarchy() {
        assert!(id("2").contains(&id("2.3.1")));
        assert!(id("02").contains(&id("2.3")));
        assert!(!id("2.3").contains(&id("2")));
        assert!(!id("2.3").contains(&id("2.30")));
        assert_eq!(id("2.3.1").parent(), Some(id("2.3")));
        assert!(id("1.0").ends_in_zero() && !id("10").ends_in_zero());
    }
}
