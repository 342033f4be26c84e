//! How long to wait before asking GitHub again: rate limits are waited out
//! (up to a cap), server errors backed off exponentially; waiting itself is
//! injectable so tests record the waits instead of sleeping.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// Waits for a duration (`tokio::time::sleep` unless a test says otherwise).
pub type SleepFn = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// When and how often a request is tried again.
#[derive(Clone)]
pub struct RetryPolicy {
    /// Tries in all when GitHub answers 5xx or cannot be reached.
    pub attempts: u32,
    /// The wait after the first failed try; doubled after each further one.
    pub backoff: Duration,
    /// The longest one backoff lasts.
    pub max_backoff: Duration,
    /// Rate-limited answers waited out before giving up.
    pub rate_limit_retries: u32,
    /// The longest a rate limit is waited out; a later reset fails at once
    /// (the caller retries the step later).
    pub max_rate_limit_wait: Duration,
    /// How waiting is done.
    pub sleep: SleepFn,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            rate_limit_retries: 3,
            max_rate_limit_wait: Duration::from_secs(10 * 60),
            sleep: Arc::new(|d| Box::pin(tokio::time::sleep(d))),
        }
    }
}

impl std::fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("attempts", &self.attempts)
            .field("backoff", &self.backoff)
            .field("max_backoff", &self.max_backoff)
            .field("rate_limit_retries", &self.rate_limit_retries)
            .field("max_rate_limit_wait", &self.max_rate_limit_wait)
            .finish_non_exhaustive()
    }
}

impl RetryPolicy {
    /// The wait after failed try number `tried` (1-based).
    pub(super) fn backoff_after(&self, tried: u32) -> Duration {
        let factor = 2u32.saturating_pow(tried.saturating_sub(1));
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// Secondary rate limits may come without a hint; GitHub asks for a minute.
const DEFAULT_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);

/// Whether a 403/429 answer is a rate limit (rather than a refusal).
pub(super) fn is_rate_limited(status: u16, headers: &HeaderMap, body: &str) -> bool {
    status == 429
        || (status == 403
            && (headers.contains_key("retry-after")
                || header(headers, "x-ratelimit-remaining") == Some("0")
                || body.to_ascii_lowercase().contains("rate limit")))
}

/// How long GitHub asks us to wait: `Retry-After` seconds, else until
/// `X-RateLimit-Reset` (plus a second) when nothing remains, else a minute.
pub(super) fn rate_limit_wait(headers: &HeaderMap) -> Duration {
    if let Some(secs) = header(headers, "retry-after").and_then(|v| v.trim().parse::<u64>().ok()) {
        return Duration::from_secs(secs);
    }
    if header(headers, "x-ratelimit-remaining") == Some("0") {
        if let Some(reset) = header(headers, "x-ratelimit-reset").and_then(|v| v.trim().parse::<u64>().ok()) {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            return Duration::from_secs(reset.saturating_sub(now) + 1);
        }
    }
    DEFAULT_RATE_LIMIT_WAIT
}

pub(super) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let p = RetryPolicy { max_backoff: Duration::from_secs(3), ..RetryPolicy::default() };
        let waits: Vec<u64> = (1..=4).map(|n| p.backoff_after(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 3, 3]);
    }

    #[test]
    fn rate_limit_waits_follow_githubs_headers() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", "7".parse().unwrap());
        assert_eq!(rate_limit_wait(&h), Duration::from_secs(7));
        let mut h = HeaderMap::new();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        h.insert("x-ratelimit-remaining", "0".parse().unwrap());
        h.insert("x-ratelimit-reset", (now + 30).to_string().parse().unwrap());
        let wait = rate_limit_wait(&h).as_secs();
        assert!((30..=31).contains(&wait), "{wait}");
        assert!(is_rate_limited(403, &h, ""));
        assert!(!is_rate_limited(403, &HeaderMap::new(), "Resource not accessible by integration"));
    }
}
