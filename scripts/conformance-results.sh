#!/usr/bin/env bash
# Regenerates docs/conformance-results.md: runs the conformance kit against Keyline and against the Portkey gateway
# (installed into .peers/portkey on first use), then tabulates both reports.
# Usage: scripts/conformance-results.sh [CASES] [SEED]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CASES="${1:-20}"
SEED="${2:-20261124}"
OUT="$ROOT/conformance-tests/target/results"
[[ -d "$ROOT/.peers/portkey/node_modules/@portkey-ai/gateway" ]] || "$ROOT/scripts/install-portkey.sh"
"$ROOT/keyline" conformance --profile keyline --cases "$CASES" --seed "$SEED" --out "$OUT/keyline" || true
"$ROOT/keyline" conformance --profile portkey --cases "$CASES" --seed "$SEED" --out "$OUT/portkey" || true
PORTKEY_VERSION="$(node -p "require('$ROOT/.peers/portkey/node_modules/@portkey-ai/gateway/package.json').version")"
HONO_VERSION="$(node -p "require('$ROOT/.peers/portkey/node_modules/@hono/node-server/package.json').version")"
python3 - "$OUT" "$CASES" "$SEED" "$PORTKEY_VERSION" "$HONO_VERSION" "$(date -u +%Y-%m-%d)" > "$ROOT/docs/conformance-results.md" <<'PY'
import json, sys
out, cases, seed, portkey, hono, day = sys.argv[1:7]
keyline = json.load(open(f"{out}/keyline/conformance-report.json"))
runs = [("Keyline " + keyline.get("version", "").split(": ")[-1], keyline),
        (f"Portkey {portkey} (@hono/node-server {hono})", json.load(open(f"{out}/portkey/conformance-report.json")))]
print("# Conformance results\n")
print(f"Generated {day} by `scripts/conformance-results.sh {cases} {seed}` on a 2-core machine: the kit "
      f"(`./keyline conformance`), {cases} generated cases per property, seed {seed}. Re-run that command to reproduce.\n")
print("| property | " + " | ".join(name for name, _ in runs) + " |")
print("|---|" + "---|" * len(runs))
ids = [r["id"] for r in runs[0][1]["results"]]
def cell(result):
    if result["status"] == "passed":
        return "passed"
    if result["status"] == "not-applicable":
        return "not applicable: " + result["counterexample"]
    text = result["counterexample"]
    case = text.split(":-", 1)[1].split("Cause was", 1)[0].strip() if ":-" in text else ""
    why = text.split("AssertionError:", 1)[1].strip() if "AssertionError:" in text else text
    if text.startswith("falsified by the case every run judges {"):
        case, why = text[len("falsified by the case every run judges {"):].split("}: ", 1)
    return f"**failed**: {why[:140]} (case: {case})".replace("|", "\\|")
for pid in ids:
    row = [cell(next(r for r in report["results"] if r["id"] == pid)) for _, report in runs]
    print(f"| `{pid}` | " + " | ".join(row) + " |")
print("\nRun times: " + ", ".join(f"{name}: {report['millis'] / 1000:.1f} s" for name, report in runs) + ".")
print("""
## How each gateway was run

- **Keyline**: the built jar, started by the kit's command-template launcher with the kit's LiteLLM-style
  `config.yaml` and decoy `ANTHROPIC_*` variables. Its `shared` group mixes protocols: the last deployment is a
  `hosted_vllm/` one that speaks chat completions only, so every property above was judged on that mix too, and
  on a lone chat completions deployment (group `chat`).
- **Portkey**: npm `@portkey-ai/gateway` installed by `scripts/install-portkey.sh` (with `@hono/node-server` pinned
  to 1.13.8; later versions break every streamed request), bound to loopback, routed per request with an
  `x-portkey-config` header per model group: the group's deployments as targets (`custom_host` with `/v1`,
  `api_key`, `forward_headers` for `anthropic-beta`/`anthropic-version`), `strategy: fallback`, one retry on
  429/500/502/503/529. It has no web-search loop, so its cases offer no search tool, and the search-loop properties
  are not applicable.
- **LiteLLM**: not run. Its Python package cannot be installed on these machines (no Python package index). The
  `litellm` profile writes the same `config.yaml` Keyline reads and starts `litellm --config {config} --port {port}`
  (or a container through `--gateway-image`).

## What surprised us in Portkey

- A client that sends the hop-by-hop header `Connection: Upgrade, HTTP2-Settings` (the JDK HttpClient's default
  on plain HTTP) gets HTTP 500 for every request: Portkey forwards the header to its upstream fetch, which refuses it
  ("invalid connection header"). The kit now speaks plain HTTP/1.1, like the Anthropic SDKs.
- Malformed JSON is answered with HTTP 500, not 400.
- There is no per-target static header in a config, so a deployment's extra header (here `X-Tenant`) cannot be
  configured; the client's `anthropic-beta`/`anthropic-version` reach the upstream only when `forward_headers`
  names them (in config mode they are otherwise replaced by defaults).
- Retries back off 1 s then 2 s, which is why its run takes several times longer than Keyline's.
""")
PY
echo "wrote $ROOT/docs/conformance-results.md"
