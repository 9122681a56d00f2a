#!/usr/bin/env python3
"""Latency at a fixed rate: bare Javalin against the full chain, open loop, coordinated omission corrected.

Starts the wrk benchmark's HelloServer (bare / chain / nolog apps on loopback), measures bare's
saturation throughput with wrk (the median of 3 runs of 10 s after a 10 s warm-up), then runs
io.pyairtable.metrics.benchmarks.latency.LatencyRounds: at 25%, 50% and 75% of that throughput,
in rounds, each a fixed-rate run recording latency from the intended send time, and the server JVM's
CPU time per request of each run (from /proc/<pid>/stat; per app in sequential mode, where at the same
fixed rate the difference is the chain's own CPU per request, little moved by other load).

Usage (from the repository root, after the README's test command or
`mvn -B -q -pl metrics-http-javalin,metrics-benchmarks -am package -DskipTests`):
    python3 metrics-benchmarks/bench/run_latency.py [rounds] [seconds] [targets] [connections] [saturation]
defaults: 5 rounds, 10 s per run, targets bare,chain, 16 connections, saturation measured with wrk. A
given saturation (req/s) skips that measurement, so two builds compared on a busy machine get the same rates.

Each load is one schedule whose requests alternate between the targets (FixedRateLoad.interleaved: the
load's rate in total, each target its share, each on its own connections), so bare and chain are measured
at the same moments, under the same stalls of the machine and of the JVM they share: the server JVM
carries the load, each app half of it. LATENCY_MODE=sequential instead gives each target a run of its own
at the load's whole rate, one after the other (the mode of every figure before stop 23): there the two
sides meet different stalls, and on this 2-core machine their p99s differed by milliseconds either way.
"""
import os, re, statistics, subprocess, sys

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
variants = sys.argv[3].split(",") if len(sys.argv) > 3 else ["bare", "chain"]
conns = int(sys.argv[4]) if len(sys.argv) > 4 else 16
given_saturation = float(sys.argv[5]) if len(sys.argv) > 5 else None
mode = os.environ.get("LATENCY_MODE", "interleaved")
if mode not in ("sequential", "interleaved"):
    sys.exit("LATENCY_MODE must be interleaved (the default) or sequential, not %r" % mode)
root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
http = os.path.join(root, "metrics-http-javalin")
jar = os.path.join(root, "metrics-benchmarks", "target", "benchmarks.jar")
if not os.path.exists(jar) or not os.path.isdir(os.path.join(http, "target", "test-classes")):
    subprocess.run(["mvn", "-B", "-q", "-ntp", "-pl", "metrics-http-javalin,metrics-benchmarks", "-am", "package",
                    "-DskipTests"], check=True, cwd=root)
cpfile = os.path.join(http, "target", "bench.classpath")
# test-compile in the same run makes the reactor's own modules resolve to their target/classes
subprocess.run(["mvn", "-B", "-q", "-o", "-pl", "metrics-http-javalin", "-am", "test-compile", "dependency:build-classpath",
                "-Dmdep.outputFile=" + cpfile, "-Dmdep.includeScope=test"], check=True, cwd=root)
cp = ":".join([os.path.join(http, "target/test-classes"), os.path.join(http, "target/classes"),
               open(cpfile).read().strip()])
server = subprocess.Popen(["java", "-Xms512m", "-Xmx512m", "-Dlogback.configurationFile="
                           + os.path.join(http, "bench/logback-bench.xml"), "-cp", cp,
                           "io.pyairtable.metrics.http.bench.HelloServer",
                           os.path.join(http, "target", "bench-access.json")],
                          stdout=subprocess.PIPE, text=True, cwd=http)
try:
    ports = dict(kv.split("=") for kv in server.stdout.readline().split())
    url = lambda name: "http://127.0.0.1:%s/hello" % ports[name]

    def wrk(name, secs):
        out = subprocess.run(["wrk", "-t2", "-c32", "-d%ds" % secs, url(name)],
                             capture_output=True, text=True, check=True).stdout
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    for name in variants:  # warm-up of every app (JIT), not counted
        wrk(name, 10)
    if given_saturation:
        saturation = given_saturation
        print("bare saturation given: %.0f req/s (not measured)" % saturation, flush=True)
    else:
        sat = [wrk("bare", 10) for _ in range(3)]
        saturation = statistics.median(sat)
        print("bare saturation (wrk -t2 -c32, 3 x 10 s): %s req/s, median %.0f" % (
            ", ".join("%.0f" % s for s in sat), saturation), flush=True)
    subprocess.run(["java", "-Xms256m", "-Xmx256m", "-cp", jar,
                    "io.pyairtable.metrics.benchmarks.latency.LatencyRounds",
                    "saturation=%.0f" % saturation, "loads=25,50,75", "rounds=%d" % rounds,
                    "seconds=%d" % seconds, "warmup=5", "connections=%d" % conns, "serverpid=%d" % server.pid, "mode=" + mode]
                   + ["%s=%s" % (n, url(n)) for n in variants], check=True)
finally:
    server.terminate()
    server.wait()
