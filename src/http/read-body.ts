/**
 * Reads a request body as JSON, within the advertised size limit.
 */
import * as E from 'fp-ts/Either';
import { invalidSyntax, payloadTooLarge, unsupportedMediaType, type ScimError } from '../core/errors/scim-error';

// RFC 7644 §3.1 asks for application/scim+json; clients also send application/json, and some send no type.
const isJsonType = (contentType: string | null) => {
  if (!contentType) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json') || type === 'text/plain' || type === '';
};

const tooLarge = (limit: number) => payloadTooLarge(`The request body is larger than the maximum of ${limit} bytes`);

const readCapped = async (request: Request, limit: number): Promise<string | null> => {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
};

/** The parsed JSON body, or the SCIM error that explains why there is none. */
export const readJsonBody = async (request: Request, limit: number): Promise<E.Either<ScimError, unknown>> => {
  if (!isJsonType(request.headers.get('content-type'))) {
    return E.left(unsupportedMediaType('The request body must be application/scim+json or application/json'));
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return E.left(tooLarge(limit));
  let text: string | null;
  try {
    text = await readCapped(request, limit);
  } catch {
    // The client went away or broke the stream mid-body: its fault, not a fault of the service.
    return E.left(invalidSyntax('The request body ended before it was complete'));
  }
  if (text === null) return E.left(tooLarge(limit));
  if (text.trim() === '') return E.left(invalidSyntax('The request needs a JSON body'));
  try {
    return E.right(JSON.parse(text));
  } catch {
    return E.left(invalidSyntax('The request body is not valid JSON'));
  }
};
