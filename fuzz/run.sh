#!/usr/bin/env bash
# Run every cargo-fuzz target for a bounded time; exit non-zero if any target crashed.
#   FUZZ_SECONDS     seconds per target (default 60)
#   FUZZ_TARGETS     space-separated targets (default: all of them)
#   FUZZ_SANITIZER   none (default: the code under test has no unsafe) or address
#   FUZZ_JOBS        libFuzzer jobs per target (default 1)
#   FUZZ_RUNS        run exactly this many inputs per target with a fixed seed (FUZZ_SEED, default 1) instead of
#                    a time limit: the same result on every run of the same code (what CI uses)
# Needs only the stable toolchain: RUSTC_BOOTSTRAP=1 unlocks the nightly flags cargo-fuzz passes.
set -u
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
seconds="${FUZZ_SECONDS:-60}"
sanitizer="${FUZZ_SANITIZER:-none}"
jobs="${FUZZ_JOBS:-1}"
targets="${FUZZ_TARGETS:-convert_value ddl_translate config_env}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    cargo install cargo-fuzz --locked || { echo "fuzz: cannot install cargo-fuzz"; echo "fuzz: 0 passed, 1 failed"; exit 1; }
fi

# -a: debug assertions and overflow checks, so an arithmetic overflow is a crash too
if ! cargo fuzz build -a -s "$sanitizer"; then
    echo "fuzz: build failed"
    echo "fuzz: 0 passed, 1 failed"
    exit 1
fi

# several jobs write their output to fuzz-N.log instead of the terminal
parallel=""
if [ "$jobs" -gt 1 ]; then parallel="-jobs=$jobs -workers=$jobs"; fi

limit="-max_total_time=$seconds"
if [ -n "${FUZZ_RUNS:-}" ]; then limit="-runs=$FUZZ_RUNS -seed=${FUZZ_SEED:-1}"; fi

passed=0
failed=0
for t in $targets; do
    mkdir -p "corpus/$t" "seeds/$t"
    echo "fuzz: $t ($limit)"
    # new inputs go to corpus/<t> (ignored by git); seeds/<t> is read as well
    if cargo fuzz run -a -s "$sanitizer" "$t" "corpus/$t" "seeds/$t" -- \
        $limit -print_final_stats=1 $parallel; then
        passed=$((passed + 1))
    else
        echo "fuzz: $t FAILED (input in artifacts/$t/)"
        failed=$((failed + 1))
    fi
done
# config_env's scratch directories (an empty SQLite file, a URL file), one per fuzzing process
rm -rf "${TMPDIR:-/tmp}"/sqlite2pg-fuzz-config-*
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
