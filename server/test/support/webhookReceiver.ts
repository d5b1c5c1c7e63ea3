/**
 * A webhook receiver on 127.0.0.1 for tests: records every request (headers and the raw body, as
 * a real receiver must verify them) and answers as the test says: a status, or never (a hanging
 * endpoint, until the test closes it).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What to answer the n-th request (0-based): a status code, or "hang" to never answer. */
export type Answer = (n: number, request: ReceivedRequest) => number | "hang";

export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  answer: Answer;
  close(): Promise<void>;
}

export async function startReceiver(answer: Answer = () => 200): Promise<WebhookReceiver> {
  const hanging: ServerResponse[] = [];
  const receiver: WebhookReceiver = {
    url: "",
    received: [],
    answer,
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      const n = receiver.received.length;
      receiver.received.push(request);
      const reply = receiver.answer(n, request);
      if (reply === "hang") {
        hanging.push(res);
        return;
      }
      res.writeHead(reply, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
