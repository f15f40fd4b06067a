#!/usr/bin/env bash
# Claude Code and the Anthropic TypeScript SDK, through Keyline, against a cloud-shaped fake, offline, on loopback:
# `cloud-replay.sh bedrock` (every SigV4 signature verified by the fake's own code, AWS's binary event stream) or
# `cloud-replay.sh vertex` (tokens minted only for the deployment's service account, its RS256 assertion verified).
# The fake's model is the demo's simulated one, which plays Claude Code's deferred WebSearch. Prints what each client
# got and every call the fake verified.
# Needs the build (./keyline test or mvn install) and, for Claude Code, CLAUDE_BIN=/path/to/claude
# (npm i @anthropic-ai/claude-code@2.1.330; bin/claude.exe). The TypeScript SDK is installed by scripts/install-js-sdk.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
CLOUD="${1:?bedrock or vertex}"
PORT="${PORT:-4097}"
WORK="$(mktemp -d)"
cleanup() { kill "$REPLAY" 2>/dev/null || true; wait "$REPLAY" 2>/dev/null || true; rm -rf "$WORK"; }
(cd "$ROOT" && mvn -B -q -o -ntp dependency:build-classpath -pl app -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/cp.txt") >&2
CP="$ROOT/app/target/test-classes:$ROOT/app/target/classes:$(cat "$WORK/cp.txt")"
"$JAVA_HOME/bin/java" -cp "$CP" dev.keyline.app.provider.CloudReplay "$CLOUD" "$PORT" > "$WORK/replay.log" 2>&1 &
REPLAY=$!
trap cleanup EXIT
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$PORT/health/readiness" && break; sleep 0.5; done

[[ -d "$ROOT/.peers/js-sdk/node_modules/@anthropic-ai/sdk" ]] || "$ROOT/scripts/install-js-sdk.sh" >&2
cp "$ROOT/conformance-tests/src/test/resources/js-sdk/search-loop.mjs" "$ROOT/.peers/js-sdk/search-loop.mjs"
echo "== Anthropic TypeScript SDK, web search, JSON then streamed:"
(cd "$ROOT/.peers/js-sdk" && node search-loop.mjs "http://127.0.0.1:$PORT" sk-replay-gateway claude-on-cloud)

if [[ -n "${CLAUDE_BIN:-}" ]]; then
    echo "== Claude Code, WebSearch:"
    mkdir -p "$WORK/home"
    HOME="$WORK/home" ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT" ANTHROPIC_API_KEY=sk-replay-gateway \
        ANTHROPIC_MODEL=claude-on-cloud ANTHROPIC_SMALL_FAST_MODEL=claude-on-cloud \
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 DISABLE_AUTOUPDATER=1 \
        DISABLE_ERROR_REPORTING=1 "$CLAUDE_BIN" -p "When was Java 25 released? Search the web." \
        --allowedTools WebSearch,ToolSearch --output-format json \
        | python3 -c 'import json,sys; r=json.load(sys.stdin); u=r.get("modelUsage",{}); print(json.dumps({"is_error": r.get("is_error"), "result": r.get("result","")[:300], "webSearchRequests": sum(m.get("webSearchRequests",0) for m in u.values())}))'
fi

kill "$REPLAY"; wait "$REPLAY" 2>/dev/null || true
echo "== The fake $CLOUD:"
grep -A100 "calls verified" "$WORK/replay.log" || tail -20 "$WORK/replay.log"
