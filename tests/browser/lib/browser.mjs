// Headless Chromium with the flags that work on this kind of machine, and helpers that
// drive the canvas UI with real mouse and keyboard input while reading the page's
// read-only state hook (window.parley.state()).
import { chromium } from 'playwright-core';

// Playwright gives each launch a fresh temporary profile (no --user-data-dir needed).
export async function launchBrowser({ extraArgs = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.PARLEY_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-quic',
           '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
           '--window-size=1280,800', ...extraArgs],
  });
}

export function state(page) {
  return page.evaluate(() => (window.parley ? window.parley.state() : null));
}

// Polls the state until `predicate` holds; fails with the last state after the deadline.
export async function waitForState(page, predicate, what, deadlineMs = 30000) {
  const end = Date.now() + deadlineMs;
  let last = null;
  while (Date.now() < end) {
    last = await state(page).catch(() => null);
    if (last && predicate(last)) return last;
    await nextFrames(page, 1).catch(() => {});
  }
  throw new Error(`timed out waiting for ${what}; last state:\n${JSON.stringify(last, null, 2)}`);
}

// Waits for the browser to render `n` more frames (the app handles input per frame).
export function nextFrames(page, n = 2) {
  return page.evaluate((count) => new Promise((resolve) => {
    const step = (left) => (left <= 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
    step(count);
  }), n);
}

export async function clickWidget(page, name) {
  const s = await waitForState(page, (st) => st.widgets && st.widgets[name], `widget ${name}`);
  await clickAt(page, s.widgets[name]);
}

// Clicks the middle of a widget's rectangle as a mouse would, frame by frame.
export async function clickAt(page, r) {
  await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
  await nextFrames(page, 2);
  await page.mouse.down();
  await nextFrames(page, 2);
  await page.mouse.up();
  await nextFrames(page, 2);
}

// Types like a keyboard would: keys of the US layout through Playwright, other
// characters as key events carrying that character (what a non-US layout produces;
// Playwright would otherwise insert them as text, which a canvas never receives).
export async function typeText(page, text) {
  const cdp = await page.context().newCDPSession(page);
  for (const ch of text) {
    if (/^[\x20-\x7e]$/.test(ch)) {
      await page.keyboard.type(ch);
    } else {
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch });
    }
  }
  await cdp.detach();
  await nextFrames(page, 2);
}

export async function signIn(page, url, name, { navigate = true } = {}) {
  if (navigate) await page.goto(url);
  await waitForState(page, (s) => s.widgets && s.widgets.name_input, 'the sign-in screen');
  await clickWidget(page, 'name_input');
  await typeText(page, name);
  await waitForState(page, (s) => s.name_draft === name, `name draft "${name}"`);
  await page.keyboard.press('Enter');
  return waitForState(page, (s) => s.connection === 'connected' && s.user === name,
                      `${name} connected`);
}

export async function sendMessage(page, text) {
  await clickWidget(page, 'message_input');
  await typeText(page, text);
  await waitForState(page, (s) => s.draft === text, `draft "${text}"`);
  await page.keyboard.press('Enter');
  await nextFrames(page, 2);
}

// The conversation as comparable rows, in display order.
export function transcript(s) {
  return s.entries.map((e) => ({ seq: e.seq, author: e.author, kind: e.kind, text: e.text,
                                 status: e.status }));
}

// The room's history as the server stores it, read over a WebSocket of the page's own
// origin by an observer (not through the client under test). Reply ends are folded into
// their replies, so the rows compare with transcript().
export function serverTranscript(page, room = 'lobby') {
  return page.evaluate((roomName) => new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${location.host}/ws`);
    const events = [];
    const timer = setTimeout(() => reject(new Error('no history from the server')), 10000);
    const send = (m) => ws.send(JSON.stringify({ v: 1, ...m }));
    ws.onopen = () => send({ type: 'hello', name: `observer-${Math.floor(Math.random() * 1e9)}` });
    ws.onmessage = (ev) => {
      const f = JSON.parse(ev.data);
      if (f.type === 'welcome') send({ type: 'join', room: roomName, history_limit: 0 });
      if (f.type !== 'joined') return;
      if (f.resume === 'none') {  // now page through everything from the start
        send({ type: 'join', room: roomName, history_limit: 0, epoch: f.epoch, after_seq: 0 });
        return;
      }
      events.push(...f.history);
      if (f.more) {
        send({ type: 'join', room: roomName, history_limit: 0, epoch: f.epoch,
               after_seq: events[events.length - 1].seq });
        return;
      }
      clearTimeout(timer);
      ws.close();
      resolve(events.filter((e) => e.kind !== 'end' && e.kind !== 'step').map((e) => ({
        seq: e.seq, author: e.author, kind: e.kind, text: e.text, status: e.status })));
    };
    ws.onerror = () => reject(new Error('observer WebSocket failed'));
  }), room);
}
