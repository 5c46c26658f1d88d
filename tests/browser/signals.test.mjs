// Two people in two browser contexts: each sees the other online, sees them typing
// while they type, and sees their own message marked read once the other has it on
// screen.
//
//   node signals.test.mjs --server <parley-server> --web-root <dir> --screenshots <dir>
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  clickWidget, launchBrowser, nextFrames, signIn, typeText, waitForState,
} from './lib/browser.mjs';
import { testOptions } from './lib/options.mjs';
import { startServer } from './lib/server.mjs';

const opts = testOptions();
const shot = (page, name) => page.screenshot({ path: join(opts.screenshots, `${name}.png`) });

const work = mkdtempSync(join(tmpdir(), 'parley-signals-'));
const server = await startServer({ binary: opts.server, webRoot: opts['web-root'],
                                   db: join(work, 'parley.db') });
const browser = await launchBrowser();

try {
  // Dana makes an account on the sign-in screen (name, password, "Create account");
  // Eli just picks a name.
  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    return context.newPage();
  };
  const dana = await newPage();
  await dana.goto(server.url);
  await clickWidget(dana, 'name_input');
  await typeText(dana, 'Dana');
  await clickWidget(dana, 'password_input');
  await typeText(dana, 'correct horse');
  await clickWidget(dana, 'create_account_button');
  const signedIn = await waitForState(dana, (s) => s.connection === 'connected' && s.user === 'Dana',
                                      'Dana signed in to her new account');
  assert.ok(!signedIn.signing_in);
  const saved = await dana.evaluate(() => JSON.parse(localStorage.getItem('parley.session.v1')));
  assert.ok(saved.token && saved.token.split('.').length === 3, 'her token is kept for reloads');
  const eli = await newPage();
  await signIn(eli, server.url, 'Eli');

  // Someone else trying Dana's name with a wrong password is refused, and a bare-name
  // sign-in as Dana is refused too (the name belongs to an account).
  const mallory = await newPage();
  await mallory.goto(server.url);
  await clickWidget(mallory, 'name_input');
  await typeText(mallory, 'Dana');
  await clickWidget(mallory, 'password_input');
  await typeText(mallory, 'wrong password');
  await mallory.keyboard.press('Enter');
  const refused = await waitForState(mallory, (s) => !s.signing_in && s.refusal !== '',
                                     'the wrong password refused');
  assert.equal(refused.refusal, 'unknown name or wrong password');
  assert.ok(!refused.signed_in);
  await nextFrames(mallory, 2);
  await shot(mallory, 's00-wrong-password');
  await clickWidget(mallory, 'password_input');
  await mallory.keyboard.press('Control+A');
  await mallory.keyboard.press('Backspace');
  await clickWidget(mallory, 'join_button');  // just the name, no password
  const bare = await waitForState(mallory, (s) => s.error && s.error.code === 'token_missing' &&
                                                  !s.signed_in, 'the bare name refused');
  assert.match(bare.error.message, /belongs to an account/);
  await mallory.context().close();

  // Presence: each sees both online.
  await waitForState(dana, (s) => s.online.includes('Eli') && s.online.includes('Dana'),
                     'Dana sees Eli online');
  await waitForState(eli, (s) => s.online.length === 2, 'Eli sees two online');

  // Typing: Dana types without sending; Eli sees it, and it ends when she sends.
  await clickWidget(dana, 'message_input');
  await typeText(dana, 'are you there');
  await waitForState(eli, (s) => s.typing === 'Dana is typing…', 'Eli sees Dana typing');
  await nextFrames(eli, 2);
  await shot(eli, 's01-dana-typing');
  await dana.keyboard.press('Enter');
  await waitForState(eli, (s) => s.typing === '' || s.typing === 'Parley is typing…',
                     "Dana's typing ended with her message");

  // Read receipt: Eli's page shows the message, so Dana's copy becomes "read by Eli".
  const read = await waitForState(dana, (s) => s.entries.some(
    (e) => e.author === 'Dana' && e.text === 'are you there' && e.badge === 'read by Eli'),
    "Dana's message read by Eli");
  const mine = read.entries.find((e) => e.text === 'are you there');
  assert.ok(mine.seq > 0);
  await waitForState(dana, (s) => s.entries.some((e) => e.kind === 'assistant' &&
                                                        e.status === 'complete'),
                     'the reply');
  await nextFrames(dana, 2);
  await shot(dana, 's02-read-by-eli');

  // Rooms: Dana creates a group room from the sidebar; it is invisible to Eli, who was
  // not invited, even after his own room list is fetched again.
  await clickWidget(dana, 'new_room_input');
  await typeText(dana, 'plans');
  await waitForState(dana, (s) => s.new_room_draft === 'plans', 'the new room name');
  await clickWidget(dana, 'type_group');
  await clickWidget(dana, 'create_room_button');
  const inPlans = await waitForState(dana, (s) => s.room === 'plans' && s.connection === 'connected' &&
                                             s.rooms.some((r) => r.room === 'plans' && r.type === 'group') &&
                                             s.members.length > 0,
                                     'Dana in her new group room');
  assert.deepEqual(inPlans.members, ['Dana']);
  await nextFrames(dana, 2);
  await shot(dana, 's03-group-room');
  await clickWidget(eli, 'new_room_input');
  await typeText(eli, 'eli-notes');
  await clickWidget(eli, 'type_private');
  await clickWidget(eli, 'create_room_button');
  const eliRooms = await waitForState(eli, (s) => s.room === 'eli-notes' && s.connection === 'connected' &&
                                               s.rooms.some((r) => r.room === 'eli-notes'),
                                      'Eli in his private room, with a fresh room list');
  assert.ok(!eliRooms.rooms.some((r) => r.room === 'plans'), "Dana's group room is invisible to Eli");
  // Back to the lobby through the sidebar.
  await clickWidget(eli, 'room_lobby');
  await waitForState(eli, (s) => s.room === 'lobby' && s.connection === 'connected' &&
                                 s.entries.some((e) => e.text === 'are you there'),
                     'Eli back in the lobby with its history');

  // Dana manages her room from the members panel: she invites Eli (the room appears in
  // his list), makes him an admin, turns the assistant off, then removes him again.
  await clickWidget(dana, 'invite_input');
  await typeText(dana, 'Eli');
  await clickWidget(dana, 'invite_button');
  await waitForState(dana, (s) => s.members.includes('Eli'), 'Eli a member of plans');
  await waitForState(eli, (s) => s.rooms.some((r) => r.room === 'plans' && r.type === 'group'),
                     'plans in Eli\'s room list');
  await clickWidget(dana, 'member_Eli');
  await clickWidget(dana, 'member_role_item');
  await waitForState(dana, (s) => s.member_roles.Eli === 'admin', 'Eli made admin');
  await clickWidget(dana, 'assistant_off');
  await waitForState(dana, (s) => s.rooms.some((r) => r.room === 'plans' && r.assistant === 'off'),
                     'the assistant off in plans');
  await nextFrames(dana, 2);
  await shot(dana, 's04-members-panel');
  await clickWidget(dana, 'member_Eli');
  await clickWidget(dana, 'member_remove_item');
  await waitForState(dana, (s) => !s.members.includes('Eli'), 'Eli removed');
  await waitForState(eli, (s) => !s.rooms.some((r) => r.room === 'plans'),
                     'plans gone from Eli\'s list');

  // Dana, the owner, deletes her room from its header and is back in the lobby.
  await clickWidget(dana, 'delete_button');
  const afterDelete = await waitForState(dana, (s) => s.room === 'lobby' && s.connection === 'connected' &&
                                                   !s.rooms.some((r) => r.room === 'plans'),
                                         'the group room deleted');
  assert.equal(afterDelete.error, null, 'deleting her own room raises no alarm');

  // Eli leaves: Dana sees one online.
  await eli.context().close();
  await waitForState(dana, (s) => s.room === 'lobby' && s.online.length === 1 &&
                                  s.online[0] === 'Dana', 'Eli gone offline');
  console.log('ok: presence, typing and read receipts crossed between two browsers');
} finally {
  await browser.close().catch(() => {});
  await server.kill().catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
