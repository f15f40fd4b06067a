#!/usr/bin/env python3
# Used to try Claude Code against Keyline with a hosted_vllm deployment (docs/web-search.md; examples/vllm-websearch.yaml). Listens on 18090
# (the model) and 18091 (a decoy that logs any request). Writes /tmp/ccoai/upstream.log.
# A chat-completions model that plays Claude Code's web-search turn; it refuses anything Anthropic-shaped.
import json, os
os.makedirs("/tmp/ccoai", exist_ok=True)
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
KEY = "sk-vllm-cc-7777"
LOG = open("/tmp/ccoai/upstream.log", "a")

def chunk(delta, finish=None):
    return "data: " + json.dumps({"id": "chatcmpl-cc", "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}) + "\n\n"

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
        LOG.write(json.dumps({"path": self.path, "auth": self.headers.get("authorization"),
                              "x-api-key": self.headers.get("x-api-key"),
                              "anthropic-version": self.headers.get("anthropic-version"), "bytes": len(body)}) + "\n"); LOG.flush()
        if self.path != "/v1/chat/completions" or self.headers.get("authorization") != "Bearer " + KEY:
            return self.reply(401 if self.path == "/v1/chat/completions" else 404, {"error": {"message": "no", "type": "auth"}})
        req = json.loads(body)
        for bad in ('"input_schema"', '"tool_use"', '"tool_result"', 'web_search_2025', '"stop_sequences"'):
            if bad in body:
                return self.reply(400, {"error": {"message": "not an OpenAI request: " + bad, "type": "invalid_request_error"}})
        fns = [t["function"]["name"] for t in req.get("tools", [])]
        msgs = req["messages"]
        last = msgs[-1]
        called = [c["function"]["name"] for m in msgs if m["role"] == "assistant" for c in (m.get("tool_calls") or [])]
        text, call = None, None
        if last["role"] == "tool":
            if "web_search" in called:
                text = "According to the search: " + last["content"][:300]
            elif "loaded" in last["content"] and "WebSearch" in last["content"]:
                q = next(m["content"] for m in msgs if m["role"] == "user")
                q = q if isinstance(q, str) else " ".join(p.get("text", "") for p in q)
                call = ("WebSearch", {"query": "Java 25 release date"})
            else:
                text = "[fake chat model] Here is what the web search found: " + last["content"][:400]
        elif "web_search" in fns:
            user = next(m["content"] for m in msgs if m["role"] == "user")
            user = user if isinstance(user, str) else " ".join(p.get("text", "") for p in user)
            call = ("web_search", {"query": user.replace("Perform a web search for the query: ", "")[:100]})
        elif "WebSearch" in fns:
            call = ("WebSearch", {"query": "Java 25 release date"})
        elif "ToolSearch" in fns:
            call = ("ToolSearch", {"query": "select:WebSearch", "max_results": 1})
        else:
            text = "ok"
        if req.get("stream"):
            self.send_response(200); self.send_header("content-type", "text/event-stream")
            self.send_header("transfer-encoding", "chunked"); self.end_headers()
            parts = [chunk({"role": "assistant", "content": ""})]
            if text:
                for i in range(0, len(text), 40):
                    parts.append(chunk({"content": text[i:i+40]}))
                parts.append(chunk({}, "stop"))
            else:
                args = json.dumps(call[1])
                parts.append(chunk({"tool_calls": [{"index": 0, "id": "call_" + call[0], "type": "function",
                                     "function": {"name": call[0], "arguments": args[:10]}}]}))
                parts.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": args[10:]}}]}))
                parts.append(chunk({}, "tool_calls"))
            parts.append("data: " + json.dumps({"id": "chatcmpl-cc", "choices": [], "usage": {"prompt_tokens": 120, "completion_tokens": 30}}) + "\n\n")
            parts.append("data: [DONE]\n\n")
            for p in parts:
                b = p.encode(); self.wfile.write(b"%x\r\n" % len(b) + b + b"\r\n"); self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n"); self.wfile.flush()
        else:
            msg = {"role": "assistant", "content": text}
            if call:
                msg["tool_calls"] = [{"id": "call_" + call[0], "type": "function", "function": {"name": call[0], "arguments": json.dumps(call[1])}}]
            self.reply(200, {"id": "chatcmpl-cc", "choices": [{"index": 0, "message": msg, "finish_reason": "tool_calls" if call else "stop"}],
                             "usage": {"prompt_tokens": 120, "completion_tokens": 30}})
    def reply(self, status, obj):
        b = json.dumps(obj).encode()
        self.send_response(status); self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(b))); self.end_headers(); self.wfile.write(b)

class Decoy(BaseHTTPRequestHandler):
    def do_POST(self):
        open("/tmp/ccoai/decoy.log", "a").write(self.path + "\n"); self.send_response(401); self.end_headers()
    do_GET = do_POST

import threading
threading.Thread(target=ThreadingHTTPServer(("127.0.0.1", 18091), Decoy).serve_forever, daemon=True).start()
ThreadingHTTPServer(("127.0.0.1", 18090), H).serve_forever()
