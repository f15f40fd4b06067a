#!/usr/bin/env python3
# Usage: request-log-proxy.py LISTEN_PORT TARGET_PORT LOG_FILE (loopback only)
# Logs every request Claude Code makes (method, path, a few headers) and forwards it to Keyline.
import http.client, json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
LISTEN, TARGET, LOG = int(sys.argv[1]), int(sys.argv[2]), open(sys.argv[3], "a")
class P(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def forward(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0) or 0))
        LOG.write(json.dumps({"method": self.command, "path": self.path,
            "anthropic-beta": self.headers.get("anthropic-beta"), "bytes": len(body)}) + "\n"); LOG.flush()
        c = http.client.HTTPConnection("127.0.0.1", TARGET, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "accept-encoding")}
        c.request(self.command, self.path, body=body or None, headers=headers)
        r = c.getresponse(); data = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("transfer-encoding", "content-length", "connection"):
                self.send_header(k, v)
        self.send_header("content-length", str(len(data))); self.end_headers(); self.wfile.write(data)
    do_GET = forward; do_POST = forward
ThreadingHTTPServer(("127.0.0.1", LISTEN), P).serve_forever()
