// The pieces under the call controller, one by one: getStats summaries, the Jingle helpers for trickle
// and ICE restart (over the real translator, with real Chromium SDP), the XEP-0353 message classifier,
// and the ICE server cache.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NS, buildJmiMessage, parseJingle, sdpToJingleModel, type Jingle } from '../../schemas/index.ts';
import { summarizeStats } from '../../client/rtc/stats.ts';
import {
  candidatesOf, newCredentials, restartOffer, restartedRemoteSdp, sdpCredentials, sdpSetup, trickle,
} from '../../client/controllers/call-jingle.ts';
import { readJmi, routeJingle, type CallFacts } from '../../client/controllers/call-messages.ts';
import { IceServerSource } from '../../client/controllers/call-ice.ts';
import { FakeNetwork } from '../../client/xmpp/fake-link.ts';
import { iqRouter, StanzaError } from '../../client/xmpp/iq-router.ts';
import { elements, x } from '../../client/xmpp/xml.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../../shared/fixtures/sdp/${name}`, import.meta.url), 'utf8');

describe('summarizeStats', () => {
  it('sums RTP streams by kind and reads the selected pair', () => {
    const s = summarizeStats([
      { id: 'i1', type: 'inbound-rtp', kind: 'audio', bytesReceived: 100, packetsReceived: 10, packetsLost: 1 },
      { id: 'i2', type: 'inbound-rtp', kind: 'video', bytesReceived: 1000, packetsReceived: 20, packetsLost: -1, framesDecoded: 30 },
      { id: 'o1', type: 'outbound-rtp', kind: 'audio', bytesSent: 50, packetsSent: 5 },
      { id: 't', type: 'transport', selectedCandidatePairId: 'p', iceLocalUsernameFragment: 'abcd' },
      { id: 'p', type: 'candidate-pair', localCandidateId: 'l', remoteCandidateId: 'r', currentRoundTripTime: 0.012 },
      { id: 'l', type: 'local-candidate', candidateType: 'relay' },
      { id: 'r', type: 'remote-candidate', candidateType: 'host' },
    ], 5);
    expect(s).toMatchObject({
      at: 5, bytesReceived: 1100, packetsReceived: 30, packetsLost: 1, bytesSent: 50, rtt: 0.012,
      audio: { bytesReceived: 100, bytesSent: 50 }, video: { bytesReceived: 1000, framesDecoded: 30 },
      localCandidateType: 'relay', remoteCandidateType: 'host', iceUfrag: 'abcd',
    });
  });

  it('falls back to the nominated pair and to RTCP round trips', () => {
    const s = summarizeStats([
      { id: 'p', type: 'candidate-pair', state: 'succeeded', nominated: true, localCandidateId: 'l' },
      { id: 'l', type: 'local-candidate', candidateType: 'srflx' },
      { id: 'ri', type: 'remote-inbound-rtp', roundTripTime: 0.03 },
    ]);
    expect(s).toMatchObject({ rtt: 0.03, localCandidateType: 'srflx', bytesReceived: 0 });
  });
});

describe('Jingle helpers for trickle and ICE restart', () => {
  const offer = fixture('chromium-audio-video-offer.sdp');
  const restart = fixture('chromium-audio-video-restart-offer.sdp');
  const creds = sdpCredentials(offer);

  it('reads per-mid credentials and the DTLS role from SDP', () => {
    expect([...creds.keys()]).toEqual(['0', '1']);
    expect(creds.get('0')!.ufrag).toMatch(/^\S{4,}$/);
    expect(sdpSetup(offer)).toBe('actpass');
    expect(sdpCredentials(restart).get('0')!.ufrag).not.toBe(creds.get('0')!.ufrag);
  });

  it('trickles candidates with their ufrag and pwd, and reads them back', () => {
    const line = fixture('chromium-audio-video-offer.candidates').split('\n').find((l) => l.startsWith('candidate:'))!;
    const ufrag = creds.get('0')!.ufrag;
    const info = trickle('s1', [{ candidate: line, sdpMid: '0', usernameFragment: ufrag }], creds);
    const transport = elements(elements(info)[0]!)[0]!;
    expect(transport.attrs).toMatchObject({ ufrag, pwd: creds.get('0')!.pwd });
    const back = candidatesOf(parseJingle(info));
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ sdpMid: '0', usernameFragment: ufrag });
    expect(back[0]!.candidate.split(' ').slice(0, 8)).toEqual(line.split(' ').slice(0, 8));
    expect(newCredentials(parseJingle(info), creds).size).toBe(0);
  });

  it('offers a restart as transports with new credentials and fingerprints but no candidates', () => {
    const j = parseJingle(restartOffer('s1', restart, 'initiator'));
    expect(j.action).toBe('transport-info');
    expect(j.contents.map((c) => c.name)).toEqual(['0', '1']);
    expect(j.contents.every((c) => c.description === undefined && c.transport!.candidates.length === 0)).toBe(true);
    expect(j.contents[0]!.transport!.fingerprints[0]!.setup).toBe('actpass');
    const fresh = newCredentials(j, creds);
    expect([...fresh.values()].map((c) => c.candidates)).toEqual([0, 0]);
    expect(fresh.get('0')!.ufrag).toBe(sdpCredentials(restart).get('0')!.ufrag);
  });

  it('rebuilds the peer description with the new credentials and a DTLS role', () => {
    const remote = sdpToJingleModel(offer, { role: 'initiator', sid: 's1' });
    const fresh = new Map([['0', { ufrag: 'newU', pwd: 'newpasswordnewpassword1' }], ['1', { ufrag: 'newU', pwd: 'newpasswordnewpassword1' }]]);
    const sdp = restartedRemoteSdp(remote, fresh, 'passive', 'initiator', 3);
    expect(sdp).toContain('a=ice-ufrag:newU');
    expect(sdp).toContain('a=setup:passive');
    expect(sdp).not.toContain('a=candidate');
    expect(sdp).toMatch(/^o=\S+ \S+ 3 /m);
    expect(sdp).toContain('a=rtpmap:111 opus/48000/2');
    expect(remote.contents[0]!.transport!.ufrag).not.toBe('newU'); // the stored description is untouched
  });

  it('keeps a bundle-only m-line of the first offer (Firefox max-bundle) live, not port 0, after a restart', () => {
    // Firefox's first offer: port 0 with a=bundle-only (RFC 8843), which only an initial offer may carry.
    const firefoxLike = offer.replace(/^m=video \d+ /m, 'm=video 0 ').replace(/^(m=video[^\n]*\n)/m, '$1a=bundle-only\r\n');
    const remote = sdpToJingleModel(firefoxLike, { role: 'initiator', sid: 's1' });
    expect(remote.contents[1]!.lines).toContain('a=bundle-only');
    const fresh = new Map([['0', { ufrag: 'newU', pwd: 'newpasswordnewpassword1' }]]);
    const sdp = restartedRemoteSdp(remote, fresh, 'passive', 'initiator', 3);
    expect(sdp).not.toContain('a=bundle-only');
    expect(sdp).not.toMatch(/^m=video 0 /m);
    expect(sdp).toMatch(/^m=video 9 /m);
  });
});

describe('who may say what about a call', () => {
  const own = 'bob@localhost/web';
  const ringing: CallFacts = { sid: 's1', direction: 'incoming', peer: 'alice@localhost', peerFull: 'alice@localhost/web', state: 'ringing', sessionPeer: undefined, heldInitiate: false, early: 0 };
  const jmi = (action: 'retract' | 'accept' | 'proceed' | 'propose', from: string, to = 'bob@localhost') => {
    const m = buildJmiMessage({ action, id: 's1', media: action === 'propose' ? ['audio'] : [] }, { to, id: 'm1', receipt: action === 'propose' });
    m.attrs.from = from;
    return m;
  };

  it('takes a retract only from the proposer, an accept only from our own other device', () => {
    expect(readJmi(jmi('retract', 'alice@localhost/web'), own, ringing)).toEqual({ kind: 'retracted', text: undefined });
    expect(readJmi(jmi('retract', 'alice@localhost/phone'), own, ringing)).toBeUndefined();
    expect(readJmi(jmi('retract', 'mallory@localhost/x'), own, ringing)).toBeUndefined();
    expect(readJmi(jmi('accept', 'bob@localhost/phone'), own, ringing)).toEqual({ kind: 'elsewhere', condition: 'answered-elsewhere' });
    expect(readJmi(jmi('accept', own), own, ringing)).toBeUndefined();
    expect(readJmi(jmi('accept', 'alice@localhost/web'), own, ringing)).toBeUndefined();
    expect(readJmi(jmi('propose', 'carol@localhost/x'), own, undefined)).toMatchObject({ kind: 'propose', receiptId: 'm1' });
    expect(readJmi(jmi('propose', 'bob@localhost/phone', 'dave@localhost'), own, undefined)).toBeUndefined();
  });

  it('routes Jingle only from the session peer; anyone else gets unknown-session', () => {
    const live: CallFacts = { ...ringing, state: 'connected', sessionPeer: 'alice@localhost/web' };
    const info: Jingle = { action: 'transport-info', sid: 's1', contents: [], groups: [], info: [], lines: [] };
    expect(routeJingle(info, 'alice@localhost/web', own, live, true)).toEqual({ kind: 'session' });
    const refused = (() => {
      try {
        routeJingle(info, 'mallory@localhost/x', own, live, true);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(StanzaError);
    expect((refused as StanzaError).condition).toBe('item-not-found');
    expect((refused as StanzaError).toElement().getChild('unknown-session', NS.jingleErrors)).toBeDefined();
    const initiate: Jingle = { ...info, action: 'session-initiate', sid: 'other' };
    expect(routeJingle(initiate, 'carol@localhost/x', own, live, true)).toEqual({ kind: 'busy' });
    expect(routeJingle(initiate, 'carol@localhost/x', own, undefined, false)).toEqual({ kind: 'ring' });
    expect(routeJingle({ ...initiate, sid: 's1' }, 'alice@localhost/web', own, { ...ringing, state: 'connecting' }, true)).toEqual({ kind: 'answer' });
    expect(() => routeJingle({ ...initiate, sid: 's1' }, 'alice@localhost/phone', own, ringing, true)).toThrow(StanzaError);
  });
});

describe('IceServerSource', () => {
  it('caches the servers until the TURN credentials are about to expire', async () => {
    const net = new FakeNetwork();
    const link = net.link('alice@localhost/web');
    let asked = 0;
    let now = 1_000_000;
    iqRouter(net.link('localhost')).get(NS.extdisco, 'services', () => {
      asked++;
      return x('services', { xmlns: NS.extdisco }, x('service', {
        type: 'turns', host: 'turn.example', port: '5349', transport: 'tcp', username: 'u', password: 'p',
        expires: new Date(now + 5 * 60_000).toISOString(),
      }));
    });
    const source = new IceServerSource(link, { componentDomain: 'localhost', now: () => now });
    expect(await source.get()).toEqual([{ urls: ['turns:turn.example:5349?transport=tcp'], username: 'u', credential: 'p' }]);
    await source.get();
    expect(asked).toBe(1);
    now += 4 * 60_000 + 1; // within a minute of expiry
    await source.get();
    expect(asked).toBe(2);
  });
});
