/**
 * Building the stored records of new and changed resources.
 */
import type { Json } from '../core/schema/canonicalize';
import type { ResourceMeta } from '../ports/storage-adapter';
import type { RequestContext } from './service-context';

/** Meta for a resource created now. */
export const freshMeta = (ctx: RequestContext): ResourceMeta => ({ created: ctx.now, lastModified: ctx.now, version: 1 });

/** Meta for a resource changed now. */
export const nextMeta = (meta: ResourceMeta, ctx: RequestContext): ResourceMeta => ({
  created: meta.created,
  lastModified: ctx.now,
  version: meta.version + 1,
});

/** The password is accepted (Okta sends one) but seatkit authenticates nobody, so it is never stored. */
export const withoutPassword = (doc: Json): Json => {
  const { password: _ignored, ...rest } = doc;
  return rest;
};
