// Documents, sources and versions in the browser: a file uploaded through the browser's
// own file picker becomes a document of the room; a question about it streams an answer
// with the document listed as its source, and selecting the source shows the passage;
// the reply is regenerated and both versions can be switched between; a question is
// edited and resent, and the edit is shown in place of the first version.
//
//   node documents.test.mjs --server <parley-server> --web-root <dir> --screenshots <dir>
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  clickWidget, launchBrowser, nextFrames, sendMessage, signIn, typeText, waitForState,
} from './lib/browser.mjs';
import { testOptions } from './lib/options.mjs';
import { shutDown, startServer } from './lib/server.mjs';

const opts = testOptions();
const shot = (page, name) => page.screenshot({ path: join(opts.screenshots, `${name}.png`) });

const HANDBOOK = [
  '# Field handbook', '',
  ...Array.from({ length: 30 }, (_, i) => `Routine note ${i}: filler about storage shelf ${i}.`), '',
  '## Launch', '',
  'The Zephyr project launches on 14 March from hangar nine, with Dana Okafor leading the crew.', '',
  ...Array.from({ length: 20 }, (_, i) => `Appendix line ${i}: more filler text.`),
].join('\n');

const visible = (s) => s.entries.filter((e) => !e.hidden);

const work = mkdtempSync(join(tmpdir(), 'parley-documents-'));
const server = await startServer({ binary: opts.server, webRoot: opts['web-root'],
                                   db: join(work, 'parley.db'), assistantDelayMs: 60 });
const browser = await launchBrowser();

try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  await signIn(page, server.url, 'Dana');

  // The Upload button opens the browser's file picker; the chosen file uploads.
  const chooser = page.waitForEvent('filechooser');
  await clickWidget(page, 'upload_button');
  await (await chooser).setFiles({ name: 'handbook.md', mimeType: 'text/markdown',
                                   buffer: Buffer.from(HANDBOOK) });
  let s = await waitForState(page, (st) => st.documents.some(
    (d) => d.name === 'handbook.md' && d.state === 'ready'), 'the document ready');
  assert.ok(s.documents[0].passages >= 2, JSON.stringify(s.documents));
  assert.deepEqual(s.uploads.map((u) => [u.file_name, u.state, u.percent]), [['handbook.md', 'done', 100]]);
  await nextFrames(page, 2);
  await shot(page, 'd00-document-ready');

  // A question about it: the source is listed while the answer streams.
  await sendMessage(page, 'When does the Zephyr project launch?');
  s = await waitForState(page, (st) => st.entries.some((e) => e.kind === 'assistant' &&
    e.status === 'streaming' && e.sources.length > 0), 'the answer streaming with its source');
  const streaming = s.entries.find((e) => e.kind === 'assistant');
  assert.equal(streaming.sources[0].document, 'handbook.md');
  await nextFrames(page, 2);
  await shot(page, 'd01-answer-streaming');
  s = await waitForState(page, (st) => st.entries.some((e) => e.kind === 'assistant' &&
    e.status === 'complete'), 'the answer');
  const answer = s.entries.find((e) => e.kind === 'assistant');
  assert.match(answer.text, /hangar nine/);
  assert.ok(answer.steps.some((st) => st.label === 'search_documents'), JSON.stringify(answer.steps));
  assert.match(answer.sources[0].location, /^lines \d+–\d+$/);

  // Selecting the source shows its passage.
  await clickWidget(page, `sources_${answer.seq}`);
  await clickWidget(page, 'source_0');
  s = await waitForState(page, (st) => st.widgets.source_passage, 'the passage shown');
  await nextFrames(page, 2);
  await shot(page, 'd02-source-passage');
  // A click outside the list closes it.
  await clickWidget(page, 'message_input');
  await waitForState(page, (st) => !st.widgets.source_passage, 'the sources list closed');

  // Regenerate: a second version replaces the first on screen; the switcher goes back.
  await clickWidget(page, `regenerate_${answer.seq}`);
  s = await waitForState(page, (st) => st.entries.filter((e) => e.kind === 'assistant' &&
    e.status === 'complete').length === 2, 'the second version');
  const versions = s.entries.filter((e) => e.kind === 'assistant');
  assert.deepEqual(versions.map((e) => [e.version, e.versions, e.hidden]), [[1, 2, true], [2, 2, false]]);
  assert.equal(versions[1].ref, answer.ref, 'both answer the same question');
  await nextFrames(page, 2);
  await shot(page, 'd03-version-2-of-2');
  await clickWidget(page, `version_prev_${versions[1].seq}`);
  s = await waitForState(page, (st) => !st.entries.find((e) => e.seq === answer.seq).hidden,
                         'version 1 shown again');
  assert.equal(s.entries.find((e) => e.seq === versions[1].seq).hidden, true);

  // Edit the question and resend it: the edit shows instead of the first version.
  const question = s.entries.find((e) => e.kind === 'user');
  await clickWidget(page, `edit_${question.seq}`);
  await waitForState(page, (st) => st.editing_seq === question.seq &&
    st.draft === 'When does the Zephyr project launch?', 'editing the question');
  await page.keyboard.press('Control+A');
  await typeText(page, 'Who leads the Zephyr crew?');
  await waitForState(page, (st) => st.draft === 'Who leads the Zephyr crew?', 'the edited draft');
  await page.keyboard.press('Enter');
  s = await waitForState(page, (st) => st.entries.some((e) => e.kind === 'assistant' &&
    e.ref !== question.seq && e.ref !== 0 && e.status === 'complete'), 'the answer to the edit');
  const edit = s.entries.find((e) => e.kind === 'user' && e.ref === question.seq);
  assert.ok(edit, 'the edit names the first version');
  assert.deepEqual([edit.version, edit.versions, edit.hidden], [2, 2, false]);
  assert.equal(s.entries.find((e) => e.seq === question.seq).hidden, true);
  assert.deepEqual(visible(s).filter((e) => e.kind !== 'end').map((e) => e.kind), ['user', 'assistant'],
                   'the edit and its answer only');
  assert.match(visible(s).find((e) => e.kind === 'assistant').text, /Dana Okafor/);
  await nextFrames(page, 2);
  await shot(page, 'd04-edited-question');

  // After a reload the versions are all there, the newest shown.
  await page.reload();
  s = await waitForState(page, (st) => st.connection === 'connected' && st.documents.length === 1 &&
    st.entries.filter((e) => e.kind === 'assistant').length === 3, 'the room after a reload');
  assert.deepEqual(visible(s).map((e) => e.seq), [edit.seq, visible(s)[1].seq]);

  // A component: a reminder asked for without a time brings a form; filling in the
  // missing field and submitting sets it, and it is announced when due.
  await sendMessage(page, 'Remind us to check the hangar doors');
  s = await waitForState(page, (st) => st.component && st.component.type === 'form', 'the form');
  assert.deepEqual(s.component.fields, { text: 'check the hangar doors', when: '', note: '' });
  await nextFrames(page, 2);
  await shot(page, 'd05-reminder-form');
  await clickWidget(page, 'component_submit');  // "When" is required and empty
  s = await waitForState(page, (st) => st.refusal.startsWith('fill in'), 'the missing field named');
  await clickWidget(page, 'component_field_when');
  await typeText(page, 'in 2 seconds');
  await waitForState(page, (st) => st.component.fields.when === 'in 2 seconds', 'the time typed');
  await clickWidget(page, 'component_submit');
  s = await waitForState(page, (st) => st.component && st.component.type === 'buttons',
                         'the reminder set, with its cancel button');
  await nextFrames(page, 2);
  await shot(page, 'd06-reminder-set');
  s = await waitForState(page, (st) => st.entries.some((e) => e.text.startsWith('\u23f0 Reminder') &&
    e.text.includes('check the hangar doors')), 'the reminder announced');

  // Per-message options: at most 3 tokens for the next answer.
  await clickWidget(page, 'options_button');
  await waitForState(page, (st) => st.options_open, 'the options panel');
  await clickWidget(page, 'option_max_tokens');
  await typeText(page, '3');
  await waitForState(page, (st) => st.options.max_tokens === '3', 'max tokens typed');
  const before = s.entries.filter((e) => e.kind === 'assistant').length;
  await sendMessage(page, 'Tell me everything about this room');
  s = await waitForState(page, (st) => st.entries.filter((e) => e.kind === 'assistant' &&
    e.status === 'complete').length > before && st.entries[st.entries.length - 1].badge.startsWith('3 tokens'),
    'a three-token answer');
  await nextFrames(page, 2);
  await shot(page, 'd07-options');
  await context.close();
} finally {
  await shutDown(browser, server, work);
}
console.log('documents: ok');
