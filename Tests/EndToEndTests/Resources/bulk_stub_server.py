"""A stand-in for a node's bulk endpoint, to test `cockatrice import` as a client.

It records every accepted batch (one JSON line per request in --log) and can answer 503 to the
first requests (as a node without a leader does) or 400 to a batch holding a given id. Prints
its port on the first line of stdout, then serves until killed.
"""
import argparse
import json
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--log", required=True)
parser.add_argument("--unavailable-first", type=int, default=0)
parser.add_argument("--reject-id", default=None)
parser.add_argument("--retry-after", default="0")
args = parser.parse_args()
# A child of a Swift test runner inherits its blocked signals: let SIGTERM stop us.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
lock = threading.Lock()
state = {"requests": 0}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def reply(self, status, payload, headers=None):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        with lock:
            state["requests"] += 1
            n = state["requests"]
        if n <= args.unavailable_first:
            return self.reply(503, {"error": {"code": "no_leader", "type": "unavailable", "reason": "no leader yet"}},
                              {"Retry-After": args.retry_after})
        ids = [json.loads(line)["id"] for line in body.splitlines() if line.strip()]
        if args.reject_id is not None and args.reject_id in ids:
            return self.reply(400, {"error": {"code": "invalid_document", "type": "invalid_request",
                                              "reason": "document '%s': field 'x' is not in the schema" % args.reject_id}})
        with lock, open(args.log, "a") as log:
            log.write(json.dumps({"path": self.path, "content_type": self.headers.get("Content-Type"), "ids": ids}) + "\n")
        self.reply(202, {"log_index": n})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
