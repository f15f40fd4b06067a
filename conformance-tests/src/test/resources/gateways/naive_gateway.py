#!/usr/bin/env python3
"""A deliberately naive gateway, NOT Keyline: it forwards /v1/messages to the first deployment of the requested
model group and relays the answer. No web-search interception, no retries; it drops the request's metadata. The conformance kit runs it through its
command-template launcher to show that it judges gateways other than Keyline.

Usage: naive_gateway.py CONFIG PORT
"""
import http.server
import json
import os
import sys
import urllib.error
import urllib.request

import yaml

config = yaml.safe_load(open(sys.argv[1]))
port = int(sys.argv[2])


def resolve(value):
    if isinstance(value, str) and value.startswith("os.environ/"):
        return os.environ[value[len("os.environ/"):]]
    return value


groups = {}
for entry in config["model_list"]:
    groups.setdefault(entry["model_name"], entry["litellm_params"])
# A planted defect for the kit's own tests: every call carries the key of the first deployment in the file.
LEAK = os.environ.get("NAIVE_GATEWAY_LEAK") == "1"
first_key = config["model_list"][0]["litellm_params"]["api_key"]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.reply(200, "application/json", b'{"status":"ok"}')

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        try:
            request = json.loads(body)
            params = groups[request["model"]]
        except (ValueError, KeyError):
            self.reply(400, "application/json", b'{"type":"error","error":{"type":"invalid_request_error","message":"bad request"}}')
            return
        request["model"] = params["model"].split("/", 1)[1]
        # Anthropic's metadata is the client's business, not the upstream's: a gateway may drop it, and this one does.
        request.pop("metadata", None)
        key = resolve(first_key if LEAK else params["api_key"])
        headers = {"content-type": "application/json", "x-api-key": key,
                   "anthropic-version": self.headers.get("anthropic-version", "2023-06-01")}
        if self.headers.get("anthropic-beta"):
            headers["anthropic-beta"] = self.headers["anthropic-beta"]
        headers.update(params.get("extra_headers") or {})
        upstream = urllib.request.Request(params["api_base"] + "/v1/messages", data=json.dumps(request).encode(),
                                          headers=headers, method="POST")
        try:
            with urllib.request.urlopen(upstream, timeout=30) as answer:
                self.reply(answer.status, answer.headers.get("content-type", "application/json"), answer.read())
        except urllib.error.HTTPError as error:
            self.reply(error.code, error.headers.get("content-type", "application/json"), error.read())

    def reply(self, status, content_type, payload):
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
