#!/bin/sh
# Fake `aider` for DevTeam's test image: accepts the flags of an unattended
# run (and refuses what would make the real one wait for a person), then
# behaves as its prompt's `fake:` line says (see agent.sh).
. "${0%/bin/*}/lib/devteam-fake/agent.sh"
fake_begin aider "$@"
fake_file=
fake_yes=
fake_no_commits=
while [ $# -gt 0 ]; do
  case $1 in
    --message-file | --model | --chat-history-file | --input-history-file)
      [ $# -ge 2 ] || fake_usage "$1 needs a value"
      case $1 in
        --message-file) fake_file=$2 ;;
        --model) FAKE_MODEL=$2 ;;
      esac
      shift 2
      ;;
    --yes-always) fake_yes=1 && shift ;;
    --no-auto-commits) fake_no_commits=1 && shift ;;
    --no-gitignore | --no-check-update | --no-pretty | --analytics-disable) shift ;;
    *) fake_usage "unrecognized argument: $1" ;;
  esac
done
[ -n "$fake_file" ] || fake_usage "no --message-file: aider would open an interactive chat"
[ -n "$fake_yes" ] || fake_usage "no --yes-always: aider would wait for confirmations"
[ -n "$fake_no_commits" ] || fake_usage "no --no-auto-commits: aider would commit by itself"
fake_main "$fake_file"
