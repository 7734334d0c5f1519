/**
 * After the PostgreSQL import: what each list and lookup asks of the database at that size. The
 * requests run through a second seatkit on the same tables whose Kysely logs every statement;
 * each statement on the users table is run again under EXPLAIN ANALYZE and its rows read reported.
 */
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { createSeatkit, rulePolicy } from '../../src/index';
import { postgresStorage } from '../../src/postgres';
import { readPlan } from '../../test/storage/support/pg-plans';

export interface PlanRow {
  readonly request: string;
  readonly statement: string;
  readonly usersRowsRead: number;
  readonly plan: string;
}

/** Sends each `paths` GET as `token` and reads the plans of its statements on the users table. */
export const reportPlans = async (url: string, schema: string | undefined, token: string, paths: readonly string[]): Promise<PlanRow[]> => {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const logged: CompiledQuery[] = [];
  const db = new Kysely({ dialect: new PostgresDialect({ pool }), log: (event) => { if (event.level === 'query') logged.push(event.query); } });
  const storage = await postgresStorage({ db, schema, migrate: false });
  const seatkit = createSeatkit({ storage, policy: rulePolicy({ defaultTier: 'standard' }) });
  const client = await pool.connect();
  const rows: PlanRow[] = [];
  try {
    for (const path of paths) {
      logged.length = 0;
      const response = await seatkit.handle(new Request(`http://localhost/scim/v2${path}`, { headers: { authorization: `Bearer ${token}` } }));
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      for (const query of logged.filter((q) => /_users" as "r"/.test(q.sql))) {
        const plan = await readPlan(client, query);
        rows.push({
          request: decodeURIComponent(path),
          statement: /^select count/i.test(query.sql) ? 'count' : 'page',
          usersRowsRead: Object.entries(plan.rowsRead).filter(([table]) => table.endsWith('users')).reduce((sum, [, n]) => sum + n, 0),
          plan: [...new Set(plan.nodes.filter((n) => /Scan|Sort/.test(n)))].join(', ') + (plan.indexes.length > 0 ? ` (${[...new Set(plan.indexes)].join(', ')})` : ''),
        });
      }
    }
  } finally {
    client.release();
    await storage.close();
    await pool.end();
  }
  return rows;
};
