# Shared behaviour of DevTeam's fake agent CLIs (aider, claude, codex) in the
# test image, sourced by each one. A fake records how it was called, then
# does what a `fake:` line of its prompt says. Installed at
# /usr/local/lib/devteam-fake/agent.sh; busybox sh only.
#
# Records, per call N, in $FAKE_AGENT_RECORD_DIR (default: .fake-agent in the
# directory it was started in, i.e. the worktree):
#   calls                 the number of the last call
#   call-N/agent          aider | claude | codex
#   call-N/argv           the arguments, each followed by a NUL byte
#   call-N/env            "NAME SHA256-OF-VALUE" per exported variable
#                         (never a value: records may be committed)
#   call-N/prompt         the prompt as the CLI got it (file or argument)
#   call-N/model, cwd, attempt, behaviour, result
#   attempts-TASK         the last attempt number seen for task TASK
#
# Markers (a prompt line, leading blanks allowed; the first one counts):
#   fake: succeed            (also: no marker) the edits below, exit 0
#   fake: fail-twice         exit 1 on attempts 1 and 2, succeed from 3 on
#   fake: always-fail        exit 1
#   fake: hang               print one line, then sleep silently forever
#   fake: leak-secret [NAME] print $NAME (default: the first set of
#                            ANTHROPIC_API_KEY, OPENAI_API_KEY,
#                            OLLAMA_API_BASE) alone on a line, inside a long
#                            line, split across two writes and on stderr;
#                            then succeed
#   fake-write: PATH TEXT    on success, write TEXT and a newline to PATH
#                            (relative, no ..); any number of these lines
# The attempt is N+1 for the prompt's last "## Attempt N failed" heading,
# else one more than attempts-TASK; TASK is the X of a first line
# "# Task X: ...". Success appends a line to fake-agent-output.txt.

umask 000
set -f

fake_begin() {
  FAKE_AGENT=$1
  shift
  FAKE_DIR=${FAKE_AGENT_RECORD_DIR:-$PWD/.fake-agent}
  FAKE_MODEL=
  mkdir -p "$FAKE_DIR" || exit 97
  fake_n=$(cat "$FAKE_DIR/calls" 2>/dev/null || echo 0)
  FAKE_CALL=$((fake_n + 1))
  echo "$FAKE_CALL" >"$FAKE_DIR/calls"
  FAKE_CALL_DIR=$FAKE_DIR/call-$FAKE_CALL
  mkdir -p "$FAKE_CALL_DIR" || exit 97
  echo "$FAKE_AGENT" >"$FAKE_CALL_DIR/agent"
  : >"$FAKE_CALL_DIR/argv"
  for fake_a in "$@"; do
    printf '%s\000' "$fake_a" >>"$FAKE_CALL_DIR/argv"
  done
  env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' | sort -u | while read -r fake_name; do
    eval "fake_set=\${$fake_name+x}"
    [ -n "$fake_set" ] || continue
    eval "fake_val=\${$fake_name}"
    printf '%s %s\n' "$fake_name" "$(printf '%s' "$fake_val" | sha256sum | cut -d' ' -f1)"
  done >"$FAKE_CALL_DIR/env"
}

# fake_usage MESSAGE: what the real CLI would refuse; exit 2.
fake_usage() {
  echo "$FAKE_AGENT (fake): $*" >&2
  echo "usage: $*" >"$FAKE_CALL_DIR/result"
  exit 2
}

fake_fail() {
  echo "$FAKE_AGENT (fake): failing on purpose: $*" >&2
  echo "failed: $*" >"$FAKE_CALL_DIR/result"
  exit 1
}

fake_succeed() {
  printf '%s did task %s on attempt %s with model %s\n' "$FAKE_AGENT" "$fake_key" "$fake_attempt" "${FAKE_MODEL:-none}" >>fake-agent-output.txt
  sed -n 's/^[[:space:]]*fake-write:[[:space:]]*//p' "$FAKE_PROMPT" >"$FAKE_CALL_DIR/writes"
  while IFS= read -r fake_line; do
    fake_path=${fake_line%% *}
    fake_text=${fake_line#"$fake_path"}
    fake_text=${fake_text# }
    case $fake_path in
      '' | /* | .. | ../* | */.. | */../*) fake_usage "fake-write: refusing the path '$fake_path'" ;;
    esac
    mkdir -p "$(dirname "$fake_path")" && printf '%s\n' "$fake_text" >"$fake_path" || fake_fail "cannot write $fake_path"
  done <"$FAKE_CALL_DIR/writes"
  echo "$FAKE_AGENT (fake): done"
  echo succeeded >"$FAKE_CALL_DIR/result"
  exit 0
}

fake_leak() {
  fake_var=$1
  if [ -z "$fake_var" ]; then
    for fake_c in ANTHROPIC_API_KEY OPENAI_API_KEY OLLAMA_API_BASE; do
      eval "fake_v=\${$fake_c-}"
      if [ -n "$fake_v" ]; then
        fake_var=$fake_c
        break
      fi
    done
  fi
  case $fake_var in
    '' | [!A-Za-z_]* | *[!A-Za-z0-9_]*) fake_usage "leak-secret: no secret variable to print" ;;
  esac
  eval "fake_v=\${$fake_var-}"
  [ -n "$fake_v" ] || fake_usage "leak-secret: $fake_var is not set"
  printf '%s\n' "$fake_v"
  fake_pad=$(head -c 3000 /dev/zero | tr '\000' x)
  printf 'long line %s %s=%s %s end\n' "$fake_pad" "$fake_var" "$fake_v" "$fake_pad"
  fake_half=$((${#fake_v} / 2))
  printf 'split: %s' "$(printf '%s' "$fake_v" | head -c "$fake_half")"
  sleep 0.3
  printf '%s (end of split)\n' "$(printf '%s' "$fake_v" | tail -c +"$((fake_half + 1))")"
  printf 'stderr: %s\n' "$fake_v" >&2
}

# fake_main PROMPT_FILE: run the behaviour the prompt asks for.
fake_main() {
  FAKE_PROMPT=$FAKE_CALL_DIR/prompt
  if [ "$1" != "$FAKE_PROMPT" ]; then
    cat "$1" >"$FAKE_PROMPT" 2>/dev/null || fake_usage "cannot read the prompt file $1"
  fi
  pwd >"$FAKE_CALL_DIR/cwd"
  echo "$FAKE_MODEL" >"$FAKE_CALL_DIR/model"
  fake_key=$(sed -n '1s/^# Task \([^:]*\):.*/\1/p' "$FAKE_PROMPT" | tr -c 'A-Za-z0-9._\n-' '_')
  [ -n "$fake_key" ] || fake_key=task
  fake_failed=$(sed -n 's/^## Attempt \([0-9][0-9]*\) failed.*/\1/p' "$FAKE_PROMPT" | tail -n 1)
  if [ -n "$fake_failed" ]; then
    fake_attempt=$((fake_failed + 1))
  else
    fake_attempt=$(($(cat "$FAKE_DIR/attempts-$fake_key" 2>/dev/null || echo 0) + 1))
  fi
  echo "$fake_attempt" >"$FAKE_DIR/attempts-$fake_key"
  echo "$fake_attempt" >"$FAKE_CALL_DIR/attempt"
  set -- $(sed -n 's/^[[:space:]]*fake:[[:space:]]*//p' "$FAKE_PROMPT" | head -n 1)
  fake_behaviour=${1:-succeed}
  echo "$fake_behaviour" >"$FAKE_CALL_DIR/behaviour"
  echo "$FAKE_AGENT (fake): task $fake_key, attempt $fake_attempt, model ${FAKE_MODEL:-none}, $fake_behaviour"
  case $fake_behaviour in
    succeed) fake_succeed ;;
    fail-twice)
      [ "$fake_attempt" -ge 3 ] || fake_fail "fail-twice, attempt $fake_attempt"
      fake_succeed
      ;;
    always-fail) fake_fail "always-fail" ;;
    hang)
      echo hanging >"$FAKE_CALL_DIR/result"
      while :; do sleep 3600; done
      ;;
    leak-secret)
      fake_leak "$2"
      fake_succeed
      ;;
    *) fake_usage "unknown marker 'fake: $fake_behaviour'" ;;
  esac
}
