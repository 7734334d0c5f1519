/**
 * The demo's console output: the seat table and the users with their licenses.
 */
import type { TierUsage } from 'seatkit';

const LICENSE = 'urn:seatkit:scim:schemas:extension:license:2.0:User';

const table = (rows: string[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const [n, row] of rows.entries()) {
    console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
};

/** Tier, limit, assigned, pending. */
export const printSeats = (usage: readonly TierUsage[]) => {
  console.log('\nSeats');
  table([['tier', 'limit', 'assigned', 'pending'], ...usage.map((u) => [u.tier, String(u.limit ?? 'none'), String(u.assigned), String(u.pending)])]);
};

/** Each user's userName, active flag and license, read back over SCIM as an IdP would. */
export const printUsers = async (baseUrl: string, token: string) => {
  const response = await fetch(`${baseUrl}/Users?count=1000`, { headers: { authorization: `Bearer ${token}` } });
  const list = (await response.json()) as { Resources: Record<string, unknown>[] };
  console.log('\nUsers');
  table([['userName', 'active', 'tier', 'license'], ...list.Resources.map((u) => {
    const license = (u[LICENSE] ?? {}) as { tier?: string; status?: string };
    return [String(u.userName), String(u.active ?? true), license.tier ?? '-', license.status ?? '-'];
  })]);
};
