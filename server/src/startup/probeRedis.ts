/**
 * One PING to REDIS_URL with a deadline, before the Redis presence and driver exist. Their client
 * retries an unreachable server for ever and logs every attempt; this turns it into one line.
 * It speaks the few bytes of the Redis protocol it needs itself (AUTH when the URL has a password,
 * then PING), so the probe needs no client library of its own.
 */
import { connect as connectTcp, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { firstLine, hostOf, redactPassword, StartupFailure } from "./failure";

export async function probeRedis(redisUrl: string, timeoutMs = 3000): Promise<void> {
  const url = new URL(redisUrl);
  try {
    await ping(url, timeoutMs);
  } catch (err) {
    throw new StartupFailure(
      `cannot reach Redis at ${hostOf(url, 6379)} (${redactPassword(firstLine(err), url)}): start Redis, correct REDIS_URL, or unset it to run one process without Redis`,
      { cause: err },
    );
  }
}

function command(...args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

function ping(url: URL, timeoutMs: number): Promise<void> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = Number(url.port || 6379);
  const password = decodeURIComponent(url.password);
  const user = decodeURIComponent(url.username);
  const commands = [...(password ? [user ? command("AUTH", user, password) : command("AUTH", password)] : []), command("PING")];
  return new Promise((resolve, reject) => {
    const socket: Socket =
      url.protocol === "rediss:" ? connectTls({ host, port, servername: host }, send) : connectTcp({ host, port }, send);
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    let replies = "";
    let settled = false;
    function send() {
      socket.write(commands.join(""));
    }
    function finish(err?: Error) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    }
    socket.on("error", (err) => finish(err));
    socket.on("close", () => finish(new Error("the server closed the connection")));
    socket.on("data", (chunk: Buffer) => {
      replies += chunk.toString("utf8");
      const lines = replies.split("\r\n").slice(0, -1);
      // Simple replies: "+OK"/"+PONG", or "-ERR ..." (e.g. NOAUTH, WRONGPASS): the first error wins.
      const error = lines.find((l) => l.startsWith("-"));
      if (error) finish(new Error(`Redis answered: ${error.slice(1)}`));
      else if (lines.length >= commands.length) finish();
    });
  });
}
