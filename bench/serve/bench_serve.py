"""bench/serve: `launcher serve` under load on 127.0.0.1, beside FastAPI + LightGBM for the same model.

Parts (each bounded in count and time; run.sh sets them up):
  single  single-row requests with wrk, A B A B after warm-up: throughput, p50, p99 (issue 16: >= 10x, <= 1/10)
  batch   1,000-row requests with wrk: rows/s, beside `launcher score` on a file (issue 16: within 2x)
  soak    mixed good and malformed requests (fuzzed JSON, huge bodies, slow clients) for --soak-seconds:
          every malformed one answered 4xx, no crash, RSS flat within 10% after warm-up
  reload  reloads while wrk runs (no request dropped), then SIGTERM with a request in flight (drained)
The machine is shared: every speed figure printed is labelled with the load average before and after.
"""
import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(ROOT, "bench", "work", "serve")

parser = argparse.ArgumentParser()
parser.add_argument("--launcher", default=os.path.join(ROOT, ".build", "release", "launcher"))
parser.add_argument("--python", default=sys.executable)
parser.add_argument("--data", default=os.path.join(ROOT, "samples", "price-prediction", "housing-sample.csv"))
parser.add_argument("--target", default="median_house_value")
parser.add_argument("--seconds", type=int, default=10, help="wrk duration of each measured run")
parser.add_argument("--rounds", type=int, default=2, help="A B rounds after warm-up")
parser.add_argument("--connections", type=int, default=16)
parser.add_argument("--soak-seconds", type=int, default=60, help="600 for the issue's 10 minutes")
parser.add_argument("--parts", default="single,batch,soak,reload")
parser.add_argument("--reloads", type=int, default=10, help="reloads (SIGHUP and POST in turn) while wrk runs")
parser.add_argument("--in-flight", type=int, default=4, help="slow requests in flight at SIGTERM")
args = parser.parse_args()
os.makedirs(WORK, exist_ok=True)
parts = set(args.parts.split(","))


def load():
    return open("/proc/loadavg").read().split()[:3]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_up(port, path="/healthz", timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server on {port} did not come up")


def status_of_reply(s):
    """Reads a whole reply (the server closes after it) and returns its status, 0 for none."""
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0


def threads_of(pid):
    return int(re.search(r"Threads:\s+(\d+)", open(f"/proc/{pid}/status").read()).group(1))


def rss_kib(pid):
    return int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{pid}/status").read()).group(1))


def wrk(url, body, content_type, seconds, connections):
    script = os.path.join(WORK, f"post-{abs(hash((url, content_type)))}.lua")
    body_file = script + ".body"
    open(body_file, "wb").write(body)
    with open(script, "w") as f:
        f.write(f'local f = io.open("{body_file}", "rb")\nwrk.body = f:read("*a")\nf:close()\n'
                f'wrk.method = "POST"\nwrk.headers["Content-Type"] = "{content_type}"\n')
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(pct):
        m = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rps, "p50_ms": latency(50), "p99_ms": latency(99),
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(0) if errors else ""}


# ---- the models: one gbdt bundle trained by the launcher; LightGBM trained by the reference on the same CSV
runs = os.path.join(WORK, "runs")
subprocess.run([args.launcher, "run", "price-prediction", "--data", args.data, "--target", args.target,
                "--recipe", "gbdt", "--out", runs, "--quiet"], check=True)
folder = os.path.join(runs, "price-prediction")
bundle = os.path.join(folder, sorted(os.listdir(folder))[-1], "bundle")
header = open(args.data).readline().strip().split(",")
features = [c for c in header if c != args.target]
lines = [l.rstrip("\n") for l in open(args.data)][1:]


def feature_rows(count):
    rows = []
    for line in lines[:count]:
        values = dict(zip(header, line.split(",")))
        row = {}
        for c in features:
            v = values[c]
            try:
                row[c] = float(v) if v != "" else None
            except ValueError:
                row[c] = v
        rows.append(row)
    return rows


one_row = json.dumps({"rows": feature_rows(1)}).encode()
thousand_csv = (",".join(features) + "\n" + "\n".join(
    ",".join(dict(zip(header, l.split(",")))[c] for c in features) for l in (lines * 1000)[:1000]) + "\n").encode()

port_a, port_b = free_port(), free_port()
serve = subprocess.Popen([args.launcher, "serve", "--model", f"price={bundle}", "--port", str(port_a),
                          "--max-concurrent", "256", "--request-timeout", "5"],
                         stderr=open(os.path.join(WORK, "serve.log"), "w"))
ref = subprocess.Popen([args.python, os.path.join(HERE, "fastapi_lightgbm.py"), "--data", args.data, "--target", args.target,
                        "--bundle", bundle, "--port", str(port_b)])
wait_up(port_a)
wait_up(port_b)
results = {"load_before": load(), "threads": {"launcher serve": threads_of(serve.pid), "fastapi+lightgbm (uvicorn, 1 worker)": threads_of(ref.pid)}}
print(f"threads: {results['threads']}", flush=True)
url_a = f"http://127.0.0.1:{port_a}/v1/models/price/score"
url_b = f"http://127.0.0.1:{port_b}/score"

if "single" in parts:
    wrk(url_a, one_row, "application/json", 3, args.connections)
    wrk(url_b, one_row, "application/json", 3, args.connections)
    single = {"A launcher serve": [], "B fastapi+lightgbm": []}
    for _ in range(args.rounds):
        single["A launcher serve"].append(wrk(url_a, one_row, "application/json", args.seconds, args.connections))
        single["B fastapi+lightgbm"].append(wrk(url_b, one_row, "application/json", args.seconds, args.connections))
    results["single_row"] = single
    print(json.dumps(single, indent=1), flush=True)

if "batch" in parts:
    wrk(url_a, thousand_csv, "text/csv", 3, 2)
    batch = wrk(url_a, thousand_csv, "text/csv", args.seconds, 2)
    big = os.path.join(WORK, "score-input.csv")
    with open(big, "wb") as f:
        f.write(thousand_csv)
        body = thousand_csv.split(b"\n", 1)[1]
        for _ in range(199):
            f.write(body)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([args.launcher, "score", "--model", bundle, "--input", big, "--output", os.path.join(WORK, "score-output.csv"),
                        "--quiet"], check=True)
        times.append(time.perf_counter() - start)
    results["batch"] = {"serve_rows_per_s (1,000-row requests, 2 connections)": batch["rps"] * 1000, "serve_non2xx": batch["non2xx"],
                        "score_rows_per_s (200,000-row file, best of 3)": 200_000 / min(times)}
    print(json.dumps(results["batch"], indent=1), flush=True)

if "soak" in parts:
    good = one_row
    bad_bodies = [b"{", b"{\"rows\": [1, 2]}", b"{\"rows\": [{\"a\": [1]}]}", b"\xff\xfe\x00", b"{\"rows\": []}",
                  b"{\"rows\": [{\"longitude\": \"x\"" + b"}" * 3]
    counts = {"good_200": 0, "good_other": 0, "bad_4xx": 0, "bad_200_still_valid": 0, "bad_other": 0, "huge_413": 0, "huge_other": 0, "slow_4xx_or_closed": 0, "slow_other": 0}
    lock = threading.Lock()

    def exchange(raw, timeout=15):
        with socket.create_connection(("127.0.0.1", port_a), timeout=timeout) as s:
            s.sendall(raw)
            return status_of_reply(s)

    def request(body, content_type="application/json"):
        return exchange(f"POST /v1/models/price/score HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {content_type}\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n".encode() + body)

    stop = time.time() + args.soak_seconds
    rng = random.Random(16)

    def worker(seed):
        r = random.Random(seed)
        while time.time() < stop:
            kind = r.random()
            try:
                if kind < 0.5:
                    status = request(good)
                    key = "good_200" if status == 200 else "good_other"
                elif kind < 0.85:
                    body = bytearray(r.choice(bad_bodies + [good]))
                    for _ in range(r.randint(1, 4)):
                        if body:
                            body[r.randrange(len(body))] = r.randrange(256)
                    status = request(bytes(body))
                    # a fuzzed body may still be valid JSON rows: then 200 is right; anything else must be a 4xx
                    key = "bad_4xx" if 400 <= status < 500 else "bad_200_still_valid" if status == 200 else "bad_other"
                elif kind < 0.95:
                    status = exchange(b"POST /v1/models/price/score HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                      b"Content-Type: text/csv\r\nContent-Length: 100000000\r\n\r\n" + b"a" * 1000)
                    key = "huge_413" if status == 413 else "huge_other"
                else:
                    with socket.create_connection(("127.0.0.1", port_a), timeout=60) as s:
                        s.sendall(b"POST /v1/models/price/score HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                  b"Content-Type: text/csv\r\nContent-Length: 50\r\n\r\nlo")
                        data = s.recv(4096)
                    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
                    key = "slow_4xx_or_closed" if status == 0 or 400 <= status < 500 else "slow_other"
            except OSError:
                key = "good_other" if kind < 0.5 else "bad_other"
            with lock:
                counts[key] += 1

    samples = []
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    while time.time() < stop:
        samples.append((round(time.time() - (stop - args.soak_seconds)), rss_kib(serve.pid)))
        time.sleep(5)
    for t in threads:
        t.join()
    alive = serve.poll() is None
    warm = [rss for t, rss in samples if t >= min(30, args.soak_seconds // 3)] or [samples[-1][1]]
    results["soak"] = {"seconds": args.soak_seconds, "counts": counts, "alive": alive,
                       "rss_kib_samples": samples, "rss_after_warmup_min_max_kib": [min(warm), max(warm)],
                       "rss_growth_after_warmup": (max(warm) - min(warm)) / min(warm)}
    print(json.dumps(results["soak"], indent=1), flush=True)

if "reload" in parts:
    out = {}
    holder = {}

    def load_run():
        holder["wrk"] = wrk(url_a, one_row, "application/json", int(args.reloads * 0.6) + 4, 8)
    t = threading.Thread(target=load_run)
    t.start()
    time.sleep(1)
    reload_status = []
    for i in range(args.reloads):
        if i % 2 == 0:
            serve.send_signal(signal.SIGHUP)
            reload_status.append("SIGHUP")
        else:
            raw = (f"POST /v1/models/price/reload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").encode()
            with socket.create_connection(("127.0.0.1", port_a), timeout=30) as s:
                s.sendall(raw)
                reload_status.append(int(s.recv(64).split(b" ", 2)[1]))
        time.sleep(0.5)
    t.join()
    out["reloads"] = reload_status
    out["wrk_during_reloads"] = holder["wrk"]
    # SIGTERM with several requests in flight: each has half its body sent, then the signal, then the rest
    # trickled in slowly; every one must still be answered 200 before the process exits 0.
    body = thousand_csv
    in_flight = []
    for _ in range(args.in_flight):
        s = socket.create_connection(("127.0.0.1", port_a), timeout=60)
        s.sendall(f"POST /v1/models/price/score HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/csv\r\n"
                  f"Content-Length: {len(body)}\r\n\r\n".encode() + body[: len(body) // 2])
        in_flight.append(s)
    time.sleep(0.3)
    serve.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    rest = body[len(body) // 2:]
    step = len(rest) // 4 + 1
    for start in range(0, len(rest), step):
        for s in in_flight:
            s.sendall(rest[start:start + step])
        time.sleep(0.2)
    out["in_flight_at_sigterm"] = len(in_flight)
    out["in_flight_at_sigterm_statuses"] = [status_of_reply(s) for s in in_flight]
    for s in in_flight:
        s.close()
    serve.wait(timeout=60)
    out["exit_status_after_sigterm"] = serve.returncode
    results["reload_and_drain"] = out
    print(json.dumps(out, indent=1), flush=True)

results["load_after"] = load()
for p in (serve, ref):
    if p.poll() is None:
        p.terminate()
        p.wait(timeout=30)
json.dump(results, open(os.path.join(WORK, "results.json"), "w"), indent=1)
print(f"load average before {results['load_before']} after {results['load_after']}; results in {WORK}/results.json")
