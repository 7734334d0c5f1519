import { describe, expect, it } from 'vitest';
import { createSeatkit, memoryStorage, type LicensePolicy } from 'seatkit';

const LICENSE = 'urn:seatkit:scim:schemas:extension:license:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const setup = async (policy: LicensePolicy, seats: number | null = 3) => {
  const seatkit = createSeatkit({ storage: memoryStorage(), policy, onError: () => undefined });
  await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats }] }, tokens: ['edge-token'] });
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, {
      method,
      headers: { authorization: 'Bearer edge-token', 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }));
    return { status: response.status, body: (response.status === 204 ? null : await response.json()) as any };
  };
  return { seatkit, send };
};

// A host policy with a bug: it throws for users without a department.
const strictPolicy: LicensePolicy = {
  decideTier: ({ user }) => {
    if (!(user[ENTERPRISE] as { department?: string } | undefined)?.department) throw new Error('no department');
    return { tier: 'standard', reason: 'has a department' };
  },
};

describe('license edges', () => {
  it('deactivates a user even when the policy would throw for it', async () => {
    const { send } = await setup(strictPolicy);
    const ada = await send('POST', '/Users', { userName: 'ada', [ENTERPRISE]: { department: 'R&D' } });
    expect(ada.status).toBe(201);
    const off = await send('PATCH', `/Users/${ada.body.id}`, { schemas: [PATCH], Operations: [
      { op: 'remove', path: `${ENTERPRISE}:department` },
      { op: 'replace', path: 'active', value: false },
    ] });
    expect(off.status).toBe(200);
    expect(off.body[LICENSE].status).toBe('released');
    const created = await send('POST', '/Users', { userName: 'ben', active: false });
    expect(created.status).toBe(201);
    expect(created.body[LICENSE]).toEqual({ status: 'released' });
    expect((await send('PUT', `/Users/${created.body.id}`, { userName: 'ben', active: false, title: 'x' })).status).toBe(200);
  });

  it('reports a policy that throws for an active user as a 500 and changes nothing', async () => {
    const { send } = await setup(strictPolicy);
    const r = await send('POST', '/Users', { userName: 'cy' });
    expect(r.status).toBe(500);
    expect((await send('GET', '/Users')).body.totalResults).toBe(0);
  });

  it('promotes the whole queue when a contract drops its seat limit', async () => {
    const { seatkit, send } = await setup({ decideTier: () => ({ tier: 'standard', reason: 'flat' }) }, 2);
    for (const name of ['a', 'b', 'c', 'd', 'e']) await send('POST', '/Users', { userName: name });
    expect((await seatkit.usage('t'))[0]).toMatchObject({ assigned: 2, pending: 3 });
    await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: null }] } });
    expect((await seatkit.usage('t'))[0]).toMatchObject({ assigned: 5, pending: 0, limit: null });
  });
});
