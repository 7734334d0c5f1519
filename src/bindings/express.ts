/**
 * seatkit for Express: a middleware to mount at the SCIM base path.
 *
 * @example
 * app.use('/scim/v2', scimMiddleware(seatkit));
 */
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from 'express';
import { methodNotAllowed } from '../core/errors/scim-error';
import { errorResponse } from '../http/respond';
import type { Seatkit } from '../seatkit';

const BODYLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

// A body parser mounted before seatkit has already drained the stream: take what it parsed.
// Otherwise the stream is handed over unread, so the core's size limit and token check come
// before a single byte is buffered.
const bodyOf = (req: ExpressRequest): { body?: string | Buffer | ReadableStream; streamed: boolean } => {
  if (BODYLESS.has(req.method)) return { streamed: false };
  if (Buffer.isBuffer(req.body) || typeof req.body === 'string') return { body: req.body as string | Buffer, streamed: false };
  if (req.body !== undefined && req.readableEnded) return { body: JSON.stringify(req.body), streamed: false };
  return { body: streamOf(req), streamed: true };
};

// Pulls from the request only as the core reads. When the core stops early (a bad token, a body over
// the limit), the rest is discarded as it arrives instead of being buffered.
const streamOf = (req: ExpressRequest): ReadableStream<Uint8Array> => {
  const chunks = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value as Buffer));
      } catch (error) {
        controller.error(error);
      }
    },
    cancel() {
      req.resume();
    },
  });
};

// A Host header that is not a host (`a b`, `[::1`) must not turn into a 500.
const urlOf = (req: ExpressRequest): string => {
  for (const candidate of [`${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`, `http://localhost${req.originalUrl}`]) {
    try {
      return new URL(candidate).href;
    } catch {
      // try the next form
    }
  }
  return 'http://localhost/';
};

const toRequest = (req: ExpressRequest): Request => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const { body, streamed } = bodyOf(req);
  if (typeof body === 'string') headers.delete('content-length');
  return new Request(urlOf(req), { method: req.method, headers, body, ...(streamed ? { duplex: 'half' } : {}) } as RequestInit);
};

const send = async (res: ExpressResponse, response: Response) => {
  res.status(response.status);
  // A body left unread must not hold the connection for the next request.
  if (!res.req.complete) res.setHeader('connection', 'close');
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
};

/** The SCIM endpoints as Express middleware; mount it at any path. */
export const scimMiddleware = (seatkit: Seatkit): RequestHandler =>
  (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    let request: Request;
    try {
      request = toRequest(req);
    } catch {
      // The fetch API refuses methods such as TRACE and CONNECT.
      send(res, errorResponse(methodNotAllowed(`${req.method} is not supported`))).catch(next);
      return;
    }
    seatkit.handle(request, { basePath: req.baseUrl })
      .then((response) => send(res, response))
      .catch(next);
  };
