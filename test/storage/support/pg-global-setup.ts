/**
 * vitest globalSetup: gives the PostgreSQL suites a server. SEATKIT_TEST_PG_URL wins (CI starts one);
 * otherwise a throwaway cluster is started when PostgreSQL's binaries are installed (unless
 * SEATKIT_TEST_NO_PG is set); otherwise the PostgreSQL suites are skipped, and this says why.
 */
import type { TestProject } from 'vitest/node';
import { findPgBin, startPgCluster, type PgCluster } from './pg-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server URL whose user may create databases, or '' when there is none. */
    pgUrl: string;
  }
}

let cluster: PgCluster | null = null;

// Named exports: vitest ignores a named `teardown` beside a default export.
export async function setup(project: TestProject) {
  const given = process.env.SEATKIT_TEST_PG_URL;
  if (given) {
    project.provide('pgUrl', given);
    return;
  }
  const bin = process.env.SEATKIT_TEST_NO_PG ? null : findPgBin();
  if (!bin) {
    console.warn('PostgreSQL suites skipped: set SEATKIT_TEST_PG_URL, or install PostgreSQL\'s server (initdb, pg_ctl) so the tests can start one.');
    project.provide('pgUrl', '');
    return;
  }
  try {
    cluster = await startPgCluster(bin);
    project.provide('pgUrl', cluster.url);
  } catch (error) {
    console.warn(`PostgreSQL suites skipped: starting a throwaway server from ${bin} failed (set SEATKIT_TEST_PG_URL instead):`, error);
    project.provide('pgUrl', '');
  }
}

export function teardown() {
  cluster?.stop();
  cluster = null;
}
