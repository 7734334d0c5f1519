#!/usr/bin/env node
// Loads every public entry of the built package as a consumer would, through plain Node ESM and
// CommonJS (no bundler, no tsx), and makes one SCIM request through the SQLite storage.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve('.');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json').map((s) => (s === '.' ? 'seatkit' : `seatkit/${s.slice(2)}`))
  // seatkit/testing registers vitest suites when loaded; it is checked for resolution only.
  .filter((s) => s !== 'seatkit/testing');

const dir = mkdtempSync(join(tmpdir(), 'seatkit-consumer-'));
try {
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'seatkit'), 'dir');
  const request = `
    const seatkit = createSeatkit({ storage: await sqliteStorage(), policy: rulePolicy({ defaultTier: 'standard' }) });
    await seatkit.tenants.put({ id: 't', contract: { tiers: [{ key: 'standard', seats: 1 }] }, tokens: ['token'] });
    const response = await seatkit.handle(new Request('http://localhost/scim/v2/Users', {
      method: 'POST', headers: { authorization: 'Bearer token' }, body: JSON.stringify({ userName: 'ada' }) }));
    if (response.status !== 201) throw new Error('expected 201, got ' + response.status);`;
  writeFileSync(join(dir, 'esm.mjs'), `${subpaths.map((s, i) => `import * as m${i} from '${s}';`).join('\n')}
    import { createSeatkit, rulePolicy } from 'seatkit';
    import { sqliteStorage } from 'seatkit/sqlite';
    ${request}
    console.log('ESM: ' + [${subpaths.map((_, i) => `m${i}`).join(', ')}].map((m) => Object.keys(m).length).join(' ') + ' exports');`);
  writeFileSync(join(dir, 'cjs.cjs'), `${subpaths.map((s, i) => `const m${i} = require('${s}');`).join('\n')}
    require.resolve('seatkit/testing');
    const { createSeatkit, rulePolicy } = require('seatkit');
    const { sqliteStorage } = require('seatkit/sqlite');
    (async () => { ${request}
      console.log('CJS: ' + [${subpaths.map((_, i) => `m${i}`).join(', ')}].map((m) => Object.keys(m).length).join(' ') + ' exports');
    })().catch((e) => { console.error(e); process.exit(1); });`);
  for (const file of ['esm.mjs', 'cjs.cjs']) execFileSync(process.execPath, [join(dir, file)], { cwd: dir, stdio: 'inherit' });
  console.log(`package entries load: ${subpaths.join(', ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
