// A browser without WebGL gets a clear explanation instead of a blank canvas.
//
//   node unsupported.test.mjs --server <parley-server> --web-root <dir> --screenshots <dir>
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { launchBrowser } from './lib/browser.mjs';
import { testOptions } from './lib/options.mjs';
import { startServer } from './lib/server.mjs';

const opts = testOptions();

const work = mkdtempSync(join(tmpdir(), 'parley-browser-'));
const server = await startServer({ binary: opts.server, webRoot: opts['web-root'],
                                   db: join(work, 'parley.db') });
const browser = await launchBrowser({ extraArgs: ['--disable-3d-apis'] });
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.goto(server.url);
  const problem = page.locator('#problem');
  await problem.waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await problem.textContent(), /WebGL 2/);
  assert.equal(await page.evaluate(() => typeof window.Module), 'undefined',
               'the client is not loaded when it cannot run');
  await page.screenshot({ path: join(opts.screenshots, 'no-webgl.png') });
  console.log('ok: the page explains that WebGL 2 is missing');
} finally {
  await browser.close().catch(() => {});
  await server.stop().catch(() => server.kill());
  rmSync(work, { recursive: true, force: true });
}
