/**
 * Which URLs a game may register as a webhook endpoint: https anywhere public. Literal private and
 * link-local addresses are refused, so a key cannot point Tavern's requests at its own network (a
 * cloud metadata service, an internal admin page); so is this machine's loopback (Tavern's own
 * routes, a database or cache listening on 127.0.0.1) unless the operator allows it
 * (WEBHOOK_ALLOW_LOOPBACK: a receiver under test, a local relay), and then plain http is accepted
 * there too. A name can resolve to such an address at any time (DNS rebinding), so names are
 * judged again at every connection by `isRefusedResolvedAddress`, and literals by `isRefusedHost`.
 */
import { WEBHOOK_URL_MAX_LENGTH } from "@tavern/shared/webhooks";

export type UrlCheck = { ok: true; url: string } | { ok: false; problem: string };

/** What the operator allows beyond public addresses. */
export interface EndpointRules {
  /** Endpoints on this machine's loopback (localhost, 127.0.0.0/8, ::1). */
  allowLoopback: boolean;
}

export const PUBLIC_ONLY: EndpointRules = { allowLoopback: false };

const LOOPBACK_REFUSED = "must not point at this machine (loopback); the server's operator can allow it with WEBHOOK_ALLOW_LOOPBACK=true";

export function checkEndpointUrl(raw: string, rules: EndpointRules): UrlCheck {
  if (raw.length > WEBHOOK_URL_MAX_LENGTH) return { ok: false, problem: `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: "is not a URL" };
  }
  if (url.username || url.password) return { ok: false, problem: "must not carry a user name or password" };
  if (url.hash) return { ok: false, problem: "must not have a #fragment" };
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, problem: "must use https" };
  const host = url.hostname.toLowerCase();
  if (isLoopbackHost(host) && !rules.allowLoopback) return { ok: false, problem: LOOPBACK_REFUSED };
  if (url.protocol === "http:" && !(rules.allowLoopback && isLoopbackLiteral(host))) {
    const where = rules.allowLoopback ? "accepted for localhost, 127.x and [::1] only" : "not accepted";
    return { ok: false, problem: `must use https (plain http is ${where})` };
  }
  if (isLoopbackHost(host)) return { ok: true, url: url.href };
  if (isPrivateAddress(host)) return { ok: false, problem: "must not point at a private, link-local or unspecified address" };
  return { ok: true, url: url.href };
}

/**
 * This machine, as a URL's host may name it (to refuse): localhost and its subdomains (RFC 6761;
 * a trailing dot included), 127.0.0.0/8, ::1 and IPv4-mapped loopback. The URL parser has already
 * turned shorthand forms (127.1, 2130706433, 0x7f.1) into dotted quads.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.endsWith(".") ? host.slice(0, -1) : host;
  return name === "localhost" || name.endsWith(".localhost") || isLoopbackLiteral(name);
}

/**
 * This machine, named so that no DNS answer is involved (to accept plain http there): the name
 * `localhost` (the hosts file), 127.0.0.0/8, ::1, IPv4-mapped loopback. A subdomain of localhost
 * or a trailing dot can go to a resolver and its search domains, so those are https-only.
 */
function isLoopbackLiteral(host: string): boolean {
  if (host === "localhost" || host === "[::1]") return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  const mapped = /^\[::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}\]$/.exec(host);
  return mapped !== null && parseInt(mapped[1]!, 16) >> 8 === 127;
}

/** A URL's host refused under `rules` (literal private addresses, and loopback unless allowed); names are judged when they resolve. */
export function isRefusedHost(host: string, rules: EndpointRules): boolean {
  const lower = host.toLowerCase();
  return isPrivateAddress(lower) || (!rules.allowLoopback && isLoopbackHost(lower));
}

/** Literal IPv4 or bracketed IPv6 addresses of private, link-local, shared or unspecified ranges (loopback: `isLoopbackHost`). */
export function isPrivateAddress(host: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
      (a === 169 && b === 254) || // link-local, cloud metadata
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (host.startsWith("[") && host.endsWith("]")) {
    const v6 = host.slice(1, -1);
    if (v6 === "::1") return false;
    if (v6 === "::") return true;
    // IPv4-mapped (::ffff:a.b.c.d, which URL writes as ::ffff:xxxx:xxxx): judged as IPv4.
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
    if (mapped) {
      const high = parseInt(mapped[1]!, 16);
      const low = parseInt(mapped[2]!, 16);
      return isPrivateAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
    return /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6); // unique local fc00::/7, link-local fe80::/10
  }
  return false;
}

/**
 * An address a name resolved to, as DNS answers it (IPv6 without brackets, IPv4-mapped IPv6 in
 * dotted form): refused on the same rules as a literal in a registered URL.
 */
export function isRefusedResolvedAddress(address: string, rules: EndpointRules): boolean {
  const mappedV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mappedV4) return isRefusedHost(mappedV4[1]!, rules);
  return isRefusedHost(address.includes(":") ? `[${address}]` : address, rules);
}
