// The chat controller next to the real call controller, as the app shell wires them
// (`call.onEnded((s) => chat.recordCall(s))`): the XEP-0353 messages the chat sees on the same link and
// the call controller's summary make one entry per call on each side, with FakeMediaSessions in place of
// WebRTC (client-call.fixture.ts).
import { describe, expect, it } from 'vitest';
import { ChatController, describeCall } from '../../client/controllers/chat.ts';
import { until, world, type User } from './client-call.fixture.ts';

const chats: ChatController[] = [];

function chatOf(u: User): ChatController {
  const chat = new ChatController(u.link, { storage: undefined });
  u.call.onEnded((summary) => chat.recordCall(summary));
  chats.push(chat);
  return chat;
}

const words = (chat: ChatController, contact: string): string[] =>
  chat.view(contact).messages.flatMap((m) => (m.call ? [describeCall(m.call)] : []));

describe('calls in the chat, wired to the call controller', () => {
  it('a retracted call: one "no answer" entry for the caller, one missed call on each of the callee\'s devices', async () => {
    const w = world();
    const [alice, bob, bob2] = [chatOf(w.alice), chatOf(w.bob), chatOf(w.bob2)];
    try {
      await w.alice.call.call('bob@localhost', { audio: true, video: true });
      await until('bob rings', () => w.bob.call.state === 'ringing' && w.bob2.call.state === 'ringing');
      expect(words(bob, 'alice@localhost')).toEqual(['Incoming video call, ringing']);
      w.alice.call.hangUp();
      await until('bob ended', () => w.bob.call.state === 'ended' && w.bob2.call.state === 'ended');
      expect(words(alice, 'bob@localhost')).toEqual(['Outgoing video call, no answer']);
      expect(words(bob, 'alice@localhost')).toEqual(['Missed video call']);
      expect(words(bob2, 'alice@localhost')).toEqual(['Missed video call']);
      expect(bob.missedCalls.map((m) => m.contact)).toEqual(['alice@localhost']);
    } finally {
      for (const c of chats.splice(0)) c.stop();
    }
  });

  it('an answered call: its duration on both sides; the other device of the callee shows it answered elsewhere', async () => {
    const w = world();
    const [alice, bob, bob2] = [chatOf(w.alice), chatOf(w.bob), chatOf(w.bob2)];
    try {
      await w.alice.call.call('bob@localhost', { audio: true, video: false });
      await until('bob rings', () => w.bob.call.state === 'ringing');
      w.bob.call.accept();
      await until('connected', () => w.alice.call.state === 'connected' && w.bob.call.state === 'connected');
      w.alice.call.hangUp();
      await until('bob ended', () => w.bob.call.state === 'ended');
      expect(words(alice, 'bob@localhost')).toEqual([expect.stringMatching(/^Outgoing call, 0:0\d$/)]);
      expect(words(bob, 'alice@localhost')).toEqual([expect.stringMatching(/^Incoming call, 0:0\d$/)]);
      expect(words(bob2, 'alice@localhost')).toEqual(['Incoming call, answered on another device']);
      expect([alice, bob, bob2].map((c) => c.missedCalls.length)).toEqual([0, 0, 0]);
    } finally {
      for (const c of chats.splice(0)) c.stop();
    }
  });
});
