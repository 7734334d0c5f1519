/**
 * A SaaS backend that mounts seatkit: an Express app with the SCIM endpoints under /scim/v2 and a
 * small admin route that shows seat usage.
 */
import express from 'express';
import { createSeatkit, type LicenseChange, type StorageAdapter } from 'seatkit';
import { scimMiddleware } from 'seatkit/express';
import { demoPolicy, demoTenant } from './demo-tenant';

export interface DemoServerOptions {
  readonly storage: StorageAdapter;
  readonly token: string;
  readonly onLicenseChange?: (change: LicenseChange) => void;
}

/** Builds the app and its seatkit instance, with the demo tenant in place. */
export const createDemoApp = async ({ storage, token, onLicenseChange }: DemoServerOptions) => {
  const seatkit = createSeatkit({ storage, policy: demoPolicy, onLicenseChange });
  await seatkit.tenants.put(demoTenant(token));

  const app = express();
  app.disable('x-powered-by');
  app.use('/scim/v2', scimMiddleware(seatkit));
  // The host's own view of its seats, next to SCIM.
  app.get('/admin/seats', async (_req, res) => {
    res.json(await seatkit.usage('acme'));
  });
  return { app, seatkit };
};
