// One live-events client, as a web page would run it, driven by tests/Gateway.Tests/Live.
//
//   node live-client.mjs --url http://127.0.0.1:5080/hubs/events --token <jwt> [--resume <position>|null]
//                        [--expect N] [--linger ms] [--timeout ms]
//
// It follows the client contract of Gateway/Live/README.md: connect, buffer pushed events while Resume is in
// flight, apply Resume's answer (paging while it returns 1000), then the buffered and later pushed events,
// skipping any position at or before the last applied one. It prints one JSON object per line:
//   {"kind":"ready", ...}           connected and resumed: the groups are joined, later commits arrive live
//   {"kind":"event", via, applied, receivedAt, event}   every event received, applied or skipped as a duplicate
//   {"kind":"done"|"timeout"|"error", ...}
// and exits 0 after applying --expect events (then lingering --linger ms to show strays), 2 on timeout, 1 on error.
import * as signalR from "@microsoft/signalr";

const args = parseArgs(process.argv.slice(2));
// Without --expect the client runs until --timeout or until it is killed.
const expect = args.expect === undefined ? Infinity : Number(args.expect);
const linger = Number(args.linger ?? 0);
const timeout = Number(args.timeout ?? 30000);
const resumeFrom = args.resume === undefined || args.resume === "null" ? null : args.resume;

// Wall-clock milliseconds with a fraction, comparable with the test's DateTimeOffset.UtcNow on the same machine.
const now = () => performance.timeOrigin + performance.now();
const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");

let lastApplied = resumeFrom ?? "";
let applied = 0;
let resuming = true;
const buffered = [];
let finish;
const finished = new Promise((resolve) => (finish = resolve));

function apply(event, via, receivedAt) {
  // Positions are fixed-width hex: a plain string compare orders them.
  const fresh = event.position > lastApplied;
  print({ kind: "event", via, applied: fresh, receivedAt, event });
  if (!fresh) {
    return;
  }

  lastApplied = event.position;
  applied++;
  if (applied === expect) {
    setTimeout(() => finish({ kind: "done", applied, lastApplied }), linger);
  }
}

const connection = new signalR.HubConnectionBuilder()
  .withUrl(args.url, {
    accessTokenFactory: () => args.token,
    transport: signalR.HttpTransportType.WebSockets,
  })
  .configureLogging(signalR.LogLevel.Warning)
  .build();

connection.on("event", (event) => {
  const receivedAt = now();
  if (resuming) {
    buffered.push({ event, receivedAt });
  } else {
    apply(event, "live", receivedAt);
  }
});
connection.onclose((error) => finish({ kind: "error", message: `connection closed: ${error?.message ?? "no error"}` }));

const timer = setTimeout(() => finish({ kind: "timeout", applied, lastApplied }), timeout);
try {
  await connection.start();

  // Resume answers only after the hub joined our groups, so "ready" means later commits reach us live.
  let after = resumeFrom;
  let calls = 0;
  let replayed = 0;
  for (;;) {
    const page = await connection.invoke("Resume", after);
    calls++;
    const receivedAt = now();
    for (const event of page) {
      apply(event, "resume", receivedAt);
    }

    replayed += page.length;
    if (page.length < 1000) {
      break;
    }

    after = page[page.length - 1].position;
  }

  resuming = false;
  for (const { event, receivedAt } of buffered.splice(0)) {
    apply(event, "live", receivedAt);
  }

  print({ kind: "ready", at: now(), calls, replayed });
  if (expect === 0) {
    finish({ kind: "done", applied, lastApplied });
  }
} catch (error) {
  finish({ kind: "error", message: error?.message ?? String(error) });
}

const result = await finished;
clearTimeout(timer);
print(result);
await connection.stop().catch(() => {});
process.exit(result.kind === "done" ? 0 : result.kind === "timeout" ? 2 : 1);

function parseArgs(list) {
  const parsed = {};
  for (let i = 0; i < list.length; i += 2) {
    if (!list[i].startsWith("--") || i + 1 >= list.length) {
      console.error(`bad arguments near '${list[i]}'`);
      process.exit(64);
    }

    parsed[list[i].slice(2)] = list[i + 1];
  }

  return parsed;
}
