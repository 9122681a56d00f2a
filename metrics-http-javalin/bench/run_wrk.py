#!/usr/bin/env python3
"""wrk benchmark of the HTTP chain: bare Javalin vs the full chain with its access log written to a
file by AccessLogWriter (chain), the chain without access log (nolog) and, on request, the full chain
with the access log through SLF4J/logback (slf4j), in rounds that alternate the order.

Usage (from the repository root; it compiles what it runs):
    python3 metrics-http-javalin/bench/run_wrk.py [rounds] [seconds] [threads] [connections] [variants]
variants: comma-separated, the first the baseline (default bare,chain,nolog; also slf4j, and the chain in
parts: wrap, the plugin with every feature off; corr, the correlation id alone; metrics, the metrics alone;
log, the file access log alone; and jettylog, a reference: bare with Jetty's own request log, CustomRequestLog
and AsyncRequestLogWriter, to a file; the lines of log and jettylog are counted against wrk's count).
Prints each round and the medians, the throughput and p50/p99 ratios against the baseline (and the median
of the per-round throughput ratios with a 95% bootstrap interval of it: the spread of rounds within this run's
JVMs; the draw of one JVM against the next is not in it, BENCH_JVM=round samples that), and the
access-log check of the chain app: lines in its file against the requests it served
(http_requests_total from its /metrics), wrk's count, and the dropped-lines counter.

It also prints the server JVM's CPU time per request of each run (utime + stime of the server process
from /proc/<pid>/stat over the wrk run, divided by the requests wrk counted in it; only one app is
loaded at a time, so the JVM's CPU in that window is that app's, its writer, JIT and GC threads
included), its median per variant and the ratio to the baseline. On a machine shared with other load
this figure moves far less than req/s: with wrk on the same cores, throughput against bare is about
(B + W) / (C + W), B and C the server's CPU per request bare and with the chain, W wrk's. The CPU of
the chain app's access-log writer thread per request is printed on its own. So are Jetty's pool threads
alone (the request path) and the JIT compiler threads, per request: a round whose JIT threads are busy
(still compiling or recompiling) is a round of that JVM's warm-up, whatever its label. The warm-up is
two wrk runs per app, so the connections' close and reopen are compiled before the first measured round
(with one run, that round's JIT threads took 7-20 us per request: stop 24, 25). BENCH_LINGER_MS=<ms> in
the environment sets the writer's linger (AccessLogWriter.Builder#linger) for an experiment.

Each variant runs in a JVM of its own with only that app in it (HelloServer -Dbench.apps=<app>), so
each JVM's JIT compiles for its own app, as in a service. BENCH_JVM=shared puts the apps in one JVM, as
every figure before stop 23 was measured: there the apps' order of creation alone moved an app's CPU per
request by 5-10% in either direction (a bare app created first or last against plain filter apps), and
the JIT's type profiles of Jetty's and Javalin's call sites mix every app's request types.

BENCH_JVM=round starts fresh JVMs (one per app) for every round, each warmed BENCH_WARM seconds (default
30) before the round is measured, and stops them after it, checking the access log of each chain JVM. A
JVM's steady CPU per request differs from the next JVM's of the same code by several percent (measured
at stop 24: bare 52-59 us from one start to the next, the same code, minutes apart), so with one JVM per
app for the whole run every round shares one draw of that luck; a round per JVM set samples it, as JMH's
forks do. Slower: each round costs (warm-up + seconds) per app.
"""
import os, random, re, statistics, subprocess, sys, time, urllib.request

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
conns = int(sys.argv[4]) if len(sys.argv) > 4 else 32
variants = sys.argv[5].split(",") if len(sys.argv) > 5 else ["bare", "chain", "nolog"]
module = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
cpfile = os.path.join(module, "target", "bench.classpath")
access_log = os.path.join(module, "target", "bench-access.json")

# -am with test-compile in the same run: the reactor hands metrics-http's classes and test classes over
# (nothing is installed); the javalin module, built last, writes the class path file last
subprocess.run(["mvn", "-B", "-q", "-o", "-pl", "metrics-http-javalin", "-am", "test-compile",
                "dependency:build-classpath", "-Dmdep.outputFile=" + cpfile, "-Dmdep.includeScope=test"],
               check=True, cwd=os.path.join(module, ".."))
cp = open(cpfile).read().strip()
cp = os.path.join(module, "target/test-classes") + ":" + os.path.join(module, "target/classes") + ":" + cp
# every variant in a JVM of its own that starts only that app (HelloServer -Dbench.apps), so each JVM's JIT
# compiles for one app, as in a service; BENCH_JVM=shared: the four apps in one JVM, as before stop 23
jvm_mode = os.environ.get("BENCH_JVM", "each")
if jvm_mode not in ("each", "shared", "round"):
    sys.exit("BENCH_JVM must be each (the default), shared or round, not %r" % jvm_mode)
each = jvm_mode != "shared"
fresh_jvms_per_round = jvm_mode == "round"
warm_seconds = int(os.environ.get("BENCH_WARM", "30" if each else "10"))


def median_interval(values, resamples=2000):
    """A 95% bootstrap interval of the median of `values` (a fixed seed: the same rounds give the same interval)."""
    rng = random.Random(1)
    medians = sorted(statistics.median(rng.choices(values, k=len(values))) for _ in range(resamples))
    return medians[int(0.025 * resamples)], medians[int(0.975 * resamples) - 1]


def start(apps):
    return subprocess.Popen(["java", "-Xms512m", "-Xmx512m", "-Dbench.apps=" + apps, "-Dlogback.configurationFile="
                             + os.path.join(module, "bench/logback-bench.xml"), "-cp", cp,
                             "io.pyairtable.metrics.http.bench.HelloServer", access_log]
                            + ([os.environ["BENCH_LINGER_MS"]] if os.environ.get("BENCH_LINGER_MS") else []),
                            stdout=subprocess.PIPE, text=True, cwd=module)


server_of = {}  # app -> its server JVM (the same JVM for every app with BENCH_JVM=shared)
ports = {}
servers = []


def start_servers():
    server_of.clear()
    ports.clear()
    if each:
        for name in variants:
            server_of[name] = start(name)
    else:
        shared = start(",".join(dict.fromkeys(["bare", "chain", "nolog", "slf4j"] + variants)))
        server_of.update({name: shared for name in variants})
    servers[:] = list({id(s): s for s in server_of.values()}.values())
    for s in servers:
        ports.update(kv.split("=") for kv in s.stdout.readline().split())


def stop_servers():
    for s in servers:
        s.terminate()
        s.wait()


start_servers()
try:
    unit = {"us": 1.0, "ms": 1000.0, "s": 1e6}
    counted = {n: 0 for n in variants}  # responses wrk counted per app, warm-up included

    tick = os.sysconf("SC_CLK_TCK")

    def cpu_seconds(name):  # utime + stime of the JVM serving app `name`, all its threads
        with open("/proc/%d/stat" % server_of[name].pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    groups = {"JettyServerThre": "jetty", "C1 CompilerThre": "jit", "C2 CompilerThre": "jit",
              "access-log-writ": "writer"}  # thread names as /proc cuts them (15 chars)

    def thread_seconds(name):  # CPU of the JVM serving `name` by thread group: Jetty's pool, the JIT, the log writer
        pid = server_of[name].pid
        total = {"jetty": 0, "jit": 0, "writer": 0}
        for tid in os.listdir("/proc/%d/task" % pid):
            try:
                group = groups.get(open("/proc/%d/task/%s/comm" % (pid, tid)).read().strip())
                if group:
                    fields = open("/proc/%d/task/%s/stat" % (pid, tid)).read().rsplit(")", 1)[1].split()
                    total[group] += int(fields[11]) + int(fields[12])
            except OSError:  # a pool thread that ended: its CPU is in the process's total only
                pass
        return {g: t / tick for g, t in total.items()}

    def wrk(name, secs):
        cpu0 = cpu_seconds(name)
        threads0 = thread_seconds(name)
        out = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % secs, "--latency",
                              "http://127.0.0.1:%s/hello" % ports[name]], capture_output=True, text=True,
                             check=True).stdout
        cpu = cpu_seconds(name) - cpu0
        threads1 = thread_seconds(name)
        requests = int(re.search(r"(\d+) requests in", out).group(1))
        per_request = {g: 1e6 * (threads1[g] - threads0[g]) / max(requests, 1) for g in threads1}
        counted[name] += requests
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        lat = {}
        for p in ("50", "99"):
            m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)\b" % p, out)
            lat[p] = float(m.group(1)) * unit[m.group(2)]
        return (rps, lat["50"], lat["99"], 1e6 * cpu / max(requests, 1), per_request["jetty"], per_request["jit"],
                per_request["writer"])

    def scrape_sum(name, family):
        body = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % ports[name], timeout=10).read().decode()
        return sum(float(l.rsplit(" ", 1)[1]) for l in body.splitlines()
                   if l.startswith(family + "{") or l.startswith(family + " "))

    def lines_in(path):
        with open(path, "rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))

    def check_log():  # the chain JVM's access log against the requests it served: (lines, served, dropped)
        deadline = time.time() + 30
        while True:  # the writer thread may still be draining its queue
            served = scrape_sum("chain", "http_requests_total")
            lines = lines_in(access_log)
            if lines >= served or time.time() > deadline:
                break
            time.sleep(0.2)
        return lines, served, scrape_sum("chain", "access_log_dropped_lines_total")

    logged = [0, 0, 0]  # lines, served, dropped over every chain JVM of the run

    def warm_up():  # not counted (a JVM of its own per app has only its own traffic to compile from)
        for name in variants:
            # two wrk runs: the end of one and the start of the next close and open connections, which one
            # run never does; their first pass deoptimizes the request path's compiled code (-XX:+PrintCompilation:
            # HttpConnection.onFillable, HttpParser.parseNext, ChainHandler.handle, ... "made not entrant" as the
            # second wrk connects), so with one run the first measured round of every JVM paid for the
            # recompilation: 7-20 us per request of JIT threads, under 1 us with two
            wrk(name, max(1, warm_seconds - 5))
            wrk(name, min(5, warm_seconds))

    warm_up()
    results = {n: [] for n in variants}
    for r in range(rounds):
        if fresh_jvms_per_round and r > 0:
            if "chain" in variants:
                logged[:] = [a + b for a, b in zip(logged, check_log())]
            stop_servers()
            start_servers()
            warm_up()
        order = variants if r % 2 == 0 else list(reversed(variants))
        for name in order:
            results[name].append(wrk(name, seconds))
            rps, p50, p99, cpu, jetty, jit, _ = results[name][-1]
            print("round %d %-5s %10.0f req/s  p50 %8.1f us  p99 %8.1f us  cpu %6.2f us/req (jetty threads %.2f, "
                  "jit %.2f)" % (r + 1, name, rps, p50, p99, cpu, jetty, jit), flush=True)
    med = {n: [statistics.median(x[i] for x in results[n]) for i in range(6)] for n in results}
    base = variants[0]
    b = med[base]
    for name in variants:
        c = med[name]
        print("median %-5s: %10.0f req/s  p50 %8.1f us  p99 %8.1f us" % ((name,) + tuple(c[:3])))
    for name in variants[1:]:
        c = med[name]
        ratios = ", ".join("%.3f" % (x[0] / y[0]) for x, y in zip(results[name], results[base]))
        print("%-5s/%s: throughput %.3f (cost %.1f%%; per round %s)  p50 %.3f (%+.1f us)  p99 %.3f (%+.1f us)" % (
            name, base, c[0] / b[0], 100 * (1 - c[0] / b[0]), ratios, c[1] / b[1], c[1] - b[1], c[2] / b[2],
            c[2] - b[2]))
        per_round = [x[0] / y[0] for x, y in zip(results[name], results[base])]
        low, high = median_interval(per_round)
        print("%-5s/%s: per-round throughput ratio median %.3f, its 95%% bootstrap interval %.3f-%.3f "
              "(%d rounds, 2,000 resamples)" % (name, base, statistics.median(per_round), low, high, len(per_round)))
    for name in variants:  # the server's CPU per request: load-robust, explains the throughput ratio
        c = med[name]
        spread = "%.2f-%.2f" % (min(x[3] for x in results[name]), max(x[3] for x in results[name]))
        if name == base:
            print("cpu %-5s: %6.2f us/req of server CPU (median; rounds %s)" % (name, c[3], spread))
        else:
            per_round = [x[3] / y[3] for x, y in zip(results[name], results[base])]
            print("cpu %-5s: %6.2f us/req of server CPU (median; rounds %s), %.3f of %s (%+.2f us); "
                  "per round %s, median %.3f" % (name, c[3], spread, c[3] / b[3], base, c[3] - b[3],
                                                 ", ".join("%.3f" % x for x in per_round),
                                                 statistics.median(per_round)))
    for name in variants:  # Jetty's threads alone: the request path without the JIT's and GC's share
        c = med[name]
        line = "cpu jetty threads %-5s: %6.2f us/req (median; rounds %s)" % (
            name, c[4], ", ".join("%.2f" % x[4] for x in results[name]))
        if name != base:
            line += ", %+.2f us against %s (median of per-round differences %+.2f us)" % (
                c[4] - b[4], base, statistics.median(x[4] - y[4] for x, y in zip(results[name], results[base])))
        print(line + "; jit threads %.2f us/req (median; max %.2f)" % (c[5], max(x[5] for x in results[name])))
    if "chain" in variants:
        measured = [x[6] for x in results["chain"]]  # the writer thread's CPU per request of each chain round
        print("cpu chain's access-log writer thread: %.2f us/req (median; rounds %s)" % (
            statistics.median(measured), ", ".join("%.2f" % x for x in measured)))
        lines, served, dropped = [a + b for a, b in zip(logged, check_log())]
        print("access log (chain): %d lines in %s%s; %d requests served (http_requests_total); wrk counted %d "
              "(warm-up included; requests in flight when a run ends are served but not counted); dropped %d: %s" % (
                  lines, access_log, " (over the %d chain JVMs of the run)" % rounds if fresh_jvms_per_round else "",
                  served, counted["chain"], dropped,
                  "every request has its line" if lines == served and dropped == 0 else "LINES MISSING"))
    if "log" in variants and not fresh_jvms_per_round:
        log_alone = os.path.join(os.path.dirname(access_log), "bench-log-access.json")
        time.sleep(1)  # the writer lingers up to 50 ms, then writes its last batch
        print("access log (log, the file access log alone): %d lines in %s; wrk counted %d (warm-up included; "
              "requests in flight when a run ends are served but not counted)" % (lines_in(log_alone), log_alone,
                                                                                  counted["log"]))
    if "jettylog" in variants and not fresh_jvms_per_round:
        jetty_log = os.path.join(os.path.dirname(access_log), "bench-jetty-access.log")
        time.sleep(1)  # Jetty's writer thread drains its queue
        print("access log (jettylog, Jetty's own): %d lines in %s; wrk counted %d (warm-up included; requests in "
              "flight when a run ends are served but not counted)" % (lines_in(jetty_log), jetty_log,
                                                                        counted["jettylog"]))
finally:
    stop_servers()
