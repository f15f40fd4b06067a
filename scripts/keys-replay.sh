#!/usr/bin/env bash
# Virtual keys as a new user tries them, offline: the demo (embedded database, a master key and a key with a $0.01
# budget), a second key made with ./keyline keys create, then the Anthropic TypeScript SDK and Claude Code through
# each, web-search loops included, until the budgeted key is refused; its spend from /key/info, keys list and
# /spend/logs; the other key unaffected. Run it in a network
# namespace of its own to prove nothing leaves the machine:
#   unshare --net bash -c 'ip link set lo up; CLAUDE_BIN=… scripts/keys-replay.sh'
# Needs the build (./keyline test or mvn install) and, for Claude Code, CLAUDE_BIN=/path/to/claude
# (npm i @anthropic-ai/claude-code@2.1.330; bin/claude.exe). The TypeScript SDK is installed by scripts/install-js-sdk.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
PORT="${PORT:-4098}"
URL="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
"$JAVA_HOME/bin/java" -jar "$ROOT/app/target/keyline.jar" demo --port "$PORT" > "$WORK/demo.log" 2>&1 &
DEMO=$!
cleanup() { kill "$DEMO" 2>/dev/null || true; wait "$DEMO" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 120); do grep -q "Stop with Ctrl-C" "$WORK/demo.log" && break; sleep 0.5; done
MASTER="$(awk '/the master key/ {print $5; exit}' "$WORK/demo.log")"
BUDGETED="$(awk '/a budgeted key/ {print $4; exit}' "$WORK/demo.log")"
[[ -n "$MASTER" && -n "$BUDGETED" ]] || { cat "$WORK/demo.log"; exit 1; }
echo "== demo at $URL: master key ${MASTER:0:15}…, budgeted key ${BUDGETED:0:10}… (\$0.01)"
echo "== a second key, with ./keyline keys create:"
ANA="$(KEYLINE_MASTER_KEY="$MASTER" "$JAVA_HOME/bin/java" -jar "$ROOT/app/target/keyline.jar" keys create --url "$URL" \
    --alias ana --models keyline-demo)"

[[ -d "$ROOT/.peers/js-sdk/node_modules/@anthropic-ai/sdk" ]] || "$ROOT/scripts/install-js-sdk.sh" >&2
cp "$ROOT/conformance-tests/src/test/resources/js-sdk/search-loop.mjs" "$ROOT/.peers/js-sdk/search-loop.mjs"

claude_turn() {
    mkdir -p "$WORK/home"
    HOME="$WORK/home" ANTHROPIC_BASE_URL="$URL" ANTHROPIC_API_KEY="$1" \
        ANTHROPIC_MODEL=keyline-demo ANTHROPIC_SMALL_FAST_MODEL=keyline-demo \
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 DISABLE_AUTOUPDATER=1 \
        DISABLE_ERROR_REPORTING=1 "$CLAUDE_BIN" -p "Search the web: when was Java 25 released?" \
        --allowedTools WebSearch,ToolSearch --output-format json \
        | python3 -c 'import json,sys; r=json.load(sys.stdin); u=r.get("modelUsage",{}); print(json.dumps({"is_error": r.get("is_error"), "result": r.get("result","")[:200], "webSearchRequests": sum(m.get("webSearchRequests",0) for m in u.values())}))' \
        || true
}
echo "== Anthropic TypeScript SDK, budgeted key, web search JSON then streamed:"
(cd "$ROOT/.peers/js-sdk" && node search-loop.mjs "$URL" "$BUDGETED" keyline-demo) 2>&1 | cut -c1-400 || true
if [[ -n "${CLAUDE_BIN:-}" ]]; then
    echo "== Claude Code, budgeted key, WebSearch (the budget has run out):"
    claude_turn "$BUDGETED"
fi
echo "== the budgeted key now, with curl:"
curl -s "$URL/v1/messages" -H "x-api-key: $BUDGETED" -H 'content-type: application/json' \
    -d '{"model":"keyline-demo","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}' -w ' HTTP %{http_code}\n'
if [[ -n "${CLAUDE_BIN:-}" ]]; then
    echo "== Claude Code, the other key, WebSearch (unaffected):"
    claude_turn "$ANA"
fi
echo "== Anthropic TypeScript SDK, the other key (unaffected):"
(cd "$ROOT/.peers/js-sdk" && node search-loop.mjs "$URL" "$ANA" keyline-demo) 2>&1 | cut -c1-200 || true
sleep 1
echo "== /key/info of the budgeted key:"
curl -s "$URL/key/info?key=$BUDGETED" -H "x-api-key: $MASTER" \
    | python3 -c 'import json,sys; i=json.load(sys.stdin)["info"]; print({k: i[k] for k in ("key_alias","spend","max_budget","requests","last_used")})'
echo "== ./keyline keys list:"
KEYLINE_MASTER_KEY="$MASTER" "$JAVA_HOME/bin/java" -jar "$ROOT/app/target/keyline.jar" keys list --url "$URL"
echo "== /spend/logs:"
curl -s "$URL/spend/logs" -H "x-api-key: $MASTER" \
    | python3 -c 'import json,sys
for r in json.load(sys.stdin): print(r["endTime"], r["key_alias"], r["model_group"], "tokens", r["prompt_tokens"], "+", r["completion_tokens"], "searches", r["searches"], "spend", r["spend"], "status", r["status"])'
