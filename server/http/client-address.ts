/**
 * Who is asking: the socket's peer address, or Cloudflare's CF-Connecting-IP only when the
 * operator said the server sits behind Cloudflare (TRUST_PROXY=cloudflare). Trusting that
 * header otherwise would let any client pick its own address and dodge the rate limit.
 */
import { isIP } from 'node:net';
import type { Context } from 'hono';

export type ClientAddressResolver = (c: Context) => string;

/** app.request() in tests has no socket; every such request shares this key. */
export const UNKNOWN_CLIENT = 'unknown';

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

export function socketAddress(c: Context): string | undefined {
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
}

export function clientAddressResolver({
  trustProxy = null,
}: {
  trustProxy?: 'cloudflare' | null;
} = {}): ClientAddressResolver {
  return (c) => {
    if (trustProxy === 'cloudflare') {
      const forwarded = c.req.header('cf-connecting-ip')?.trim();
      if (forwarded && isIP(forwarded)) return forwarded;
    }
    return socketAddress(c) ?? UNKNOWN_CLIENT;
  };
}
