// The command line every browser test takes: --server BIN --web-root DIR --screenshots DIR.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';

export function testOptions() {
  const { values: opts } = parseArgs({
    options: {
      server: { type: 'string' },
      'web-root': { type: 'string' },
      screenshots: { type: 'string' },
    },
  });
  assert.ok(opts.server && opts['web-root'] && opts.screenshots,
            'usage: --server BIN --web-root DIR --screenshots DIR');
  mkdirSync(opts.screenshots, { recursive: true });
  return opts;
}
