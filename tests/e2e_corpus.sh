#!/usr/bin/env bash
# Hostile-input corpus (issue 8): generates the corpus with
# tests/corpus/make_corpus.py into a temporary directory and runs every case
# in its manifest against the CLI.
#
#   tests/e2e_corpus.sh CLI SOURCE_DIR [SHARED_DATA_DIR]
#
# A case that must fail passes when: the exit code is the expected one, stderr
# is exactly one printable line (no control characters) that matches each of
# the case's regexes (the file, the record, the field ...), no sanitizer report, the output file was not
# written (or a pre-existing one is byte-identical), and nothing else (no
# temporary file) was left beside it. A case that must succeed passes when
# the exit code is 0 and the output exists; a "fast" one (a degenerate map)
# also within ROUTEMAP_CORPUS_FAST seconds of CPU (default 2, 10 under ASan).
# Every case must end within ROUTEMAP_CORPUS_TIMEOUT seconds (default 60).
#
# Environment: ROUTEMAP_CORPUS_ONLY=REGEX runs only the matching case names;
# ROUTEMAP_CORPUS_KEEP=1 keeps the generated corpus and the outputs.
# Prints "N passed, N failed"; exits 1 on any failure, 77 (skip) without python3.
set -u

cli=${1:?usage: e2e_corpus.sh CLI SOURCE_DIR [SHARED_DATA_DIR]}
src=${2:?usage: e2e_corpus.sh CLI SOURCE_DIR [SHARED_DATA_DIR]}
timeout_s=${ROUTEMAP_CORPUS_TIMEOUT:-60}
only=${ROUTEMAP_CORPUS_ONLY:-}

if ! command -v python3 >/dev/null 2>&1; then
  echo "e2e_corpus: python3 not found, skipping"
  exit 77
fi
if [ ! -x "$cli" ]; then
  echo "e2e_corpus: $cli is not an executable"
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/routemap-corpus.XXXXXX")
cleanup() {
  if [ "${ROUTEMAP_CORPUS_KEEP:-0}" = 1 ]; then
    echo "e2e_corpus: corpus kept in $work"
    return
  fi
  chmod -R u+w "$work" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if ! python3 "$src/tests/corpus/make_corpus.py" "$work" >/dev/null; then
  echo "e2e_corpus: the corpus generator failed"
  exit 1
fi

# A runaway allocation must not take the shared machine down: under ASan the
# RSS is capped by ASan itself (a report then fails the case); otherwise by
# the address-space limit.
asan=0
if grep -q -a __asan_init "$cli" 2>/dev/null; then asan=1; fi
# "fast" cases (degenerate maps, issue 19) must use little CPU
fast_ms=$(awk -v s="${ROUTEMAP_CORPUS_FAST:-$([ "$asan" = 1 ] && echo 10 || echo 2)}" 'BEGIN {printf "%d", s * 1000}')
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=3000:detect_leaks=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# The cases must not depend on the caller's terminal or locale.
export LC_ALL=C.UTF-8

# A binary from before issue 19 renames over its output: as root, the
# out_dev_full case would turn /dev/full into a file. A symbolic link is the
# probe (it must survive); cases writing under /dev are skipped otherwise.
devices_ok=0
mkdir -p "$work/probe"
printf 'x' >"$work/probe/target.svg"
ln -s target.svg "$work/probe/link.svg"
printf '{"size": "300x200"}' >"$work/probe/spec.json"
"$cli" render "$work/probe/spec.json" -o "$work/probe/link.svg" >/dev/null 2>&1 </dev/null
if [ -L "$work/probe/link.svg" ] && [ -c /dev/full ]; then devices_ok=1; fi

pass=0
fail=0
failed_names=()
out_stdout="$work/stdout"
out_stderr="$work/stderr"

listing() { # the names in a directory, one a line (empty when it does not exist)
  if [ -d "$1" ]; then (cd "$1" && ls -A 2>/dev/null); fi
}

while IFS=$'\t' read -r -a f; do
  [ "${#f[@]}" -eq 0 ] && continue
  case "${f[0]}" in '#'*) continue ;; esac
  name=${f[0]} expect=${f[1]} code=${f[2]} must=${f[3]} output=${f[4]} sentinel=${f[5]}
  args=("${f[@]:6}")
  if [ -n "$only" ] && ! [[ $name =~ $only ]]; then continue; fi

  case "$output" in /dev/*)
    if [ "$devices_ok" != 1 ]; then
      fail=$((fail + 1))
      failed_names+=("$name")
      echo "FAIL $name: not run: this binary replaces its output file (it would replace $output)"
      continue
    fi ;;
  esac
  outdir=$(dirname "$output")
  check_dir=1
  case "$outdir" in /proc*) check_dir=0 ;; esac
  if [ "$sentinel" = 1 ]; then
    printf 'routemap corpus sentinel: %s\n' "$name" >"$output"
  fi
  before=$(listing "$outdir")

  t0=$(date +%s%N)
  # bash's `time` gives the CPU seconds of the process (user + system), which
  # a loaded machine does not inflate the way it does wall-clock time
  TIMEFORMAT='%U %S'
  # (the inner braces keep the command's redirections off time's report)
  if [ "$asan" = 1 ]; then
    { time { timeout -k 5 "$timeout_s" "$cli" "${args[@]}" >"$out_stdout" 2>"$out_stderr" </dev/null; }; } 2>"$work/cpu"
    rc=$?
  else
    { time { (ulimit -v 4000000; exec timeout -k 5 "$timeout_s" "$cli" "${args[@]}") \
      >"$out_stdout" 2>"$out_stderr" </dev/null; }; } 2>"$work/cpu"
    rc=$?
  fi
  ms=$((($(date +%s%N) - t0) / 1000000))
  cpu_ms=$(awk '{printf "%d", ($1 + $2) * 1000}' "$work/cpu")

  why=()
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    why+=("did not end within ${timeout_s} s")
  fi
  if grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' \
    "$out_stderr"; then
    why+=("sanitizer report")
  fi
  lines=$(awk 'END { print NR }' "$out_stderr")
  as_error=0
  if [ "$expect" = fast ] && [ "$cpu_ms" -gt "$fast_ms" ]; then
    why+=("used ${cpu_ms} ms of CPU, more than ${fast_ms}")
  fi
  if [ "$expect" = ok ] || [ "$expect" = fast ] || { [ "$expect" = either ] && [ "$rc" = 0 ]; }; then
    if [ "$rc" != "$code" ] && [ "$expect" != either ]; then
      why+=("exit $rc, expected $code")
    fi
    if [ ! -s "$output" ]; then
      why+=("no output written")
    fi
  else
    as_error=1
    if [ "$expect" = either ]; then code=2; fi
    [ "$rc" = "$code" ] || why+=("exit $rc, expected $code")
    [ "$lines" = 1 ] || why+=("$lines lines on stderr, expected 1")
    if LC_ALL=C grep -q '[[:cntrl:]]' "$out_stderr"; then
      why+=("a control character on stderr (the message must be printable)")
    fi
    [ "$must" = - ] && must=""
  IFS=';' read -r -a regexes <<<"$must"
    for re in "${regexes[@]}"; do
      [ -z "$re" ] && continue
      grep -q -i -E -- "$re" "$out_stderr" || why+=("stderr does not match /$re/")
    done
    if [ "$sentinel" = 1 ]; then
      if [ "$(cat "$output" 2>/dev/null)" != "routemap corpus sentinel: $name" ]; then
        why+=("the existing output was changed")
      fi
    elif [ -f "$output" ]; then
      why+=("an output file was left: $output")
    fi
    if [ "$check_dir" = 1 ] && [ "$(listing "$outdir")" != "$before" ]; then
      why+=("files left in $outdir: $(listing "$outdir" | tr '\n' ' ')")
    fi
  fi

  if [ "${#why[@]}" -eq 0 ]; then
    pass=$((pass + 1))
    echo "PASS $name (${ms} ms, CPU ${cpu_ms} ms)"
  else
    fail=$((fail + 1))
    failed_names+=("$name")
    echo "FAIL $name (${ms} ms, CPU ${cpu_ms} ms): $(IFS=';'; echo "${why[*]}")"
    echo "     command: routemap ${args[*]}"
    if [ "$as_error" = 1 ] || [ -s "$out_stderr" ]; then
      head -c 2000 "$out_stderr" | sed 's/^/     stderr: /'
    fi
  fi
  # Outputs of successful cases are removed so the next case starts clean.
  if [ "$expect" != error ] && [ -f "$output" ] && [ "$sentinel" != 1 ]; then rm -f "$output"; fi
done <"$work/manifest.tsv"

echo "$pass passed, $fail failed"
if [ "$fail" -gt 0 ]; then
  echo "failed: ${failed_names[*]}"
  exit 1
fi
exit 0
