#!/usr/bin/env python3
"""wrk benchmark of the HTTP chain: bare Javalin vs the full chain (and the chain without request
logging), in rounds that alternate the order.

Usage (from the repository root, after `mvn -B -q -o -pl metrics-http test-compile`):
    python3 metrics-http/bench/run_wrk.py [rounds] [seconds] [threads] [connections] [variants]
Prints each round and the medians, and the throughput and p50/p99 ratios against bare.
"""
import os, re, statistics, subprocess, sys, time

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
conns = int(sys.argv[4]) if len(sys.argv) > 4 else 32
variants = sys.argv[5].split(",") if len(sys.argv) > 5 else ["bare", "chain", "nolog"]
module = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
cpfile = os.path.join(module, "target", "bench.classpath")

subprocess.run(["mvn", "-B", "-q", "-o", "-pl", "metrics-http", "dependency:build-classpath",
                "-Dmdep.outputFile=" + cpfile, "-Dmdep.includeScope=test"],
               check=True, cwd=os.path.join(module, ".."))
cp = open(cpfile).read().strip()
cp = os.path.join(module, "target/test-classes") + ":" + os.path.join(module, "target/classes") + ":" + cp
server = subprocess.Popen(["java", "-Xms512m", "-Xmx512m", "-Dlogback.configurationFile="
                           + os.path.join(module, "bench/logback-bench.xml"), "-cp", cp,
                           "io.pyairtable.metrics.http.bench.HelloServer"],
                          stdout=subprocess.PIPE, text=True, cwd=module)
try:
    line = server.stdout.readline()
    ports = dict(kv.split("=") for kv in line.split())
    unit = {"us": 1.0, "ms": 1000.0, "s": 1e6}

    def wrk(port, secs):
        out = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % secs, "--latency",
                              "http://127.0.0.1:%s/hello" % port], capture_output=True, text=True, check=True).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        lat = {}
        for p in ("50", "99"):
            m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)\b" % p, out)
            lat[p] = float(m.group(1)) * unit[m.group(2)]
        return rps, lat["50"], lat["99"]

    for name in variants:  # warm-up, not counted
        wrk(ports[name], 10)
    results = {n: [] for n in variants}
    for r in range(rounds):
        order = variants if r % 2 == 0 else list(reversed(variants))
        for name in order:
            results[name].append(wrk(ports[name], seconds))
            rps, p50, p99 = results[name][-1]
            print("round %d %-5s %10.0f req/s  p50 %8.1f us  p99 %8.1f us" % (r + 1, name, rps, p50, p99), flush=True)
    med = {n: [statistics.median(x[i] for x in results[n]) for i in range(3)] for n in results}
    b = med["bare"]
    for name in variants:
        c = med[name]
        print("median %-5s: %10.0f req/s  p50 %8.1f us  p99 %8.1f us" % ((name,) + tuple(c)))
    for name in variants[1:]:
        c = med[name]
        print("%-5s/bare: throughput %.3f (cost %.1f%%)  p50 %.3f (%+.1f us)  p99 %.3f (%+.1f us)" % (
            name, c[0] / b[0], 100 * (1 - c[0] / b[0]), c[1] / b[1], c[1] - b[1], c[2] / b[2], c[2] - b[2]))
finally:
    server.terminate()
    server.wait()
