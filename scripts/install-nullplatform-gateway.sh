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
# It listens on every interface whatever its server.host says; this preload keeps it on loopback.
cat > "$DIR/bind-local.cjs" <<'JS'
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number') { args.splice(1, 0, '127.0.0.1'); if (typeof args[2] === 'number') args.splice(2, 1); }
  else if (args[0] && typeof args[0] === 'object') { args[0] = { ...args[0], host: '127.0.0.1' }; }
  return listen.apply(this, args);
};
JS
(cd "$DIR" && npm install --no-audit --no-fund --loglevel=error)
echo "nullplatform llm-gateway installed in $DIR"
