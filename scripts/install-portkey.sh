#!/usr/bin/env bash
# Installs the Portkey gateway (npm @portkey-ai/gateway 1.15.2) into .peers/portkey for the conformance kit, with
# @hono/node-server pinned to 1.13.8: from 1.14.2 on, every streamed request through Portkey fails with a 500.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.peers/portkey"
mkdir -p "$DIR"
cat > "$DIR/package.json" <<'JSON'
{"name":"keyline-portkey-peer","private":true,
 "dependencies":{"@portkey-ai/gateway":"1.15.2"},
 "overrides":{"@hono/node-server":"1.13.8"}}
JSON
# Portkey's server binds every interface and has no host flag; this preload keeps it on loopback.
cat > "$DIR/bind-local.cjs" <<'JS'
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number') { args.splice(1, 0, '127.0.0.1'); if (typeof args[2] === 'number') args.splice(2, 1); }
  else if (args[0] && typeof args[0] === 'object' && !args[0].host) { args[0] = { ...args[0], host: '127.0.0.1' }; }
  return listen.apply(this, args);
};
JS
(cd "$DIR" && npm install --no-audit --no-fund --loglevel=error)
echo "Portkey installed in $DIR"
