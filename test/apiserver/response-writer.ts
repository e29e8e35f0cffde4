import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { HttpReply } from './resource-handler.js';

const gzipAsync = promisify(gzip);

// The apiserver compresses responses of at least 128 KiB for clients that accept gzip, at level 1.
const GZIP_THRESHOLD = 128 * 1024;
const GZIP_LEVEL = 1;

function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  const value = Array.isArray(header) ? header.join(',') : header ?? '';
  return value.split(',').some((part) => part.trim().split(';')[0] === 'gzip');
}

export interface WriteOptions {
  compression: boolean;
  /** Drop the connection after this many body bytes ('half': half of the body), as a mid-page reset. */
  cutAfter?: number | 'half';
}

/** Sends a reply with the real server's headers, compressing large bodies when the client asks; resolves to the Content-Encoding sent, if any. */
export async function writeReply(req: IncomingMessage, res: ServerResponse, reply: HttpReply, options: WriteOptions): Promise<string | undefined> {
  let body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  const headers: Record<string, string | number> = {
    'Audit-Id': randomUUID(),
    'Cache-Control': 'no-cache, private',
    'Content-Type': reply.contentType ?? 'application/json',
    ...(reply.headers ?? {}),
  };
  if (options.compression && body.length >= GZIP_THRESHOLD && acceptsGzip(req)) {
    body = await gzipAsync(body, { level: GZIP_LEVEL });
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = body.length;
  res.writeHead(reply.status, headers);
  const encoding = headers['Content-Encoding'] as string | undefined;
  if (options.cutAfter === undefined) {
    res.end(body);
    return encoding;
  }
  const cut = options.cutAfter === 'half' ? Math.floor(body.length / 2) : Math.min(options.cutAfter, body.length);
  res.write(body.subarray(0, cut), () => res.socket?.destroy());
  return encoding;
}
