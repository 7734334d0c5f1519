import { defineConfig } from 'tsup';

// fp-ts 2 has no exports map: `fp-ts/Either` is a directory that Node's ESM loader refuses. The
// built files import the CommonJS module file itself, which both ESM and CJS consumers can load.
const fpTsModuleFiles = {
  name: 'fp-ts-module-files',
  setup(build: { onResolve: (options: { filter: RegExp }, callback: (args: { path: string }) => { path: string; external: boolean }) => void }) {
    build.onResolve({ filter: /^fp-ts\/[A-Za-z]+$/ }, (args) => ({ path: `fp-ts/lib/${args.path.slice('fp-ts/'.length)}.js`, external: true }));
  },
};

// One entry per public subpath; test/package-exports.test.ts checks they match package.json "exports".
export const entries = {
  index: 'src/index.ts',
  express: 'src/express.ts',
  hono: 'src/hono.ts',
  next: 'src/next.ts',
  sqlite: 'src/sqlite.ts',
  postgres: 'src/postgres.ts',
  testing: 'src/testing.ts',
};

export default defineConfig({
  // The `seatkit` command is built beside the entries; it is a bin, not an import path.
  entry: { ...entries, 'cli/seatkit': 'src/cli/seatkit.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  noExternal: [/^fp-ts\//],
  esbuildPlugins: [fpTsModuleFiles],
});
