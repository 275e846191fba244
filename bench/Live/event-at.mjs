// Preloaded into tests/node/bench-clients.mjs (`node --import <this file> bench-clients.mjs ...`, run in tests/node) by
// `live --gateways 2`, whose events are real ones written through the public API (an invitation, InvitationCreated),
// not the bench grain's BenchTick: their data carries no sentAt. bench-clients.mjs measures receipt − event.data.sentAt,
// so this fills data.sentAt in from the event's own stamp `at` (the committing grain's clock when it emitted the event,
// just before its state write: the same instant BenchTick.sentAt records), to the microsecond, before the handler runs.
import { createRequire } from "node:module";
import { join } from "node:path";

// The same module instance bench-clients.mjs imports: the package is CommonJS, resolved from tests/node.
const signalR = createRequire(join(process.cwd(), "package.json"))("@microsoft/signalr");

/** Milliseconds since the epoch of an ISO-8601 instant, keeping the fraction beyond milliseconds. */
export function stampMs(at) {
  const match = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(at);
  return match ? Date.parse(match[1] + match[3]) + Number(`0${match[2] ?? ""}`) * 1000 : Date.parse(at);
}

const on = signalR.HubConnection.prototype.on;
signalR.HubConnection.prototype.on = function (methodName, handler) {
  if (methodName !== "event") {
    return on.call(this, methodName, handler);
  }

  return on.call(this, methodName, (event, ...rest) => {
    if (event?.data !== null && typeof event?.data === "object" && event.data.sentAt === undefined && typeof event.at === "string") {
      event.data.sentAt = stampMs(event.at);
    }

    return handler(event, ...rest);
  });
};
