#!/usr/bin/env python3
"""Compares Keyline builds side by side on the bench's JSON scenario: one nginx upstream with a fixed answer (the
Anthropic API's shape), every build started at once, warmed up, then measured in interleaved rounds (each round
starts with the next path, so none always meets the machine the others left). Per path, medians of the rounds:
requests/s, p50 and p99 (wrk), gateway CPU per request (user + system time from /proc/PID/stat over the requests wrk
counted) and, with --alloc, bytes allocated per request (a JFR recording of each round: the heap used before each
young collection less what the one before left).

  scripts/compare-builds.py [--connections 64] [--rounds 5] [--seconds 5] [--warmup 25] [--body small|1mb] [--alloc]
      PATH ...
  PATH: "direct" (nginx alone), a checkout whose app/target/keyline.jar is built, or CHECKOUT|JVM OPTIONS.

Example: the build before a change against this one, and this one on G1's defaults:
  git worktree add /tmp/before HEAD~3 && (cd /tmp/before && mvn -q -o install -DskipTests)
  scripts/compare-builds.py direct /tmp/before . ".|-XX:+UseG1GC"
The machines these run on are shared: read medians and ratios of one run, not figures across runs.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

LAUNCHER_OPTS = "-XX:+UseG1GC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=5000"
ANSWER = ('{"id":"msg_bench","type":"message","role":"assistant","model":"bench","content":[{"type":"text",'
          '"text":"Hello from the fast upstream."}],"stop_reason":"end_turn","stop_sequence":null,"usage":'
          '{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":8}}')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jdk():
    for home in (os.environ.get("JAVA_HOME", ""), "/usr/lib/jvm/temurin-25-jdk-amd64"):
        if home and os.path.exists(os.path.join(home, "bin", "jcmd")):
            return home
    raise SystemExit("compare-builds: set JAVA_HOME to a JDK 25")


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(next(l for l in f if l.startswith("VmRSS")).split()[1]) // 1024


def allocated_per_second(java_home, recording):
    """Bytes allocated per second between a recording's first and last young collection."""
    out = subprocess.run([os.path.join(java_home, "bin", "jfr"), "print", "--json", "--events", "jdk.GCHeapSummary",
                          recording], capture_output=True, text=True).stdout
    events = sorted(json.loads(out)["recording"]["events"],
                    key=lambda e: (e["values"]["gcId"], e["values"]["when"] != "Before GC"))
    total, after, first, last, collections = 0, None, None, None, 0
    for event in events:
        v = event["values"]
        if v["when"] == "Before GC":
            collections += 1
            if after is not None:
                total += v["heapUsed"] - after
            when = datetime.datetime.fromisoformat(v["startTime"].replace("Z", "")[:26])
            first = first or when
            last = when
        else:
            after = v["heapUsed"]
    span = (last - first).total_seconds() if first and last else 0
    return total / span if collections > 2 and span > 0 else None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=25)
    parser.add_argument("--body", choices=["small", "1mb"], default="small")
    parser.add_argument("--alloc", action="store_true")
    args = parser.parse_args()
    java_home = jdk()
    work = tempfile.mkdtemp(prefix="keyline-compare-")
    processes = []
    try:
        upstream = free_port()
        os.makedirs(os.path.join(work, "nginx", "body"))
        with open(os.path.join(work, "nginx", "nginx.conf"), "w") as f:
            f.write("worker_processes 1; daemon off; error_log %(w)s/nginx/error.log warn; pid %(w)s/nginx/pid;\n"
                    "events { worker_connections 16384; }\n"
                    "http { access_log off; keepalive_requests 10000000; keepalive_timeout 300s;\n"
                    " client_body_temp_path %(w)s/nginx/body;\n"
                    " server { listen 127.0.0.1:%(p)d; location = /v1/messages {\n"
                    "  default_type application/json; return 200 '%(a)s'; } } }\n"
                    % {"w": work, "p": upstream, "a": ANSWER})
        processes.append(subprocess.Popen(["nginx", "-c", os.path.join(work, "nginx", "nginx.conf"),
                                           "-p", os.path.join(work, "nginx")]))
        text = "hi" if args.body == "small" else "x" * 1_000_000
        body = json.dumps({"model": "bench", "max_tokens": 16, "messages": [{"role": "user", "content": text}]})
        script = os.path.join(work, "wrk.lua")
        with open(script, "w") as f:
            f.write('wrk.method="POST"\nwrk.body=[==[' + body + ']==]\n'
                    'wrk.headers["content-type"]="application/json"\nwrk.headers["anthropic-version"]="2023-06-01"\n'
                    'done=function(s,l,r) io.write(string.format("RESULT %d %.3f %.1f %.1f %d\\n", s.requests,'
                    ' s.duration/1e6, l:percentile(50), l:percentile(99),'
                    ' s.errors.status+s.errors.connect+s.errors.read+s.errors.timeout)) end\n')
        paths = []
        for i, spec in enumerate(args.paths):
            if spec == "direct":
                paths.append(("direct (nginx)", upstream, None))
                continue
            checkout, _, own = spec.partition("|")
            jar = os.path.join(os.path.abspath(checkout), "app", "target", "keyline.jar")
            if not os.path.exists(jar):
                raise SystemExit("compare-builds: no %s (build that checkout first)" % jar)
            port = free_port()
            config = os.path.join(work, "keyline-%d.yaml" % i)
            with open(config, "w") as f:
                f.write("model_list:\n  - model_name: bench\n    litellm_params: {model: anthropic/bench, "
                        "api_base: \"http://127.0.0.1:%d\", api_key: sk-bench}\n" % upstream)
            log = open(os.path.join(work, "keyline-%d.log" % i), "w")
            process = subprocess.Popen([os.path.join(java_home, "bin", "java")] + (own or LAUNCHER_OPTS).split()
                                       + ["-jar", jar, "serve", "--config", config, "--port", str(port)],
                                       stdout=log, stderr=subprocess.STDOUT)
            processes.append(process)
            paths.append((spec, port, process))
        for _, port, process in paths:
            deadline = time.time() + 60
            while process is not None and time.time() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), 0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)

        def wrk(port, seconds):
            out = subprocess.run(["wrk", "-t%d" % min(args.connections, 2), "-c%d" % args.connections,
                                  "-d%ds" % seconds, "--timeout", "10s", "-s", script,
                                  "http://127.0.0.1:%d/v1/messages" % port], capture_output=True, text=True).stdout
            m = re.search(r"RESULT (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", out)
            if not m:
                raise SystemExit("compare-builds: wrk printed no figures:\n" + out)
            return int(m[1]), float(m[2]), float(m[3]) / 1000, float(m[4]) / 1000, int(m[5])

        for _, port, process in paths:
            wrk(port, args.warmup if process else 2)
        results = {name: [] for name, _, _ in paths}
        for r in range(args.rounds):
            for name, port, process in paths[r % len(paths):] + paths[:r % len(paths)]:
                recording = os.path.join(work, "round.jfr")
                jcmd = os.path.join(java_home, "bin", "jcmd")
                if process and args.alloc:
                    subprocess.run([jcmd, str(process.pid), "JFR.start", "name=round", "settings=default"],
                                   capture_output=True)
                before = cpu_ticks(process.pid) if process else 0
                requests, seconds, p50, p99, errors = wrk(port, args.seconds)
                after = cpu_ticks(process.pid) if process else 0
                allocated = None
                if process and args.alloc:
                    subprocess.run([jcmd, str(process.pid), "JFR.stop", "name=round", "filename=" + recording],
                                   capture_output=True)
                    per_second = allocated_per_second(java_home, recording)
                    allocated = per_second / (requests / seconds) / 1024 if per_second else None
                cpu = (after - before) * 10_000 / requests if process else None  # ticks of 10 ms, in µs
                results[name].append((requests / seconds, p50, p99, cpu, allocated, errors))

        def median(values):
            values = [v for v in values if v is not None]
            return statistics.median(values) if values else None

        print("| path | requests/s | p50 ms | p99 ms | CPU µs/request | KiB allocated/request | RSS MiB | errors |")
        print("|---|---|---|---|---|---|---|---|")
        for name, _, process in paths:
            rows = results[name]
            cells = [median([row[k] for row in rows]) for k in range(5)]
            print("| %s | %.0f | %.3f | %.2f | %s | %s | %s | %d |" % (
                name, cells[0], cells[1], cells[2],
                "%.1f" % cells[3] if cells[3] is not None else "—",
                "%.1f" % cells[4] if cells[4] is not None else "—",
                rss_mib(process.pid) if process else "—", sum(row[5] for row in rows)))
        print("(%d connections, %s body, %d rounds of %d s after %d s of warm-up each; CPU per round: %s)" % (
            args.connections, args.body, args.rounds, args.seconds, args.warmup,
            "; ".join(name + " " + str([round(row[3], 1) for row in results[name] if row[3] is not None])
                      for name, _, p in paths if p)))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
