//! `http` checks. The task's server runs inside the container, which usually
//! has no network, so the requests are made from inside it: one exec runs a
//! small sh loop of `wget` (busybox or GNU; `curl` when there is no wget)
//! that prints a marker line before and after each request, and the markers
//! are timestamped there. Timing from the host instead would add a `docker
//! exec` round trip (tens of ms, jittery) to every sample, and a `$(date)`
//! per marker costs a process start-up (3 to 12 ms measured on this machine)
//! inside the interval. So the best clock the image has is used: the markers
//! piped through `ts %.s` (busybox or moreutils: µs, no process per marker;
//! about 15 µs between two markers), else `date +%s.%N` (ns, but one process
//! start per marker inside the interval), else `/proc/uptime` read by the
//! shell (no process, 10 ms resolution). The report names the clock; an
//! image may pin one with `ENV DEVTEAM_HTTP_CLOCK=/proc/uptime` (or `ts %.s`,
//! `date +%s.%N`).

use super::report::{evidence_line, Outcome};
use crate::error::EngineResult;
use crate::redact::Redactor;
use crate::runner::{DockerRunner, ExecSpec, Limits};

/// How an `http` criterion is checked.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct HttpProbe {
    pub url: String,
    pub status: u16,
    pub p95_ms: Option<u32>,
    pub requests: u32,
}

const SCRIPT: &str = r#"
if [ -n "${DEVTEAM_HTTP_CLOCK:-}" ]; then clock=$DEVTEAM_HTTP_CLOCK
elif echo | ts '%.s' 2>/dev/null | grep -qE '^[0-9]+\.[0-9]{6} '; then clock='ts %.s'
elif date +%s.%N 2>/dev/null | grep -qE '^[0-9]+\.[0-9]+$'; then clock='date +%s.%N'
else clock=/proc/uptime; fi
mark() {
  case $clock in
    ts*) echo "devteam-$1 $2" ;;
    date*) echo "devteam-$1 $2 $(date +%s.%N)" ;;
    *) read -r up _ < /proc/uptime; echo "devteam-$1 $2 $up" ;;
  esac
}
if command -v wget >/dev/null 2>&1; then tool=wget
elif command -v curl >/dev/null 2>&1; then tool=curl
else echo 'devteam-no-client'; exit 0; fi
probe() {
  i=1
  while [ "$i" -le "$DEVTEAM_REQUESTS" ]; do
    mark start "$i"
    if [ $tool = wget ]; then out=$(timeout "$DEVTEAM_TIMEOUT" wget -S -O /dev/null "$DEVTEAM_URL" 2>&1)
    else out=$(timeout "$DEVTEAM_TIMEOUT" curl -sS -o /dev/null -w 'HTTP/1.1 %{http_code}\n' "$DEVTEAM_URL" 2>&1); fi
    mark end "$i"
    st=$(printf '%s\n' "$out" | grep -oE 'HTTP/[0-9.]+ [1-9][0-9][0-9]' | tail -n 1)
    echo "devteam-status $i ${st##* }"
    [ -n "$st" ] || printf '%s\n' "$out" | grep -v 'devteam-' | tail -n 2
    i=$((i + 1))
  done
}
echo "devteam-clock $tool $clock"
case $clock in ts*) probe | ts '%.s' ;; *) probe ;; esac
"#;

/// Runs the probe in `container`. Docker failures are errors, not check failures.
pub(super) async fn run_http(
    runner: &DockerRunner,
    container: &str,
    probe: &HttpProbe,
    limits: Limits,
    redactor: &Redactor,
) -> EngineResult<(Outcome, Vec<String>)> {
    // Each request ends well before the inactivity limit would restart the
    // container (and with it the server under test).
    let timeout = limits.inactivity.as_secs().saturating_sub(1).clamp(1, 10);
    let mut spec = ExecSpec::shell(SCRIPT, limits);
    spec.env = vec![
        ("DEVTEAM_URL".into(), probe.url.clone()),
        ("DEVTEAM_REQUESTS".into(), probe.requests.to_string()),
        ("DEVTEAM_TIMEOUT".into(), timeout.to_string()),
    ];
    let mut lines = Vec::new();
    let end = runner.exec(container, &spec, &mut |line| lines.push(line.text)).await?;
    let mut result = judge(probe, &lines, redactor);
    if !end.succeeded() {
        result.0 = Outcome::Failed { reason: format!("the request loop {}", end.describe()) };
    }
    Ok(result)
}

/// Reads the loop's output: `devteam-start <n>` and `devteam-end <n>`
/// markers, each with a stamp (in front with `ts`, at the end otherwise),
/// then `devteam-status <n> <status or nothing>`.
fn judge(probe: &HttpProbe, lines: &[String], redactor: &Redactor) -> (Outcome, Vec<String>) {
    let mut clock = String::from("unknown clock");
    let mut stamped_in_front = false;
    let mut samples: Vec<(Option<u16>, f64)> = Vec::new();
    let (mut started, mut took): (Option<i64>, Option<f64>) = (None, None);
    let mut errors: Vec<String> = Vec::new();
    for line in lines {
        let (front, rest) = match line.split_once(' ') {
            Some((stamp, rest)) if stamped_in_front => (micros(stamp), rest),
            _ => (None, line.as_str()),
        };
        let words: Vec<&str> = rest.split(' ').collect();
        let stamp = || front.or_else(|| words.get(2).and_then(|w| micros(w)));
        match words[0] {
            "devteam-no-client" => {
                let reason = "neither wget nor curl is in the container, so no request could be made";
                return (Outcome::Failed { reason: reason.into() }, Vec::new());
            }
            "devteam-clock" => {
                let client = words.get(1).unwrap_or(&"?");
                clock = format!("{}; client: {client}", words.get(2..).unwrap_or_default().join(" "));
                stamped_in_front = clock.starts_with("ts ");
            }
            "devteam-start" => (started, took) = (stamp(), None),
            "devteam-end" => took = started.zip(stamp()).map(|(s, e)| (e - s) as f64 / 1000.0),
            "devteam-status" => samples.push((words.get(2).and_then(|s| s.parse::<u16>().ok()), took.unwrap_or(f64::NAN))),
            _ if errors.len() < 6 => errors.push(evidence_line(redactor, rest)),
            _ => {}
        }
    }
    let url = evidence_line(redactor, &probe.url);
    let mut evidence = vec![format!("{} requests to {url}: {}", samples.len(), tally(&samples))];
    let mut millis: Vec<f64> = samples.iter().map(|s| s.1).filter(|m| m.is_finite()).collect();
    millis.sort_by(f64::total_cmp);
    let p95 = percentile(&millis, 95.0);
    if let Some(p95) = p95 {
        evidence.push(format!(
            "latency p50 {:.1} ms, p95 {p95:.1} ms, max {:.1} ms (clock: {clock})",
            percentile(&millis, 50.0).unwrap_or(p95),
            millis.last().copied().unwrap_or(p95)
        ));
    }
    evidence.extend(errors);
    let wrong = samples.iter().filter(|s| s.0 != Some(probe.status)).count();
    let reason = if samples.len() < probe.requests as usize {
        Some(format!("only {} of {} requests finished", samples.len(), probe.requests))
    } else if wrong > 0 {
        Some(format!("{wrong} of {} requests did not answer {}: {}", samples.len(), probe.status, tally(&samples)))
    } else {
        match (probe.p95_ms, p95) {
            (Some(bound), Some(p95)) if p95 > f64::from(bound) => Some(format!("p95 latency {p95:.1} ms is over the {bound} ms bound")),
            (Some(_), None) => Some("no request was timed".into()),
            _ => None,
        }
    };
    (reason.map_or(Outcome::Passed, |reason| Outcome::Failed { reason }), evidence)
}

/// Decimal seconds (`1795429382.887177`, `4251.01`, `1795429382.123456789`) as µs.
fn micros(text: &str) -> Option<i64> {
    let (secs, frac) = text.split_once('.')?;
    if secs.is_empty() || !secs.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac: String = frac.chars().chain(std::iter::repeat('0')).take(6).collect();
    secs.parse::<i64>().ok()?.checked_mul(1_000_000)?.checked_add(frac.parse::<i64>().ok()?)
}

/// `200 ×18, no answer ×2`.
fn tally(samples: &[(Option<u16>, f64)]) -> String {
    let mut counts: Vec<(Option<u16>, usize)> = Vec::new();
    for (status, _) in samples {
        match counts.iter_mut().find(|(s, _)| s == status) {
            Some((_, n)) => *n += 1,
            None => counts.push((*status, 1)),
        }
    }
    let words: Vec<String> = counts
        .iter()
        .map(|(s, n)| format!("{} ×{n}", s.map_or("no answer".to_string(), |s| s.to_string())))
        .collect();
    if words.is_empty() { "none".into() } else { words.join(", ") }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(p95_ms: Option<u32>) -> HttpProbe {
        HttpProbe { url: "http://127.0.0.1:8080/".into(), status: 200, p95_ms, requests: 20 }
    }

    /// Output as the loop prints it through `ts %.s`: `ms` per request.
    fn ts_lines(ms: &[u32], status: &str) -> Vec<String> {
        let mut lines = vec!["devteam-clock wget ts %.s".to_string()];
        let mut now = 1_795_429_382_000_000u64;
        for (i, ms) in ms.iter().enumerate() {
            let stamp = |us: u64| format!("{}.{:06}", us / 1_000_000, us % 1_000_000);
            lines.push(format!("{} devteam-start {}", stamp(now), i + 1));
            now += u64::from(*ms) * 1000;
            lines.push(format!("{} devteam-end {}", stamp(now), i + 1));
            lines.push(format!("{} devteam-status {} {status}", stamp(now), i + 1));
            now += 500;
        }
        lines
    }

    #[test]
    fn p95_is_the_nearest_rank_so_one_slow_request_in_twenty_does_not_fail_it() {
        let mut ms = vec![2; 19];
        ms.push(900);
        let (outcome, evidence) = judge(&probe(Some(5)), &ts_lines(&ms, "200"), &Redactor::default());
        assert_eq!(outcome, Outcome::Passed, "the 19th of 20 sorted samples is the p95: {evidence:?}");
        assert!(evidence[1].contains("p95 2.0 ms") && evidence[1].contains("max 900.0 ms"), "{evidence:?}");
        assert!(evidence[1].ends_with("(clock: ts %.s; client: wget)"), "the report names how it timed: {evidence:?}");
        let (outcome, _) = judge(&probe(Some(1)), &ts_lines(&ms, "200"), &Redactor::default());
        assert!(matches!(outcome, Outcome::Failed { reason } if reason == "p95 latency 2.0 ms is over the 1 ms bound"));
    }

    #[test]
    fn stamps_at_the_end_of_a_marker_are_read_too() {
        // The /proc/uptime clock: seconds with two decimals, after the marker.
        let lines: Vec<String> = ["devteam-clock curl /proc/uptime", "devteam-start 1 4251.01", "devteam-end 1 4251.04", "devteam-status 1 200"]
            .map(String::from)
            .to_vec();
        let (outcome, evidence) = judge(&HttpProbe { requests: 1, ..probe(Some(30)) }, &lines, &Redactor::default());
        assert_eq!(outcome, Outcome::Passed, "{evidence:?}");
        assert!(evidence[1].contains("p95 30.0 ms") && evidence[1].ends_with("(clock: /proc/uptime; client: curl)"), "{evidence:?}");
        assert_eq!(micros("1795429382.123456789"), Some(1_795_429_382_123_456), "date's nanoseconds are cut to µs");
        assert_eq!(micros("12x.5"), None);
    }

    #[test]
    fn a_missing_answer_or_a_short_run_fails() {
        let mut lines = ts_lines(&[1], "");
        lines.push("1795429382.002000 wget: can't connect to remote host".into());
        let (outcome, evidence) = judge(&HttpProbe { requests: 1, ..probe(None) }, &lines, &Redactor::default());
        assert!(matches!(&outcome, Outcome::Failed { reason } if reason.contains("no answer ×1")), "{outcome:?}");
        assert!(evidence.iter().any(|l| l == "wget: can't connect to remote host"), "the client's error is evidence: {evidence:?}");
        let (outcome, _) = judge(&probe(None), &ts_lines(&[1], "200"), &Redactor::default());
        assert!(matches!(outcome, Outcome::Failed { reason } if reason.contains("only 1 of 20")));
    }
}
