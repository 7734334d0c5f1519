import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  // Tests and examples import 'seatkit' as users do; here it resolves to the sources, so no build is needed.
  resolve: {
    alias: [
      { find: /^seatkit\/(express|hono|next|sqlite|postgres|testing)$/, replacement: src('$1.ts') },
      { find: /^seatkit$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Starts a throwaway PostgreSQL server for the PostgreSQL suites unless SEATKIT_TEST_PG_URL names one.
    globalSetup: ['test/storage/support/pg-global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
