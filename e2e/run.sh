#!/usr/bin/env bash
# Runs the real-window tests: a fresh database, the app (the debug build unless REDRESS_APP names
# another) under Xvfb, tauri-driver on a free port, WebdriverIO sessions from node's test runner.
# Screenshots go to e2e/screenshots/.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd .. && pwd)"
export REDRESS_APP="${REDRESS_APP:-$ROOT/target/debug/redress-app}"
[ -x "$REDRESS_APP" ] || { echo "build the app first: make app-debug" >&2; exit 1; }
WORK="$(mktemp -d)"
export REDRESS_E2E_WORK="$WORK"
export REDRESS_SHOTS="$ROOT/e2e/screenshots"
mkdir -p "$REDRESS_SHOTS"
# Documents to add, made by the command line's demo generator.
(cd "$ROOT" && cargo run --quiet -p redress --features typescript --bin redress -- demo "$WORK/source" >/dev/null)
# A password-protected PDF as senders make them today (AES-256): qpdf makes it.
qpdf --encrypt user-secret owner-secret 256 -- "$WORK/source/docs/denial-notice.pdf" "$WORK/locked-denial.pdf"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
NATIVE_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
export REDRESS_DRIVER_PORT="$PORT" PORT NATIVE_PORT WORK
cleanup() {
  [ -n "${DRIVER:-}" ] && kill "$DRIVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# xvfb-run picks a free display; the app inherits the driver's environment. Each test file
# starts from an empty database of its own (`$WORK/data-<name>/`), with a driver of its own.
# REDRESS_E2E_ONLY=walk runs one file.
exec_tests() {
  status=0
  for file in tests/${REDRESS_E2E_ONLY:-*}.test.mjs; do
    name="$(basename "$file" .test.mjs)"
    export REDRESS_DB="$WORK/data-$name/redress.db"
    tauri-driver --port "$PORT" --native-port "$NATIVE_PORT" >"$WORK/driver-$name.log" 2>&1 &
    DRIVER=$!
    # tauri-driver answers before the WebKitWebDriver it starts does: wait for both.
    for _ in $(seq 1 300); do
      curl -sf "http://127.0.0.1:$PORT/status" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$NATIVE_PORT/status" >/dev/null 2>&1 && break
      sleep 0.1
    done
    one=0
    node --test --test-concurrency=1 --test-reporter=spec "$file" || one=$?
    [ $one -eq 0 ] || { status=$one; echo "--- tauri-driver log ($name) ---"; tail -40 "$WORK/driver-$name.log"; }
    kill "$DRIVER" 2>/dev/null || true
    wait "$DRIVER" 2>/dev/null || true
  done
  return $status
}
export -f exec_tests
xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" bash -c "$(declare -f exec_tests); exec_tests"
