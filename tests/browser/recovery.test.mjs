// Recovery in the browser: the server is stopped (cleanly and by SIGKILL) while the
// assistant is replying and while a message is being sent, and the page is reloaded
// mid-reply and with an unsent message in its outbox. Each time the page says it is
// reconnecting, then recovers, and its transcript equals the server's history with
// every message shown once.
//
//   node recovery.test.mjs --server <parley-server> --web-root <dir> --screenshots <dir>
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  launchBrowser, nextFrames, sendMessage, serverTranscript, signIn, state,
  transcript, waitForState,
} from './lib/browser.mjs';
import { testOptions } from './lib/options.mjs';
import { startServer } from './lib/server.mjs';

const opts = testOptions();
const shot = (page, name) => page.screenshot({ path: join(opts.screenshots, `${name}.png`) });

const work = mkdtempSync(join(tmpdir(), 'parley-recovery-'));
const db = join(work, 'parley.db');
// A slow assistant, so there is time to cut it off mid-reply; frequent checkpoints.
const serverOptions = { binary: opts.server, webRoot: opts['web-root'], db,
                        assistantDelayMs: 120, checkpointMs: 100 };
let server = await startServer(serverOptions);
const port = server.port;
const restart = async () => { server = await startServer({ ...serverOptions, port }); };
const browser = await launchBrowser();

const own = (s, text) => s.entries.filter((e) => e.author === 'Carol' && e.text === text);
// The assistant's reply to Carol's stored message `text`, or null.
function replyTo(s, text) {
  const mine = own(s, text)[0];
  if (!mine || mine.seq === 0) return null;
  return s.entries.find((e) => e.kind === 'assistant' && e.seq > mine.seq) || null;
}
const streaming = (s, text, atLeast) => {
  const r = replyTo(s, text);
  return r !== null && r.status === 'streaming' && r.text.length >= atLeast;
};

// Waits until the page has settled (each of `texts` delivered once, each answered, no
// reply still streaming), then compares it with what the server stores.
async function expectSameAsServer(page, texts, what) {
  const settled = await waitForState(page, (s) => s.connection === 'connected' &&
    s.entries.every((e) => e.seq > 0 && e.status !== 'streaming') &&
    texts.every((t) => own(s, t).length === 1 && own(s, t)[0].delivery === 'sent' &&
                       replyTo(s, t) !== null), what, 60000);
  const stored = await serverTranscript(page);
  assert.deepEqual(transcript(settled), stored, `${what}: the page equals the server's history`);
  for (const t of texts) assert.equal(own(settled, t).length, 1, `"${t}" shown once`);
  const seqs = settled.entries.map((e) => e.seq);
  assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'ascending, no duplicates');
  return settled;
}

// Presses "Retry now" when the page offers it. The client may reconnect on its own at
// any moment, so the button is clicked where it was rather than waited for.
async function retryNow(page) {
  const s = await state(page);
  const r = s && s.widgets && s.widgets.retry_button;
  if (!r) return;
  await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
  await nextFrames(page, 2);
  await page.mouse.down();
  await nextFrames(page, 2);
  await page.mouse.up();
}

try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await signIn(page, server.url, 'Carol');

  // --- 1. The server stops (SIGTERM) while the assistant is replying ---
  const Q1 = 'first question, cut short by a restart';
  await sendMessage(page, Q1);
  await waitForState(page, (s) => streaming(s, Q1, 15), 'the reply to Q1 streaming');
  await shot(page, 'r01-streaming');
  assert.equal(await server.stop(), 0, 'clean stop');
  await waitForState(page, (s) => s.connection === 'reconnecting', 'the page reconnecting');
  await nextFrames(page, 2);
  await shot(page, 'r02-reconnecting');

  // --- 2. A message written while the server is down waits in the outbox ---
  const Q2 = 'written while the server was down';
  await sendMessage(page, Q2);
  const waiting = await waitForState(page, (s) => own(s, Q2).length === 1, 'Q2 in the outbox');
  assert.equal(own(waiting, Q2)[0].delivery, 'sending');
  assert.equal(own(waiting, Q2)[0].seq, 0);
  await nextFrames(page, 2);
  await shot(page, 'r03-sending-while-down');

  await restart();
  await retryNow(page);
  let s = await expectSameAsServer(page, [Q1, Q2], 'after the clean restart');
  assert.equal(replyTo(s, Q1).status, 'interrupted', 'the cut reply is kept, marked interrupted');
  assert.ok(replyTo(s, Q1).text.length > 0, 'with the text produced before the stop');
  assert.equal(replyTo(s, Q2).status, 'complete');
  await nextFrames(page, 2);
  await shot(page, 'r04-recovered');

  // --- 3. The server is killed (SIGKILL) mid-reply: the checkpointed part survives ---
  const Q3 = 'third question, the server crashes';
  await sendMessage(page, Q3);
  await waitForState(page, (st) => streaming(st, Q3, 15), 'the reply to Q3 streaming');
  await server.kill();
  await waitForState(page, (st) => st.connection === 'reconnecting', 'reconnecting after the kill');
  await restart();
  await retryNow(page);
  s = await expectSameAsServer(page, [Q1, Q2, Q3], 'after the crash');
  const cut = replyTo(s, Q3);
  assert.equal(cut.status, 'interrupted');
  assert.ok(cut.text.length > 0, 'the checkpointed text survived SIGKILL');
  console.log(`after SIGKILL the reply kept ${cut.text.length} bytes: "${cut.text}"`);
  await nextFrames(page, 2);
  await shot(page, 'r05-after-kill');

  // --- 4. Reload while the assistant is replying: the reply carries on ---
  const Q4 = 'fourth question, the page reloads';
  await sendMessage(page, Q4);
  await waitForState(page, (st) => streaming(st, Q4, 10), 'the reply to Q4 streaming');
  await page.reload();
  const back = await waitForState(page, (st) => st.signed_in && st.user === 'Carol' &&
                                              st.connection === 'connected',
                                  'Carol back after the reload, without signing in');
  assert.ok(!back.widgets.name_input, 'no sign-in screen after a reload');
  s = await expectSameAsServer(page, [Q1, Q2, Q3, Q4], 'after reloading mid-reply');
  assert.equal(replyTo(s, Q4).status, 'complete', 'the reply went on while the page reloaded');

  // --- 5. Reload with an unsent message in the outbox ---
  assert.equal(await server.stop(), 0);
  await waitForState(page, (st) => st.connection === 'reconnecting' && st.reconnect_in_ms >= 3000,
                     'a long wait before the next attempt', 60000);
  const Q5 = 'unsent when the page reloaded';
  await sendMessage(page, Q5);
  await waitForState(page, (st) => own(st, Q5).length === 1 && own(st, Q5)[0].delivery === 'sending',
                     'Q5 waiting in the outbox');
  const saved = await page.evaluate(() => localStorage.getItem('parley.session.v1'));
  assert.ok(saved && saved.includes(Q5), 'the outbox is saved in the browser');
  await restart();
  await page.reload();
  s = await expectSameAsServer(page, [Q1, Q2, Q3, Q4, Q5], 'after reloading with an unsent message');
  await nextFrames(page, 3);
  await shot(page, 'r06-reload-outbox');

  assert.deepEqual(pageErrors, [], 'no uncaught page errors');
  console.log(`ok: ${s.entries.length} entries, equal to the server's history after every cut`);
} finally {
  await browser.close().catch(() => {});
  await server.kill().catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
