import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entries } from '../../tsup.config';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  type: string;
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

const subpathOf = (entry: string) => (entry === 'index' ? '.' : `./${entry}`);

describe('the published package', () => {
  it('is called seatkit and is ESM first', () => {
    expect(pkg.name).toBe('seatkit');
    expect(pkg.type).toBe('module');
  });

  it('exports exactly the build entries, each as ESM and CJS with types', () => {
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
    expect(subpaths.sort()).toEqual(Object.keys(entries).map(subpathOf).sort());
    for (const entry of Object.keys(entries)) {
      expect(pkg.exports[subpathOf(entry)]).toEqual({
        import: { types: `./dist/${entry}.d.ts`, default: `./dist/${entry}.js` },
        require: { types: `./dist/${entry}.d.cts`, default: `./dist/${entry}.cjs` },
      });
    }
  });

  it('keeps frameworks and database drivers as optional peer dependencies', () => {
    for (const name of ['express', 'hono', 'next', 'better-sqlite3', 'pg']) {
      expect(pkg.dependencies[name]).toBeUndefined();
      expect(pkg.peerDependencies[name]).toBeDefined();
      expect(pkg.peerDependenciesMeta[name]?.optional).toBe(true);
    }
  });

  it('has no framework import in the core', async () => {
    const { readdirSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
    const root = new URL('../../src/', import.meta.url).pathname;
    for (const dir of ['core', 'service', 'http', 'ports']) {
      for (const file of walk(join(root, dir))) {
        const text = readFileSync(file, 'utf8');
        expect(text, file).not.toMatch(/from '(express|hono|next|better-sqlite3|pg)[/']/);
        if (dir === 'core') expect(text, file).not.toMatch(/from 'node:/);
      }
    }
  });
});
