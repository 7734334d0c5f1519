#!/usr/bin/env node
// npm run demo: builds the library when its sources are newer than dist/, then runs the Express example.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newest = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
  const path = join(dir, entry.name);
  return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
}, 0);

const built = existsSync('dist/index.js') && existsSync('dist/sqlite.js') && existsSync('dist/express.js');
if (!built || newest('src') > statSync('dist/index.js').mtimeMs) {
  console.log('Building seatkit...');
  const build = spawnSync('npx', ['tsup', '--silent'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const child = spawn(process.execPath, ['--import', 'tsx', 'examples/express/main.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
