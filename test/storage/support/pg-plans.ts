/**
 * Reads what a statement costs from PostgreSQL's own account of running it: EXPLAIN (ANALYZE,
 * FORMAT JSON) on the exact SQL and parameters seatkit sent, summed per table. Rows read are the
 * rows a scan returned plus those it read and filtered away, so a plan that walks a tenant shows
 * the tenant's size whatever the planner's settings.
 */
import type { CompiledQuery } from 'kysely';
import type pg from 'pg';

export interface PlanReading {
  /** Rows read from each table (by physical name), over all loops. */
  readonly rowsRead: Record<string, number>;
  /** Every node type in the plan (`Index Scan`, `Seq Scan`, `Sort`, ...). */
  readonly nodes: string[];
  /** The index names the plan scans. */
  readonly indexes: string[];
}

/**
 * Runs `query` under EXPLAIN ANALYZE on `client` and reads the plan.
 * @example
 * const { rowsRead } = await readPlan(client, compiled); rowsRead.seatkit_users; // 11
 */
export const readPlan = async (client: pg.ClientBase, query: CompiledQuery): Promise<PlanReading> => {
  const [row] = (await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`, [...query.parameters])).rows;
  const rowsRead: Record<string, number> = {};
  const nodes: string[] = [];
  const indexes: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (typeof n['Node Type'] === 'string') nodes.push(n['Node Type']);
    if (typeof n['Index Name'] === 'string') indexes.push(n['Index Name']);
    const relation = n['Relation Name'];
    if (typeof relation === 'string') {
      const read = Number(n['Actual Rows'] ?? 0) * Number(n['Actual Loops'] ?? 1) + Number(n['Rows Removed by Filter'] ?? 0) + Number(n['Rows Removed by Index Recheck'] ?? 0);
      rowsRead[relation] = (rowsRead[relation] ?? 0) + read;
    }
    Object.values(n).forEach(walk);
  };
  walk(row!['QUERY PLAN']);
  return { rowsRead, nodes, indexes };
};
