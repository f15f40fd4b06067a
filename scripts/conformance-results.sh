#!/usr/bin/env bash
# Regenerates docs/conformance-results.md: runs the conformance kit against Keyline, the Portkey gateway,
# claude-code-router and nullplatform's llm-gateway (each installed into .peers/ on first use), then tabulates them.
# Usage: scripts/conformance-results.sh [CASES] [SEED]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CASES="${1:-20}"
SEED="${2:-20261124}"
OUT="$ROOT/conformance-tests/target/results"
[[ -d "$ROOT/.peers/portkey/node_modules/@portkey-ai/gateway" ]] || "$ROOT/scripts/install-portkey.sh"
[[ -x "$ROOT/.peers/claude-code-router/node_modules/.bin/ccr" ]] || "$ROOT/scripts/install-claude-code-router.sh"
[[ -f "$ROOT/.peers/nullplatform/bind-local.cjs" ]] || "$ROOT/scripts/install-nullplatform-gateway.sh"
for profile in keyline portkey claude-code-router nullplatform; do
  "$ROOT/keyline" conformance --profile "$profile" --cases "$CASES" --seed "$SEED" --out "$OUT/$profile" || true
  "$ROOT/keyline" conformance --profile "$profile" --surface chat --cases "$CASES" --seed "$SEED" \
    --out "$OUT/$profile-chat" || true
done
version() { node -p "require('$ROOT/.peers/$1/node_modules/$2/package.json').version"; }
PORTKEY_VERSION="$(version portkey @portkey-ai/gateway)"
HONO_VERSION="$(version portkey @hono/node-server)"
CCR_VERSION="$(version claude-code-router @musistudio/claude-code-router)"
NULLPLATFORM_VERSION="$(version nullplatform @nullplatform/llm-gateway)"
python3 - "$OUT" "$CASES" "$SEED" "$PORTKEY_VERSION" "$HONO_VERSION" "$(date -u +%Y-%m-%d)" "$CCR_VERSION" \
  "$NULLPLATFORM_VERSION" \
  > "$ROOT/docs/conformance-results.md" <<'PY'
import json, sys
out, cases, seed, portkey, hono, day, ccr, nullplatform = sys.argv[1:9]
keyline = json.load(open(f"{out}/keyline/conformance-report.json"))
gateways = [("Keyline " + keyline.get("version", "").split(": ")[-1], "keyline"),
            (f"Portkey {portkey} (@hono/node-server {hono})", "portkey"),
            (f"claude-code-router {ccr}", "claude-code-router"),
            (f"nullplatform llm-gateway {nullplatform}", "nullplatform")]
runs = [(name, json.load(open(f"{out}/{profile}/conformance-report.json"))) for name, profile in gateways]
chat_runs = [(name, json.load(open(f"{out}/{profile}-chat/conformance-report.json"))) for name, profile in gateways]
print("# Conformance results\n")
print(f"Generated {day} by `scripts/conformance-results.sh {cases} {seed}` on a 2-core machine: the kit "
      f"(`./keyline conformance`), {cases} generated cases per property, seed {seed}. Re-run that command to reproduce.\n")
print("## Messages door (`/v1/messages`, as Claude Code and the Anthropic SDKs ask)\n")
print("| property | " + " | ".join(name for name, _ in runs) + " |")
print("|---|" + "---|" * len(runs))
ids = [r["id"] for r in runs[0][1]["results"]]
all_capabilities = runs[0][1].get("capabilities", [])
def cell(result):
    if result["status"] == "passed":
        return "passed"
    if result["status"] == "not-applicable":
        return "not applicable: " + result["counterexample"].split(" (", 1)[0]
    text = result["counterexample"]
    case = text.split(":-", 1)[1].split("Cause was", 1)[0].strip() if ":-" in text else ""
    why = text.split("AssertionError:", 1)[1].strip() if "AssertionError:" in text else text
    if text.startswith("falsified by the case every run judges {"):
        case, why = text[len("falsified by the case every run judges {"):].split("}: ", 1)
    return f"**failed**: {why[:140]} (case: {case})".replace("|", "\\|")
for pid in ids:
    row = [cell(next(r for r in report["results"] if r["id"] == pid)) for _, report in runs]
    print(f"| `{pid}` | " + " | ".join(row) + " |")
print("| capabilities not declared | " + " | ".join(
    ", ".join(f"`{c}`" for c in all_capabilities if c not in report.get("capabilities", [])) or "none"
    for _, report in runs) + " |")
print("\nRun times: " + ", ".join(f"{name}: {report['millis'] / 1000:.1f} s" for name, report in runs) + ".")
print("\n## Chat completions door (`/v1/chat/completions`, `--surface chat`, as the OpenAI SDKs ask)\n")
print("| property | " + " | ".join(name for name, _ in chat_runs) + " |")
print("|---|" + "---|" * len(chat_runs))
for pid in [r["id"] for r in chat_runs[0][1]["results"]]:
    row = [cell(next(r for r in report["results"] if r["id"] == pid)) for _, report in chat_runs]
    print(f"| `{pid}` | " + " | ".join(row) + " |")
print("\nRun times: " + ", ".join(f"{name}: {report['millis'] / 1000:.1f} s" for name, report in chat_runs) + ".")
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
- **claude-code-router**: npm `@musistudio/claude-code-router` installed by `scripts/install-claude-code-router.sh`,
  started as `ccr start` with `HOME` set to the run's directory, where the kit's template
  (`conformance-tests/profiles/claude-code-router.yaml`) writes `.claude-code-router/config.json`: one provider per
  deployment (`api_base_url` the full endpoint, the Anthropic transformer for Anthropic-compatible ones), `APIKEY`
  the kit's gateway key, a request naming its deployment as `"provider,model"`. It has no model groups, so the pool
  is the lone Anthropic-compatible deployment and the lone chat completions one.
- **nullplatform llm-gateway**: npm `@nullplatform/llm-gateway` installed by `scripts/install-nullplatform-gateway.sh`
  (with `@nullplatform/llm-gateway-sdk` pinned to 2.0.2), started with the YAML the kit's template writes
  (`conformance-tests/profiles/nullplatform.yaml`). It answers with a project's default model whatever the request's
  `model` says, so each kit group is a project of its own with one model, reached at `/<group>/anthropic/v1/messages`.
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
- `header-propagation` passes since the kit judges what a profile declares: Portkey's profile does not declare
  `deployment-headers`, so the pool has none and the property judges the client's headers and the gateway key only.
  Before profiles declared capabilities it failed on the missing `X-Tenant`.

## What we checked by hand in claude-code-router

- `error-shape`: malformed JSON is answered with HTTP 400 but an OpenAI-like body (`{"error":{"message":…,"type":
  "api_error","code":"FST_ERR_CTP_INVALID_JSON_BODY"}}`) whose message carries a JavaScript stack trace with the
  server's file paths. A real defect: the Anthropic SDKs cannot read the error's type, and the paths leak.
- `usage-sum` and `stream-equivalence` (group `chat`, streamed): the streamed answer's usage is 0/0 where the JSON
  answer to the same request has 100/7. The fake chat server sends its usage in a last chunk with empty `choices`
  (OpenAI's shape when `stream_options.include_usage` is set); claude-code-router does not ask for it unless its
  `streamoptions` transformer is configured, and with the usage chunk present it still reported 0. For a user, a
  streamed answer through an OpenAI-compatible provider reports no tokens (Claude Code's context meter, any spend
  accounting). Not yet replayed against a real vLLM stream.

## What we checked by hand in nullplatform's llm-gateway

- `header-propagation`: the client's `anthropic-beta` never reaches the upstream (its Anthropic provider sends its
  own headers only). A real defect: beta features a client asks for (Claude Code sends several) are silently off.
- `usage-sum` and `stream-equivalence` (group `chat`, streamed): it does ask the chat server for usage
  (`stream_options.include_usage`), but its Anthropic stream states `input_tokens` only in `message_start`, before the
  usage arrives, and `message_delta` carries `output_tokens` alone, so a streamed answer reports 0 input tokens. A
  real defect for anyone counting tokens or spend.
- `error-shape`: malformed JSON gets HTTP 500 (as with Portkey), not 400. A real defect, small: the client's mistake
  reads as the gateway's.
- Its providers retry an upstream 4xx such as 413 three times with backoff (1 s, 2 s) on the same deployment, which
  is why its run takes longer; the kit does not judge that (no `retries` declared: it never goes to another
  deployment).
- Chat door, `stream-equivalence`: asked with `stream_options.include_usage`, its stream carries no usage chunk, so an
  OpenAI SDK user streaming gets no token counts, where the JSON answer has them. A real defect.
- Chat door, `error-shape`: malformed JSON gets HTTP 500, as on its Messages door.

## What we checked by hand on the chat door of the others

- Portkey, `error-shape`: malformed JSON gets HTTP 500, as on its Messages door.
- claude-code-router, `hop-credentials`, `header-propagation` and `error-shape`: through its chat door, an
  Anthropic-compatible provider gets its own key as `Authorization: Bearer` only, with no `x-api-key` and no
  `anthropic-version` (its Messages door sends both). Nothing leaks (it is that deployment's key), but Anthropic's API
  takes an API key only as `x-api-key` and requires `anthropic-version`, so every such call is refused; the kit's
  fake refuses it the same way (401), and that 401 is what the error cases then see. A real defect for anyone
  reaching Anthropic through claude-code-router with an OpenAI client; Anthropic-compatible hosts that accept
  Bearer (several do) would serve it.
""")
PY
echo "wrote $ROOT/docs/conformance-results.md"
