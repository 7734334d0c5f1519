/**
 * seatkit for Express: a middleware to mount at the SCIM base path.
 *
 * @example
 * app.use('/scim/v2', scimMiddleware(seatkit));
 */
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from 'express';
import type { Seatkit } from '../seatkit';

// A body parser mounted before seatkit has already drained the stream; take what it parsed.
const bodyOf = async (req: ExpressRequest): Promise<string | Uint8Array | undefined> => {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE') return undefined;
  if (Buffer.isBuffer(req.body) || typeof req.body === 'string') return req.body as string | Buffer;
  if (req.body !== undefined && req.readableEnded) return JSON.stringify(req.body);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const toRequest = async (req: ExpressRequest): Promise<Request> => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const body = await bodyOf(req);
  if (body !== undefined && typeof body === 'string') headers.delete('content-length');
  return new Request(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`, { method: req.method, headers, body });
};

const send = async (res: ExpressResponse, response: Response) => {
  res.status(response.status);
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
};

/** The SCIM endpoints as Express middleware; mount it at any path. */
export const scimMiddleware = (seatkit: Seatkit): RequestHandler =>
  (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    toRequest(req)
      .then((request) => seatkit.handle(request, { basePath: req.baseUrl }))
      .then((response) => send(res, response))
      .catch(next);
  };
