#!/usr/bin/env bash
# Installs claude-code-router (npm @musistudio/claude-code-router 1.0.73, Node 20) into .peers/claude-code-router for
# the conformance kit's claude-code-router profile. 2.x is one bundled file; 3.x needs Node 22.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.peers/claude-code-router"
mkdir -p "$DIR"
cat > "$DIR/package.json" <<'JSON'
{"name":"keyline-ccr-peer","private":true,
 "dependencies":{"@musistudio/claude-code-router":"1.0.73"}}
JSON
(cd "$DIR" && npm install --no-audit --no-fund --loglevel=error)
echo "claude-code-router installed in $DIR"
