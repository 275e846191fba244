// Many live-events clients in one process, for the `live` benchmark (bench/Live). Not used by tests.
//
//   node bench-clients.mjs --url http://127.0.0.1:5080/hubs/events --tokens tokens.json
//
// tokens.json is a JSON array of access tokens; connection i uses token i % length. Commands arrive on stdin, one
// per line, and each is answered by one JSON line on stdout:
//   connect N          open N more connections (each resumes once, so its groups are joined) → {"kind":"connected"}
//   close              close every connection → {"kind":"closed"}
//   reset              forget the latencies measured so far → {"kind":"reset"}
//   drain TOTAL MS     wait until TOTAL events were received in all, or MS passed → {"kind":"drained"}
//   report             latencies since reset → {"kind":"report", count, p50, p90, p99, max, total, gcMaxMs, gcTotalMs, lagP99Ms}
//   exit
// Latency is receipt time minus the event's data.sentAt (wall-clock ms that the committing grain stamped). The
// client's own stalls (garbage collection, event-loop delay) are reported too: they inflate every latency measured.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { PerformanceObserver, monitorEventLoopDelay } from "node:perf_hooks";
import * as signalR from "@microsoft/signalr";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, value, i, all) => (i % 2 === 0 ? [...pairs, [value.slice(2), all[i + 1]]] : pairs), []),
);
const tokens = JSON.parse(readFileSync(args.tokens, "utf8"));
const now = () => performance.timeOrigin + performance.now();
const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");

let connections = [];
let samples = new Float64Array(1 << 16);
let count = 0;
let total = 0;
let drainWaiter = null;
let gcMax = 0;
let gcTotal = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcMax = Math.max(gcMax, entry.duration);
    gcTotal += entry.duration;
  }
}).observe({ entryTypes: ["gc"] });

function record(event) {
  const latency = now() - event.data.sentAt;
  if (count === samples.length) {
    const grown = new Float64Array(samples.length * 2);
    grown.set(samples);
    samples = grown;
  }

  samples[count++] = latency;
  total++;
  if (drainWaiter && total >= drainWaiter.target) {
    drainWaiter.resolve();
  }
}

async function open(index) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(args.url, {
      accessTokenFactory: () => tokens[index % tokens.length],
      transport: signalR.HttpTransportType.WebSockets,
    })
    .configureLogging(signalR.LogLevel.Error)
    .build();
  connection.on("event", record);
  await connection.start();
  await connection.invoke("Resume", null);
  return connection;
}

async function connect(n) {
  const started = now();
  const first = connections.length;
  for (let i = 0; i < n; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 50); j++) {
      batch.push(open(first + j));
    }

    connections.push(...(await Promise.all(batch)));
  }

  return { kind: "connected", total: connections.length, ms: now() - started };
}

function percentile(sorted, q) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function report() {
  const sorted = samples.slice(0, count).sort();
  return {
    kind: "report",
    count,
    total,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: percentile(sorted, 1),
    gcMaxMs: gcMax,
    gcTotalMs: gcTotal,
    lagP99Ms: loopDelay.percentile(99) / 1e6,
  };
}

const commands = createInterface({ input: process.stdin });
for await (const line of commands) {
  const [command, ...rest] = line.trim().split(/\s+/);
  try {
    if (command === "connect") {
      print(await connect(Number(rest[0])));
    } else if (command === "close") {
      await Promise.all(connections.map((c) => c.stop()));
      connections = [];
      print({ kind: "closed" });
    } else if (command === "reset") {
      count = 0;
      gcMax = 0;
      gcTotal = 0;
      loopDelay.reset();
      print({ kind: "reset" });
    } else if (command === "drain") {
      const [target, ms] = rest.map(Number);
      if (total < target) {
        await new Promise((resolve) => {
          drainWaiter = { target, resolve };
          setTimeout(resolve, ms);
        });
        drainWaiter = null;
      }

      print({ kind: "drained", total });
    } else if (command === "report") {
      print(report());
    } else if (command === "exit") {
      break;
    } else {
      print({ kind: "error", message: `unknown command '${command}'` });
    }
  } catch (error) {
    print({ kind: "error", message: error?.message ?? String(error) });
  }
}

await Promise.all(connections.map((c) => c.stop().catch(() => {})));
process.exit(0);
