//! `http` checks. The task's server runs inside the container, which usually
//! has no network, so the requests are made from inside it: one exec runs a
//! small sh loop of `wget` (busybox or GNU; `curl` when there is no wget) and
//! times each request there. Timing from the host instead would add a
//! `docker exec` round trip (tens of ms, jittery) to every sample; in the
//! loop the only overhead is starting wget, about a millisecond. The clock is
//! the best the image has: GNU `date +%s%N` (ns), busybox/moreutils
//! `ts %.s` (µs), else `/proc/uptime` (10 ms), and the report names it.

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
if date +%s%N 2>/dev/null | grep -qE '^[0-9]+$'; then clock='date +%s%N'
elif echo | ts '%.s' 2>/dev/null | grep -qE '^[0-9]+\.[0-9]{6}'; then clock='ts %.s'
else clock=/proc/uptime; fi
now() {
  case $clock in
    date*) t=$(date +%s%N); echo $((t / 1000)) ;;
    ts*) t=$(echo | ts '%.s'); t=${t%% *}; echo "${t%.*}${t#*.}" ;;
    *) read -r u _ < /proc/uptime; echo "${u%.*}${u#*.}0000" ;;
  esac
}
if command -v wget >/dev/null 2>&1; then tool=wget
elif command -v curl >/dev/null 2>&1; then tool=curl
else echo 'devteam-no-client'; exit 0; fi
echo "devteam-clock $tool $clock"
i=1
while [ "$i" -le "$DEVTEAM_REQUESTS" ]; do
  t0=$(now)
  if [ $tool = wget ]; then out=$(timeout "$DEVTEAM_TIMEOUT" wget -S -O /dev/null "$DEVTEAM_URL" 2>&1)
  else out=$(timeout "$DEVTEAM_TIMEOUT" curl -sS -o /dev/null -w 'HTTP/1.1 %{http_code}\n' "$DEVTEAM_URL" 2>&1); fi
  t1=$(now)
  st=$(printf '%s\n' "$out" | grep -oE 'HTTP/[0-9.]+ [1-9][0-9][0-9]' | tail -n 1)
  echo "devteam-http $i ${st##* } $((t1 - t0))"
  [ -n "$st" ] || printf '%s\n' "$out" | grep -v '^devteam-' | tail -n 2
  i=$((i + 1))
done
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

/// Reads the loop's output: `devteam-http <n> <status or empty> <µs>` per request.
fn judge(probe: &HttpProbe, lines: &[String], redactor: &Redactor) -> (Outcome, Vec<String>) {
    let mut clock = String::from("unknown clock");
    let mut samples: Vec<(Option<u16>, f64)> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for line in lines {
        let mut words = line.split(' ');
        match words.next() {
            Some("devteam-no-client") => {
                let reason = "neither wget nor curl is in the container, so no request could be made";
                return (Outcome::Failed { reason: reason.into() }, Vec::new());
            }
            Some("devteam-clock") => {
                let client = words.next().unwrap_or("?");
                clock = format!("{}; client: {client}", words.collect::<Vec<_>>().join(" "));
            }
            Some("devteam-http") => {
                let fields: Vec<&str> = words.collect();
                let status = fields.get(1).and_then(|s| s.parse::<u16>().ok());
                let micros = fields.get(2).and_then(|s| s.parse::<f64>().ok()).unwrap_or(f64::NAN);
                samples.push((status, micros / 1000.0));
            }
            _ if errors.len() < 6 => errors.push(evidence_line(redactor, line)),
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

    #[test]
    fn p95_is_the_nearest_rank_so_one_slow_request_in_twenty_does_not_fail_it() {
        let mut lines = vec!["devteam-clock wget ts %.s".to_string()];
        lines.extend((1..=19).map(|i| format!("devteam-http {i} 200 2000")));
        lines.push("devteam-http 20 200 900000".into());
        let (outcome, evidence) = judge(&probe(Some(5)), &lines, &Redactor::default());
        assert_eq!(outcome, Outcome::Passed, "the 19th of 20 sorted samples is the p95: {evidence:?}");
        assert!(evidence[1].contains("p95 2.0 ms") && evidence[1].contains("max 900.0 ms"), "{evidence:?}");
        assert!(evidence[1].ends_with("(clock: ts %.s; client: wget)"), "the report names how it timed: {evidence:?}");
    }

    #[test]
    fn a_missing_answer_or_a_short_run_fails() {
        let lines = vec!["devteam-http 1  1500".to_string(), "wget: can't connect".into()];
        let (outcome, evidence) = judge(&HttpProbe { requests: 1, ..probe(None) }, &lines, &Redactor::default());
        assert!(matches!(&outcome, Outcome::Failed { reason } if reason.contains("no answer ×1")), "{outcome:?}");
        assert!(evidence.iter().any(|l| l.contains("can't connect")), "the client's error is evidence");
        let (outcome, _) = judge(&probe(None), &["devteam-http 1 200 10".to_string()], &Redactor::default());
        assert!(matches!(outcome, Outcome::Failed { reason } if reason.contains("only 1 of 20")));
    }
}
