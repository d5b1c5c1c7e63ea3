/**
 * Which URLs a game may register as a webhook endpoint: https anywhere public, or plain http to
 * this machine's loopback (a receiver under test, a local relay). Literal private and link-local
 * addresses are refused, so a key cannot point Tavern's requests at its own network (a cloud
 * metadata service, an internal admin page). A name can resolve to such an address at any time
 * (DNS rebinding), so names are judged again at every connection by `isRefusedResolvedAddress`.
 */
import { WEBHOOK_URL_MAX_LENGTH } from "@tavern/shared/webhooks";

export type UrlCheck = { ok: true; url: string } | { ok: false; problem: string };

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function checkEndpointUrl(raw: string): UrlCheck {
  if (raw.length > WEBHOOK_URL_MAX_LENGTH) return { ok: false, problem: `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: "is not a URL" };
  }
  if (url.username || url.password) return { ok: false, problem: "must not carry a user name or password" };
  if (url.hash) return { ok: false, problem: "must not have a #fragment" };
  const host = url.hostname.toLowerCase();
  if (url.protocol === "http:") {
    if (LOOPBACK_HOSTS.has(host)) return { ok: true, url: url.href };
    return { ok: false, problem: "must use https (plain http is accepted for localhost and 127.0.0.1 only)" };
  }
  if (url.protocol !== "https:") return { ok: false, problem: "must use https" };
  if (isPrivateAddress(host)) return { ok: false, problem: "must not point at a private, link-local or unspecified address" };
  return { ok: true, url: url.href };
}

/** Literal IPv4 or bracketed IPv6 addresses of private, link-local, shared or unspecified ranges (loopback is allowed). */
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
export function isRefusedResolvedAddress(address: string): boolean {
  const mappedV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mappedV4) return isPrivateAddress(mappedV4[1]!);
  return isPrivateAddress(address.includes(":") ? `[${address.toLowerCase()}]` : address);
}
