/**
 * A start-up failure a person can act on. Its message is one sentence saying what is wrong and
 * what to do; main.ts prints it as the only line of a failed start, so it never carries a stack,
 * and never a secret (a password from DATABASE_URL or REDIS_URL).
 */
export class StartupFailure extends Error {
  override readonly name = "StartupFailure";
}

/** The first line of an error's message, for a one-line report of a failure nobody classified. */
export function firstLine(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0 && err.message === "") {
    // Node's connect() tries every address of a name and reports them together with no message of its own.
    return [...new Set(err.errors.map(firstLine))].join("; ");
  }
  const text = err instanceof Error ? err.message || String(err.constructor.name) : String(err);
  return text.split("\n")[0]!.trim();
}

/** Removes a URL's password (raw and decoded) from a driver's message, in case the driver quoted it. */
export function redactPassword(text: string, url: URL): string {
  let out = text;
  for (const secret of new Set([url.password, safeDecode(url.password)])) {
    if (secret !== "") out = out.split(secret).join("***");
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** host:port as a person would type it, with the default port when the URL has none. */
export function hostOf(url: URL, defaultPort: number): string {
  return `${url.hostname}:${url.port || defaultPort}`;
}

/** The one line a failed start prints: the failure's own sentence, or the first line of an unforeseen error. */
export function failureLine(err: unknown): string {
  const text = err instanceof StartupFailure ? err.message : `${firstLine(err)} (LOG_LEVEL=debug shows where it came from)`;
  return `Tavern cannot start: ${text}`;
}
