// The assistant's work in the browser: a question with arithmetic shows the calculator
// step live and folded afterwards, with the answer; a long reply is stopped midway with
// its Stop button and keeps its partial text, marked stopped — also after a reload.
//
//   node assistant.test.mjs --server <parley-server> --web-root <dir> --screenshots <dir>
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  clickWidget, launchBrowser, nextFrames, sendMessage, serverTranscript, signIn, state,
  waitForState,
} from './lib/browser.mjs';
import { testOptions } from './lib/options.mjs';
import { shutDown, startServer } from './lib/server.mjs';

const opts = testOptions();
const shot = (page, name) => page.screenshot({ path: join(opts.screenshots, `${name}.png`) });

const work = mkdtempSync(join(tmpdir(), 'parley-assistant-'));
const server = await startServer({ binary: opts.server, webRoot: opts['web-root'],
                                   db: join(work, 'parley.db'), assistantDelayMs: 120 });
const browser = await launchBrowser();

try {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  await signIn(page, server.url, 'Cleo');

  // Arithmetic: the calculator's step shows while the reply is written, then folds.
  await sendMessage(page, 'what is 12*(3+4)?');
  const live = await waitForState(page, (s) => s.entries.some(
    (e) => e.kind === 'assistant' && e.status === 'streaming' &&
           e.steps.some((st) => st.label === 'calculator')), 'the calculator step, live');
  const liveReply = live.entries.find((e) => e.kind === 'assistant');
  assert.equal(liveReply.steps.find((st) => st.label === 'calculator').text, 'calculator: 12*(3+4) = 84');
  await nextFrames(page, 2);
  await shot(page, 'a00-calculator-live');
  let s = await waitForState(page, (st) => st.entries.some(
    (e) => e.kind === 'assistant' && e.status === 'complete'), 'the answer');
  const answer = s.entries.find((e) => e.kind === 'assistant');
  assert.match(answer.text, /^12\*\(3\+4\) = 84\./);
  assert.deepEqual(answer.steps.map((st) => st.label), ['thinking', 'calculator', 'status']);
  await nextFrames(page, 2);
  await shot(page, 'a01-calculator-folded');

  // A long reply, stopped midway with the Stop button on it.
  await sendMessage(page, 'Tell me everything you can about this room and how it works');
  await waitForState(page, (st) => st.entries.some((e) => e.kind === 'assistant' &&
    e.status === 'streaming' && e.text.split(' ').length > 4), 'a long reply under way');
  await clickWidget(page, 'stop_button');
  s = await waitForState(page, (st) => st.entries.filter((e) => e.kind === 'assistant')
    .some((e) => e.status === 'stopped'), 'the reply stopped');
  const stopped = s.entries.filter((e) => e.kind === 'assistant').pop();
  assert.equal(stopped.badge, 'stopped');
  assert.ok(stopped.text.length > 0, 'the partial reply is kept');
  assert.ok(!stopped.text.includes('word by word and is kept'), 'it ended before its last words');
  const stored = (await serverTranscript(page)).find((e) => e.seq === stopped.seq);
  assert.equal(stored.status, 'stopped');
  assert.equal(stored.text, stopped.text);
  await nextFrames(page, 2);
  await shot(page, 'a02-stopped');

  // After a reload both replies are as they were, steps included.
  await page.reload();
  s = await waitForState(page, (st) => st.connection === 'connected' &&
    st.entries.filter((e) => e.kind === 'assistant').length === 2, 'the room after a reload');
  const again = s.entries.filter((e) => e.kind === 'assistant');
  assert.deepEqual(again[0].steps.map((st) => st.label), ['thinking', 'calculator', 'status']);
  assert.equal(again[1].status, 'stopped');
  assert.equal(again[1].text, stopped.text);
  await context.close();
} finally {
  await shutDown(browser, server, work);
}
console.log('assistant: ok');
