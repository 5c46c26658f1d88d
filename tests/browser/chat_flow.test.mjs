// End to end: two users in headless Chromium chat through a real parley-server, the
// assistant answers, and the conversation survives a server restart.
//
//   node chat_flow.test.mjs --server <parley-server> --web-root <dir> --screenshots <dir>
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  clickAt, clickWidget, launchBrowser, nextFrames, sendMessage, signIn, state, transcript, typeText,
  waitForState,
} from './lib/browser.mjs';
import { testOptions } from './lib/options.mjs';
import { startServer } from './lib/server.mjs';

const opts = testOptions();
const shot = (page, name) => page.screenshot({ path: join(opts.screenshots, `${name}.png`) });

const GREETING = 'héllo Привет';
const PASTED = 'Grüße Ελλάδα';

const work = mkdtempSync(join(tmpdir(), 'parley-browser-'));
const db = join(work, 'parley.db');
let server = await startServer({ binary: opts.server, webRoot: opts['web-root'], db });
const browser = await launchBrowser();

// `author`'s stored message `text` and the complete assistant reply after it. The
// message's own client must also show it delivered.
function ownAndReply(s, author, text) {
  const mine = s.entries.find((e) => e.author === author && e.text === text);
  if (!mine || mine.seq === 0) return null;
  if (s.user === author && mine.delivery !== 'sent') return null;
  const reply = s.entries.find((e) => e.kind === 'assistant' && e.seq > mine.seq);
  if (!reply || reply.status !== 'complete' || reply.text.length === 0) return null;
  return { mine, reply };
}

try {
  // --- Alice signs in, writes with non-ASCII text, the assistant replies ---
  const alice = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const pageA = await alice.newPage();
  const pageErrors = [];
  pageA.on('pageerror', (e) => pageErrors.push(String(e)));
  await pageA.goto(server.url);
  await waitForState(pageA, (s) => s.widgets && s.widgets.name_input, 'the sign-in screen');
  await shot(pageA, '01-sign-in');

  // The assistant's name is reserved: the server refuses it and the client says why.
  await clickWidget(pageA, 'name_input');
  await typeText(pageA, 'Parley');
  await pageA.keyboard.press('Enter');
  const refused = await waitForState(pageA, (s) => s.error && s.error.code === 'invalid_name' &&
                                                   !s.signed_in && s.widgets.name_input,
                                     'the reserved name refused');
  assert.equal(refused.connection, 'disconnected');
  await nextFrames(pageA, 2);
  await shot(pageA, '01b-name-refused');
  await pageA.keyboard.press('Control+A');
  await pageA.keyboard.press('Backspace');
  await waitForState(pageA, (s) => s.name_draft === '', 'the name field cleared');

  await signIn(pageA, server.url, 'Alice', { navigate: false });
  await sendMessage(pageA, GREETING);
  const afterReply = await waitForState(pageA, (s) => ownAndReply(s, 'Alice', GREETING) !== null,
                                        "Alice's message and the complete reply");
  const { mine, reply } = ownAndReply(afterReply, 'Alice', GREETING);
  assert.equal(afterReply.entries.filter((e) => e.text === GREETING).length, 1,
               'own message shown once');
  assert.equal(afterReply.draft, '', 'the message field is cleared after sending');
  console.log(`alice: message at seq ${mine.seq}, reply at seq ${reply.seq}: ${reply.text}`);
  await nextFrames(pageA, 3);
  await shot(pageA, '02-alice-reply');

  // --- Bob, in a second browser context, sees the same conversation in the same order ---
  // A high-DPI screen: the UI renders at device resolution and must still be hit by clicks.
  const bob = await browser.newContext({ viewport: { width: 1000, height: 700 }, deviceScaleFactor: 2 });
  await bob.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const pageB = await bob.newPage();
  pageB.on('pageerror', (e) => pageErrors.push(String(e)));
  await signIn(pageB, server.url, 'Bob');
  const aliceView = transcript(await state(pageA));
  const bobState = await waitForState(
    pageB, (s) => JSON.stringify(transcript(s)) === JSON.stringify(aliceView),
    "Bob's transcript equal to Alice's");
  const seqs = bobState.entries.map((e) => e.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'ascending seq');
  await shot(pageB, '03-bob-joined');

  // --- Paste: clipboard text goes into the focused message field ---
  await clickWidget(pageB, 'message_input');
  await pageB.evaluate((t) => navigator.clipboard.writeText(t), PASTED);
  await pageB.keyboard.press('Control+V');
  let pasted = await waitForState(pageB, (s) => s.draft === PASTED, 'pasted draft', 3000)
    .catch(() => null);
  if (!pasted) {
    // Headless Chromium may not run the paste command for Ctrl+V: deliver the same
    // 'paste' event the browser would.
    console.log('paste: Ctrl+V produced no paste event here; dispatching a ClipboardEvent');
    await pageB.evaluate((t) => {
      const data = new DataTransfer();
      data.setData('text/plain', t);
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    }, PASTED);
    pasted = await waitForState(pageB, (s) => s.draft === PASTED, 'pasted draft');
  }
  await pageB.keyboard.press('Enter');
  await waitForState(pageA, (s) => ownAndReply(s, 'Bob', PASTED) !== null,
                     "Bob's pasted message and its reply, seen by Alice");
  await nextFrames(pageB, 3);
  await shot(pageB, '04-bob-pasted');

  // --- The server restarts on the same port with the same database ---
  const before = transcript(await state(pageA));
  const port = server.port;
  assert.equal(await server.stop(), 0, 'server exits cleanly on SIGTERM');
  // Bob's client keeps trying with growing delays and offers "Retry now".
  // A wait of a few seconds leaves time to restart the server and press "Retry now".
  await waitForState(pageB, (s) => s.connection === 'reconnecting' && s.reconnect_in_ms >= 3000,
                     'Bob waiting to reconnect', 60000);
  await nextFrames(pageB, 2);
  await shot(pageB, '05-bob-reconnecting');
  server = await startServer({ binary: opts.server, webRoot: opts['web-root'], db, port });
  // The button may go away on its own (the delay ran out and the client reconnected)
  // between reading the state and clicking: click where it is, or was, without waiting.
  const waiting = await state(pageB);
  if (waiting.widgets.retry_button) {
    await clickAt(pageB, waiting.widgets.retry_button);
  } else {
    console.log(`retry: the client was already ${waiting.connection}, nothing to click`);
  }
  await waitForState(pageB, (s) => s.connection === 'connected', 'Bob reconnected');
  assert.deepEqual(transcript(await state(pageB)), before, "Bob's transcript after reconnecting");

  // Alice reloads: the page keeps her session (no sign-in again) and both messages and
  // their replies are still there.
  await pageA.reload();
  await waitForState(pageA, (s) => s.signed_in && s.user === 'Alice' &&
                                   s.connection === 'connected', 'Alice back without signing in');
  const restored = await waitForState(
    pageA, (s) => ownAndReply(s, 'Alice', GREETING) && ownAndReply(s, 'Bob', PASTED),
    'both messages after restart');
  assert.deepEqual(transcript(restored), before, 'history unchanged by the restart');
  await nextFrames(pageA, 3);
  await shot(pageA, '06-alice-after-restart');

  assert.deepEqual(pageErrors, [], 'no uncaught page errors');
  console.log(`ok: ${restored.entries.length} entries survived the restart`);
} finally {
  await browser.close().catch(() => {});
  await server.stop().catch(() => server.kill());
  rmSync(work, { recursive: true, force: true });
}
