#!/bin/sh
# Fake `claude` (Claude Code) for DevTeam's test image: needs print mode
# (-p) and one prompt argument, then behaves as the prompt's `fake:` line
# says (see agent.sh).
. "${0%/bin/*}/lib/devteam-fake/agent.sh"
fake_begin claude "$@"
fake_print=
fake_prompt=
fake_have_prompt=
while [ $# -gt 0 ]; do
  case $1 in
    -p | --print) fake_print=1 && shift ;;
    --model | --output-format | --permission-mode | --max-turns | --allowedTools | --disallowedTools | --append-system-prompt)
      [ $# -ge 2 ] || fake_usage "$1 needs a value"
      [ "$1" != --model ] || FAKE_MODEL=$2
      shift 2
      ;;
    --dangerously-skip-permissions | --verbose) shift ;;
    --)
      shift
      [ $# -eq 1 ] || fake_usage "expected exactly one prompt after --, got $#"
      [ -z "$fake_have_prompt" ] || fake_usage "two prompts"
      fake_prompt=$1 fake_have_prompt=1
      shift
      ;;
    -*) fake_usage "unknown option $1" ;;
    *)
      [ -z "$fake_have_prompt" ] || fake_usage "two prompts"
      fake_prompt=$1 fake_have_prompt=1
      shift
      ;;
  esac
done
[ -n "$fake_print" ] || fake_usage "no -p: claude would start its interactive UI"
[ -n "$fake_have_prompt" ] || fake_usage "no prompt argument"
printf '%s' "$fake_prompt" >"$FAKE_CALL_DIR/prompt"
fake_main "$FAKE_CALL_DIR/prompt"
