#!/usr/bin/env bash
# Measures the gateway's start-up time (process launch to the first 200 on /health/readiness) and its resident
# memory after start and after a burst of requests, against a local fake upstream. Prints one line per run.
# Usage: scripts/startup-figures.sh [RUNS]   (builds the jar first through ./keyline build when missing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

[[ -f "$ROOT/app/target/keyline.jar" ]] || "$ROOT/keyline" build
JAVA="$(source <(sed -n '/^java_major()/,/^}/p;/^find_jdk()/,/^}/p' "$ROOT/keyline"); find_jdk; echo "$JAVA_HOME/bin/java")"

cat > "$WORK/upstream.py" <<'PY'
import http.server, json
BODY = json.dumps({"id": "msg_1", "type": "message", "role": "assistant", "model": "m",
                   "content": [{"type": "text", "text": "Hello"}], "stop_reason": "end_turn",
                   "stop_sequence": None, "usage": {"input_tokens": 5, "output_tokens": 1}}).encode()
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200); self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(BODY))); self.end_headers(); self.wfile.write(BODY)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", 18199), Handler).serve_forever()
PY
python3 "$WORK/upstream.py" &
cat > "$WORK/config.yaml" <<'YAML'
model_list:
  - model_name: m
    litellm_params: {model: anthropic/m, api_base: "http://127.0.0.1:18199", api_key: os.environ/UPSTREAM_KEY}
YAML

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }
for run in $(seq 1 "$RUNS"); do
    start=$(date +%s%N)
    UPSTREAM_KEY=sk-measure "$JAVA" -jar "$ROOT/app/target/keyline.jar" serve --config "$WORK/config.yaml" \
        --port 18198 > "$WORK/gateway.log" 2>&1 &
    pid=$!
    until curl -sf -o /dev/null http://127.0.0.1:18198/health/readiness; do sleep 0.01; done
    ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    rss_idle=$(rss $pid)
    for i in $(seq 1 200); do
        curl -s -o /dev/null http://127.0.0.1:18198/v1/messages \
            -d '{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}'
    done
    echo "run $run: ready in ${ready_ms} ms, RSS ${rss_idle} MB after start, $(rss $pid) MB after 200 requests"
    kill $pid; wait $pid 2>/dev/null || true
done
