import { defineConfig } from 'tsup';

// One entry per public subpath; test/package-exports.test.ts checks they match package.json "exports".
export const entries = {
  index: 'src/index.ts',
  express: 'src/express.ts',
  hono: 'src/hono.ts',
  next: 'src/next.ts',
  sqlite: 'src/sqlite.ts',
  testing: 'src/testing.ts',
};

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
