#!/bin/sh
# Fake `codex` (Codex CLI) for DevTeam's test image: needs `exec`, a mode
# that may edit files (--full-auto) and one prompt argument, then behaves as
# the prompt's `fake:` line says (see agent.sh).
. "${0%/bin/*}/lib/devteam-fake/agent.sh"
fake_begin codex "$@"
case $1 in
  exec | e) shift ;;
  *) fake_usage "no exec subcommand: codex would start its interactive UI" ;;
esac
fake_auto=
fake_cd=
fake_prompt=
fake_have_prompt=
while [ $# -gt 0 ]; do
  case $1 in
    --full-auto | --dangerously-bypass-approvals-and-sandbox) fake_auto=1 && shift ;;
    --sandbox | -s | --model | -m | --cd | -C)
      [ $# -ge 2 ] || fake_usage "$1 needs a value"
      case $1 in
        --sandbox | -s) [ "$2" = read-only ] || fake_auto=1 ;;
        --model | -m) FAKE_MODEL=$2 ;;
        --cd | -C) fake_cd=$2 ;;
      esac
      shift 2
      ;;
    --skip-git-repo-check | --ephemeral | --json) shift ;;
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
[ -n "$fake_auto" ] || fake_usage "read-only sandbox: codex exec could not edit files (use --full-auto)"
[ -n "$fake_have_prompt" ] || fake_usage "no prompt argument"
printf '%s' "$fake_prompt" >"$FAKE_CALL_DIR/prompt"
if [ -n "$fake_cd" ]; then
  cd "$fake_cd" || fake_usage "cannot cd to $fake_cd"
fi
fake_main "$FAKE_CALL_DIR/prompt"
