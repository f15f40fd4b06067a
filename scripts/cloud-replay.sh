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
# The host's cloud and Anthropic identity, every way the SDKs would find it, pointing at a decoy that must hear
# nothing: Keyline uses each deployment's own account only.
DECOY="http://127.0.0.1:$((PORT + 1))"
printf '[default]\naws_access_key_id = AKIAHOSTDECOY0000001\naws_secret_access_key = host-secret\n' > "$WORK/credentials"
printf '{"type":"service_account","client_email":"host@host.iam.gserviceaccount.com","private_key":"x","token_uri":"%s/token"}' \
    "$DECOY" > "$WORK/host-account.json"
env AWS_ACCESS_KEY_ID=AKIAHOSTDECOY0000001 AWS_SECRET_ACCESS_KEY=host-secret AWS_SESSION_TOKEN=host-token \
    AWS_REGION=us-east-1 AWS_PROFILE=default AWS_SHARED_CREDENTIALS_FILE="$WORK/credentials" \
    AWS_ENDPOINT_URL="$DECOY" AWS_BEARER_TOKEN_BEDROCK=host-bedrock-key AWS_EC2_METADATA_SERVICE_ENDPOINT="$DECOY" \
    GOOGLE_APPLICATION_CREDENTIALS="$WORK/host-account.json" GCE_METADATA_HOST="127.0.0.1:$((PORT + 1))" \
    ANTHROPIC_API_KEY=sk-ant-host-decoy ANTHROPIC_BASE_URL="$DECOY" \
    "$JAVA_HOME/bin/java" -cp "$CP" dev.keyline.app.provider.CloudReplay "$CLOUD" "$PORT" "$((PORT + 1))" \
    > "$WORK/replay.log" 2>&1 &
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
grep -A100 "calls verified\|decoys" "$WORK/replay.log" || tail -20 "$WORK/replay.log"
