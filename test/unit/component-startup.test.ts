// Issue 12 item 10: "stops at start-up when the server refuses its secret" timed out under load. The
// component's start must settle whatever order the socket's events come in. These fake component
// ports (XEP-0114) reproduce the orders deterministically.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnection, type Connection } from '../../component/connection.ts';
import { createLogger } from '../../component/logger.ts';
import { Writable } from 'node:stream';

type Script = (socket: Socket, received: string) => void;

const HEADER = "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' id='s1' from='jingle.localhost'>";
const NOT_AUTHORIZED = "<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";

let server: Server | undefined;
let conn: Connection | undefined;
let connections = 0;
afterEach(async () => {
  await conn?.stop();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  conn = undefined;
});

/** A fake component port: answers our stream header with its own, then runs `script` on each later chunk. */
async function fakeServer(script: Script): Promise<number> {
  connections = 0;
  server = createServer((socket) => {
    connections++;
    let opened = false;
    socket.on('error', () => undefined);
    socket.on('data', (d) => {
      if (!opened) {
        opened = true;
        socket.write(HEADER);
        script(socket, 'header');
        return;
      }
      script(socket, d.toString());
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

function connect(port: number): Connection {
  const sink = new Writable({ write: (_c, _e, done) => done() });
  conn = createConnection({
    service: `xmpp://127.0.0.1:${port}`, domain: 'jingle.localhost', secret: 'wrong', log: createLogger('debug', sink),
    backoff: { initialMs: 20, maxMs: 40 }, attemptTimeoutMs: 2000,
  });
  return conn;
}

/** What start() settled with within `ms`, or 'pending'. */
async function settled(p: Promise<void>, ms = 3000): Promise<string> {
  return Promise.race([
    p.then(() => 'online', (e: Error) => e.name),
    new Promise<string>((resolve) => setTimeout(() => resolve('pending'), ms).unref()),
  ]);
}

describe('component start-up always settles', () => {
  it('a refusal followed by a reset (the socket error comes after the stream error) is still HandshakeRefused', async () => {
    const port = await fakeServer((socket, what) => {
      if (what.includes('<handshake')) {
        socket.write(NOT_AUTHORIZED);
        // A reset, not a FIN: the client sees ECONNRESET after it has read the stream error.
        setTimeout(() => socket.resetAndDestroy(), 5);
      }
    });
    expect(await settled(connect(port).start())).toBe('HandshakeRefused');
    expect(connections).toBe(1);
  });

  it('a refusal then a clean close is HandshakeRefused', async () => {
    const port = await fakeServer((socket, what) => {
      if (what.includes('<handshake')) socket.end(`${NOT_AUTHORIZED}</stream:stream>`);
    });
    expect(await settled(connect(port).start())).toBe('HandshakeRefused');
  });

  it('a server that closes right after its stream header, without answering the handshake: ClosedBeforeReady', async () => {
    const port = await fakeServer((socket, what) => {
      if (what === 'header') socket.destroy();
    });
    expect(await settled(connect(port).start())).toBe('ClosedBeforeReady');
  });

  it('a server that resets right after its stream header: ClosedBeforeReady', async () => {
    const port = await fakeServer((socket, what) => {
      if (what === 'header') setTimeout(() => socket.resetAndDestroy(), 5);
    });
    expect(await settled(connect(port).start())).toBe('ClosedBeforeReady');
  });

  it('a server that is away at first is retried until it is there (as README says)', async () => {
    const port = await fakeServer((socket, what) => {
      if (what.includes('<handshake')) socket.write('<handshake/>');
    });
    await new Promise((resolve) => server!.close(resolve));
    const c = connect(port);
    const started = c.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await settled(started, 10)).toBe('pending');
    server = createServer((socket) => {
      let opened = false;
      socket.on('data', (d) => {
        if (!opened) {
          opened = true;
          socket.write(HEADER);
        } else if (d.toString().includes('<handshake')) socket.write('<handshake/>');
      });
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    expect(await settled(started)).toBe('online');
  });

  it('a stanza or online listener that throws is logged; the connection and the process go on', async () => {
    const port = await fakeServer((socket, what) => {
      if (what.includes('<handshake')) socket.write("<handshake/><message from='a@localhost/r' to='jingle.localhost'><body>1</body></message>");
    });
    const c = connect(port);
    let seen = 0;
    c.onOnline(() => { throw new Error('online listener bug'); });
    c.onStanza(() => {
      seen++;
      throw new Error('stanza listener bug');
    });
    expect(await settled(c.start())).toBe('online');
    await expect.poll(() => seen).toBe(1);
    expect(c.online).toBe(true);
  });
});
