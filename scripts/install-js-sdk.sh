#!/usr/bin/env bash
# Installs the Anthropic TypeScript SDK (npm @anthropic-ai/sdk 1.12.0, which sends Authorization: Bearer and
# anthropic-version 2026-10-21) and the OpenAI one (npm openai 7.59.0) into .peers/js-sdk, for the real-client tests
# against the launched gateway.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.peers/js-sdk"
if [[ -d "$DIR/node_modules/@anthropic-ai/sdk" && -d "$DIR/node_modules/openai" ]]; then
    exit 0
fi
mkdir -p "$DIR"
cat > "$DIR/package.json" <<'JSON'
{"name":"keyline-js-sdk-peer","private":true,"type":"module",
 "dependencies":{"@anthropic-ai/sdk":"1.12.0","openai":"7.59.0"}}
JSON
(cd "$DIR" && npm install --no-audit --no-fund --loglevel=error)
echo "@anthropic-ai/sdk and openai installed in $DIR"
