#!/usr/bin/env bash
# Records which requests Claude Code makes to Keyline with gateway model discovery on, offline and on loopback:
# Keyline (the built jar) in front of examples/fake-vllm.py with two model groups, a logging proxy in between.
# Needs Claude Code: CLAUDE_BIN=/path/to/claude (npm i @anthropic-ai/claude-code@2.1.330; bin/claude.exe).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLAUDE_BIN="${CLAUDE_BIN:?set CLAUDE_BIN to the Claude Code binary}"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
cat > "$WORK/config.yaml" <<'YAML'
model_list:
  - model_name: local-qwen
    litellm_params: {model: hosted_vllm/qwen3, api_base: "http://127.0.0.1:18090/v1", api_key: os.environ/VLLM_KEY}
  - model_name: local-qwen-fast
    litellm_params: {model: hosted_vllm/qwen3-small, api_base: "http://127.0.0.1:18090/v1", api_key: os.environ/VLLM_KEY}
general_settings:
  master_key: sk-gateway-discovery
YAML
python3 "$ROOT/examples/fake-vllm.py" > "$WORK/fake.log" 2>&1 &
python3 "$ROOT/scripts/request-log-proxy.py" 4093 4092 "$WORK/requests.log" > "$WORK/proxy.log" 2>&1 &
VLLM_KEY=sk-vllm-cc-7777 "$ROOT/keyline" serve --config "$WORK/config.yaml" --port 4092 > "$WORK/keyline.log" 2>&1 &
for _ in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:4092/health/readiness && break; sleep 0.5; done
HOME="$WORK" CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY=1 ANTHROPIC_BASE_URL=http://127.0.0.1:4093 \
    ANTHROPIC_API_KEY=sk-gateway-discovery ANTHROPIC_MODEL=local-qwen ANTHROPIC_SMALL_FAST_MODEL=local-qwen-fast \
    DISABLE_TELEMETRY=1 "$CLAUDE_BIN" -p "hi" --output-format json > "$WORK/claude.json" 2> "$WORK/claude.err"
echo "Claude Code's requests to Keyline:"
cat "$WORK/requests.log"
