#!/usr/bin/env bash
# Installs nullplatform's LLM gateway (npm @nullplatform/llm-gateway 2.0.11) into .peers/nullplatform for the
# conformance kit's nullplatform profile, with @nullplatform/llm-gateway-sdk pinned to 2.0.2: the SDK depends on an
# unpublished version of itself.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.peers/nullplatform"
mkdir -p "$DIR"
cat > "$DIR/package.json" <<'JSON'
{"name":"keyline-nullplatform-peer","private":true,
 "dependencies":{"@nullplatform/llm-gateway":"2.0.11"},
 "overrides":{"@nullplatform/llm-gateway-sdk":"2.0.2"}}
JSON
(cd "$DIR" && npm install --no-audit --no-fund --loglevel=error)
echo "nullplatform llm-gateway installed in $DIR"
