/**
 * The name lookup webhook connections use: the system resolver's answer, refused when any address
 * in it is private, link-local, unspecified or (unless the operator allows it) loopback (the
 * rules of domain/webhooks/endpointUrl.ts). A URL
 * checked at registration can point elsewhere later (a changed record, DNS rebinding), so the
 * check is made where the socket is opened, on the very addresses it will connect to.
 */
import { lookup as systemLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from "node:dns";
import type { LookupFunction } from "node:net";
import { isRefusedResolvedAddress, type EndpointRules } from "../domain/webhooks/endpointUrl";

/** What the guard resolves with: dns.lookup's all-addresses form (tests give a fake one). */
export type ResolveAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export const PRIVATE_ADDRESS_CODE = "EPRIVATEADDRESS";

const systemResolveAll: ResolveAll = (hostname, options, callback) => systemLookup(hostname, options, callback);

export function publicOnlyLookup(rules: EndpointRules, resolveAll: ResolveAll = systemResolveAll): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolveAll(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 4);
      const refused = addresses.find((a) => isRefusedResolvedAddress(a.address, rules));
      const first = addresses[0];
      if (refused || !first) {
        const why = refused ? `${hostname} resolves to ${refused.address}, which webhooks may not reach` : `${hostname} has no address`;
        const error: NodeJS.ErrnoException = Object.assign(new Error(why), { code: refused ? PRIVATE_ADDRESS_CODE : "ENOTFOUND" });
        return callback(error, "", 4);
      }
      // net asks for every address when it races IPv4 and IPv6 (autoSelectFamily), else for one.
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
