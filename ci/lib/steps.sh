# shellcheck shell=bash
# ci/lib/steps.sh: one progress line per step, the step's output in a log (sourced by ci/).
#
#   step NAME "what it does" COMMAND [ARGS...]
#
# prints "what it does... done (12 s)" and keeps COMMAND's output in $EVE_LOG_DIR/NAME.log
# (default build/logs); on failure it prints the last 30 lines of that log and its path, and
# returns COMMAND's status. With EVE_VERBOSE=1 or CI=true the output also goes to the
# terminal, for CI logs. COMMAND runs in a subshell: an exit in it ends only the step.

steps_verbose() { [ "${EVE_VERBOSE:-0}" = 1 ] || [ "${CI:-}" = true ]; }

step() {
    local name=$1 what=$2 dir log start rc
    shift 2
    dir=${EVE_LOG_DIR:-${EVE_BUILD_DIR:-$ROOT/build}/logs}
    mkdir -p "$dir"
    log=$dir/$name.log
    start=$SECONDS
    if steps_verbose; then
        printf '%s...\n' "$what" >&2
        ("$@") 2>&1 | tee "$log" >&2
        rc=${PIPESTATUS[0]}
        [ "$rc" -eq 0 ] && printf '%s: done (%d s)\n' "$what" $((SECONDS - start)) >&2
    else
        printf '%s... ' "$what" >&2
        ("$@") >"$log" 2>&1
        rc=$?
        [ "$rc" -eq 0 ] && printf 'done (%d s)\n' $((SECONDS - start)) >&2
    fi
    if [ "$rc" -ne 0 ]; then
        printf 'FAILED (exit status %d after %d s); the end of %s:\n' "$rc" \
            $((SECONDS - start)) "$log" >&2
        tail -n 30 "$log" | sed 's/^/    /' >&2
        printf 'full log: %s\n' "$log" >&2
    fi
    return "$rc"
}
