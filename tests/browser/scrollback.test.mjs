// Scroll-back in a long room: someone joins a shared room holding 3,000 messages by
// name, sees the newest ones, and scrolls up with the mouse wheel. Older pages load as
// the view nears the top, the messages on screen stay in place when a page goes in
// above them, and at the top the client holds every message once, in order.
//
//   node scrollback.test.mjs --server <parley-server> --web-root <dir> --screenshots <dir>
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  clickWidget, launchBrowser, nextFrames, signIn, state, typeText, waitForState,
} from './lib/browser.mjs';
import { testOptions } from './lib/options.mjs';
import { shutDown, startServer } from './lib/server.mjs';

const opts = testOptions();

// The part of the state the scrolling loop reads: handing all 3,000 entries from the page
// to the test on every step would cost more than the scrolling it checks.
const scrollState = (page) => page.evaluate(() => {
  const st = window.parley.state();
  return { floor: st.floor, has_older: st.has_older, loading_older: st.loading_older, view: st.view };
});
const shot = (page, name) => page.screenshot({ path: join(opts.screenshots, `${name}.png`) });
const COUNT = 3000;

const work = mkdtempSync(join(tmpdir(), 'parley-scrollback-'));
const server = await startServer({ binary: opts.server, webRoot: opts['web-root'],
                                   db: join(work, 'parley.db'),
                                   extraArgs: ['--rate-frames', '0', '--rate-bytes', '0'] });
const browser = await launchBrowser();

try {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  await page.goto(server.url);

  // Another user fills the room "archive" (assistant off) over a WebSocket of its own.
  const seeded = await page.evaluate((count) => new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${location.host}/ws`);
    const send = (m) => ws.send(JSON.stringify({ v: 1, ...m }));
    let acked = 0;
    const timer = setTimeout(() => reject(new Error(`only ${acked} of ${count} stored`)), 60000);
    ws.onopen = () => send({ type: 'hello', name: 'archivist' });
    ws.onmessage = (ev) => {
      const f = JSON.parse(ev.data);
      if (f.type === 'error') { clearTimeout(timer); reject(new Error(JSON.stringify(f))); }
      if (f.type === 'welcome') send({ type: 'create_room', room: 'archive', room_type: 'shared', assistant: 'off' });
      if (f.type === 'room') send({ type: 'join', room: 'archive', history_limit: 0 });
      if (f.type === 'joined') {
        for (let i = 1; i <= count; i++) {
          // Every seventh message spans several lines, so rows differ in height.
          const text = i % 7 === 0 ? `entry ${i}\nsecond line of ${i}\nthird line` : `entry ${i}`;
          send({ type: 'send', room: 'archive', client_id: `a-${i}`, text });
        }
      }
      if (f.type === 'ack' && ++acked === count) { clearTimeout(timer); ws.close(); resolve(acked); }
    };
  }), COUNT);
  assert.equal(seeded, COUNT);

  // Bea signs in and joins the room by typing its name and pressing Join.
  await signIn(page, server.url, 'Bea', { navigate: false });
  await clickWidget(page, 'new_room_input');
  await typeText(page, 'archive');
  await clickWidget(page, 'join_room_button');
  let s = await waitForState(page, (st) => st.room === 'archive' && st.connection === 'connected' &&
                                           st.entries.length > 0 && st.view.last_seq === COUNT,
                             'the newest messages of archive on screen');
  assert.equal(s.entries[s.entries.length - 1].text, `entry ${COUNT}`);
  assert.ok(s.floor > COUNT - 200, `only recent history at first (floor ${s.floor})`);
  assert.ok(s.has_older);
  await nextFrames(page, 2);
  await shot(page, 'b00-archive-newest');

  // Scroll up with the wheel over the transcript until the first message is reached.
  const box = s.widgets.message_input;
  const over = { x: box.x + box.w / 2, y: box.y - 200 };
  await page.mouse.move(over.x, over.y);
  let pages = 0;
  let kept = 0;
  const started = Date.now();
  let progressed = Date.now();  // when the last page went in (a slow machine is not stuck)
  while (s.has_older || s.view.first_seq !== 1) {
    assert.ok(Date.now() - progressed < 60000, `stuck scrolling back; last state floor ${s.floor}`);
    const floor = s.floor;
    await page.mouse.wheel(0, -3000);  // 30 notches
    await nextFrames(page, 2);
    s = await scrollState(page);
    if (process.env.PARLEY_DEBUG) console.log(JSON.stringify(s.view), s.floor, s.loading_older);
    if (s.floor === floor && s.view.first_seq !== 1) continue;
    progressed = Date.now();
    if (s.floor === floor) continue;
    // A page of 200 went in above. Had the view stayed at the same distance from the
    // top it would now show the page's first messages; it moved down with them instead
    // and still shows what the wheel brought it to (at most 30 notches above).
    ++pages;
    if (s.view.first_seq > s.floor + 100) ++kept;
    else console.log(`page ${pages}: the view jumped to seq ${s.view.first_seq} (floor ${s.floor})`);
    if (pages === 3) await shot(page, 'b01-archive-scrolling-back');
  }
  console.log(`scrolled back through ${COUNT} messages in ${pages} pages (${Date.now() - started} ms)`);
  assert.ok(pages >= 14, `pages of at most 200 (${pages})`);
  assert.ok(kept >= pages - 1, `the view stayed in place as pages went in above (${kept} of ${pages})`);

  // Everything once, in order, and the top of the room is on screen.
  s = await state(page);
  assert.equal(s.entries.length, COUNT);
  s.entries.forEach((e, i) => assert.equal(e.seq, i + 1, `seq at ${i}`));
  assert.equal(s.entries[0].text, 'entry 1');
  assert.equal(s.entries[6].text, 'entry 7\nsecond line of 7\nthird line');
  assert.equal(s.view.first_seq, 1);
  assert.equal(s.floor, 1);
  await shot(page, 'b02-archive-start');

  // Someone else's message while Bea reads the start lands at the end without moving
  // her view; her own message takes her to the newest.
  const top = s.view.first_seq;
  const late = await page.evaluate(() => new Promise((resolve) => {
    const ws = new WebSocket(`ws://${location.host}/ws`);
    const send = (m) => ws.send(JSON.stringify({ v: 1, ...m }));
    ws.onopen = () => send({ type: 'hello', name: 'archivist' });
    ws.onmessage = (ev) => {
      const f = JSON.parse(ev.data);
      if (f.type === 'welcome') send({ type: 'join', room: 'archive', history_limit: 0 });
      if (f.type === 'joined') send({ type: 'send', room: 'archive', client_id: 'late-1', text: 'one more' });
      if (f.type === 'ack' || f.type === 'error') { ws.close(); resolve(f); }
    };
  }));
  assert.equal(late.type, 'ack', JSON.stringify(late));
  s = await waitForState(page, (st) => st.entries.length === COUNT + 1, 'the new message');
  await nextFrames(page, 3);
  s = await state(page);
  assert.equal(s.entries[COUNT].text, 'one more');
  assert.equal(s.view.first_seq, top, 'still looking at the start of the room');
  await clickWidget(page, 'message_input');
  await typeText(page, 'back at the end');
  await page.keyboard.press('Enter');
  s = await waitForState(page, (st) => st.entries.length === COUNT + 2 &&
                                       st.entries[COUNT + 1].delivery === 'sent' &&
                                       st.view.last_seq === COUNT + 2, 'her message on screen');
  await nextFrames(page, 2);
  await shot(page, 'b03-archive-own-message');
  await context.close();
} finally {
  await shutDown(browser, server, work);
}
console.log('scrollback: ok');
