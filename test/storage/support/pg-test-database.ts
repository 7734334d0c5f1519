/**
 * One PostgreSQL database per test file, created on the test server and dropped after the file.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The test server's URL, or '' when there is none (the suites are then skipped). */
export const pgServerUrl = (): string => inject('pgUrl');

export const PG_SKIP_REASON = 'skipped: no PostgreSQL server (set SEATKIT_TEST_PG_URL or install initdb/pg_ctl)';

const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

/** Runs one statement on the server's maintenance database. */
export const onServer = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> => query<T>(pgServerUrl(), text, values);

/** Creates an empty database; returns its URL and a function that drops it. */
export const createTestDatabase = async (): Promise<{ url: string; drop: () => Promise<void> }> => {
  const name = `seatkit_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await onServer(`CREATE DATABASE ${name}`);
  return {
    url: withDatabase(pgServerUrl(), name),
    drop: async () => {
      await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
};

/** Runs one statement on a database. */
export const query = async <T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
};
