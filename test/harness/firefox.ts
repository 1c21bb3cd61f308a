// Real headless Firefox (Debian's /usr/bin/firefox-esr) driven by puppeteer-core over WebDriver BiDi,
// for e2e tests. No browser is ever downloaded: puppeteer-core only starts the one given here.
//
//   const ff = await launchFirefox();             // in beforeAll; ff.baseUrl serves a blank page
//   const page = await ff.newPage(url);           // a page in a user context of its own (own storage)
//   await ff.close();                             // in afterAll: the browser and every child process gone
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';

export const FIREFOX_PATH = '/usr/bin/firefox-esr';

/**
 * Fake camera and microphone without a prompt; ICE over loopback with real host addresses (the only
 * network here is loopback, and obfuscated host candidates would be mDNS names nobody resolves).
 */
export const FIREFOX_PREFS: Readonly<Record<string, unknown>> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'permissions.default.camera': 1,
  'permissions.default.microphone': 1,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // Quiet and quick: no first-run pages, updates or telemetry pings to wait for.
  'browser.shell.checkDefaultBrowser': false,
  'app.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
};

export interface FirefoxBrowser {
  browser: Browser;
  /** e.g. `http://localhost:41234/`: a blank page, a secure context (getUserMedia, RTCPeerConnection). */
  baseUrl: string;
  /** The first page, at baseUrl. */
  page: Page;
  /**
   * A new page in a user context of its own, at `url` (default baseUrl); closed with the browser.
   * `before` runs before the page loads (to listen to its console from the start).
   */
  newPage(url?: string, before?: (page: Page) => void): Promise<Page>;
  /** The PIDs of this browser's processes now (see processTree). */
  processes(): number[];
  /**
   * Closes every page and the browser, waits until none of its processes is left (those still there
   * after 10 s are killed, by PID), stops the server. Safe to call twice.
   */
  close(): Promise<void>;
}

const BLANK_PAGE = '<!doctype html><meta charset="utf-8"><title>jingle-gateway firefox test</title>';

function startBlankServer(): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(req.url === '/' ? BLANK_PAGE : 'not found');
  });
  // Loopback only (SERVERS.md). Port 0 = a free port.
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

/** Resolves when the process has exited, or after `ms`; false if it was still running then. */
function exited(pid: number, ms: number): Promise<boolean> {
  return new Promise((ok) => {
    const until = Date.now() + ms;
    const check = (): void => {
      if (!alive(pid)) return ok(true);
      if (Date.now() > until) return ok(false);
      setTimeout(check, 50);
    };
    check();
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function launchFirefox(): Promise<FirefoxBrowser> {
  const server = await startBlankServer();
  const baseUrl = `http://localhost:${(server.address() as AddressInfo).port}/`;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      const pid = browser?.process()?.pid;
      const tree = pid === undefined ? [] : processTree(pid);
      try {
        for (const c of contexts) await c.close().catch(() => undefined);
        await browser?.close().catch(() => undefined);
        for (const p of tree) {
          if (await exited(p, 10_000)) continue;
          try { process.kill(p, 'SIGKILL'); } catch { /* gone meanwhile */ }
          await exited(p, 5_000);
        }
      } finally {
        server.closeAllConnections();
        await new Promise<void>((ok) => server.close(() => ok()));
      }
    })();
    return closed;
  };
  try {
    const b = await puppeteer.launch({
      browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, extraPrefsFirefox: { ...FIREFOX_PREFS },
    });
    browser = b;
    const [first] = await b.pages();
    const page = first ?? await b.newPage();
    await page.goto(baseUrl);
    const newPage = async (url = baseUrl, before?: (page: Page) => void): Promise<Page> => {
      const context = await b.createBrowserContext();
      contexts.push(context);
      const p = await context.newPage();
      before?.(p);
      await p.goto(url);
      return p;
    };
    const processes = (): number[] => (b.process()?.pid === undefined ? [] : processTree(b.process()?.pid as number));
    return { browser: b, baseUrl, page, newPage, processes, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The PIDs of one Firefox's processes: the one started (`root`), its descendants (the real main
 * process and the content processes), and its crash helper, which detaches from the tree at once but
 * names `root` in its arguments. Others' browsers on the machine are not counted.
 */
export function processTree(root: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n').map((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return m ? { pid: Number(m[1]), ppid: Number(m[2]), args: m[3] ?? '' } : undefined;
  }).filter((r) => r !== undefined);
  const tree = new Set<number>([root]);
  for (const r of rows) if (new RegExp(`/crashhelper ${root} `).test(r.args)) tree.add(r.pid);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows) if (tree.has(r.ppid) && !tree.has(r.pid)) { tree.add(r.pid); grew = true; }
  }
  return [...tree].filter(alive);
}

export type Acceptance = { ok: true } | { ok: false; error: string };

interface AcceptArgs { sdp: string; type: 'offer' | 'answer'; offer: string | null }

/**
 * Does Firefox take `sdp` as its remote description, and answer it? In `page`, with fresh peer
 * connections. An offer is set, then answered (createAnswer + setLocalDescription). An answer needs a
 * pc1 whose local offer it answers; Firefox refuses a local description it did not write, so pc1 takes
 * `offer` as a remote offer, answers it, then makes its own re-offer, which keeps the offer's mids,
 * payload types and header-extension ids, and restarts ICE; the answer is then set against that.
 */
export function firefoxAccepts(page: Page, sdp: string, type: 'offer' | 'answer', offer?: string): Promise<Acceptance> {
  const args: AcceptArgs = { sdp, type, offer: offer ?? null };
  // Runs in the browser: self-contained.
  return page.evaluate(async ({ sdp, type, offer }: AcceptArgs): Promise<Acceptance> => {
    // An answerer echoes only header extensions that were offered (RFC 8285), and Firefox refuses any
    // other. A Chromium answer to a Chromium offer holds some Firefox never offers (abs-send-time on
    // audio); answering Firefox, Chromium would have left them out, so they go here too, by URI per m-line.
    const offeredExtensionsOnly = (answer: string, localOffer: string): string => {
      const offered = localOffer.split(/\r?\nm=/).slice(1).map((m) => new Set([...m.matchAll(/^a=extmap:\S+ (\S+)/gm)].map((x) => x[1])));
      const [head = '', ...media] = answer.split(/\r?\nm=/);
      const eol = answer.includes('\r\n') ? '\r\n' : '\n';
      return [head, ...media.map((m, i) => m.split(/\r?\n/).filter((line) => {
        const uri = /^a=extmap:\S+ (\S+)/.exec(line)?.[1];
        return uri === undefined || offered[i]?.has(uri) === true;
      }).join(eol))].join(`${eol}m=`);
    };
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    let step = 'setRemoteDescription';
    try {
      if (type === 'answer') {
        if (offer === null) throw new Error('an answer needs its offer');
        step = 'pc1 setRemoteDescription(offer)';
        await pc.setRemoteDescription({ type: 'offer', sdp: offer });
        step = 'pc1 answer';
        await pc.setLocalDescription();
        // pc1 re-offers each m-line the way the offer declared it, so a wrong answer direction is caught.
        const declared: (string | undefined)[] = [];
        for (const section of offer.split(/\r?\nm=/).slice(1)) {
          declared.push(/\r?\na=(sendrecv|sendonly|recvonly|inactive)\r?$/m.exec(section)?.[1]
            ?? /^a=(sendrecv|sendonly|recvonly|inactive)\r?$/m.exec(offer.split(/\r?\nm=/)[0] ?? '')?.[1] ?? 'sendrecv');
        }
        pc.getTransceivers().forEach((t, i) => { t.direction = (declared[i] ?? 'sendrecv') as RTCRtpTransceiverDirection; });
        step = 'pc1 re-offer';
        // With an ICE restart: the answer's ufrag and pwd are not the ones pc1 has seen (Firefox refuses
        // new credentials in an answer to an offer that did not ask for them).
        pc.restartIce();
        await pc.setLocalDescription();
        step = 'setRemoteDescription(answer)';
      }
      await pc.setRemoteDescription({ type, sdp: type === 'answer' ? offeredExtensionsOnly(sdp, pc.localDescription?.sdp ?? '') : sdp });
      if (type === 'offer') {
        step = 'createAnswer';
        await pc.setLocalDescription(await pc.createAnswer());
      }
      return { ok: true };
    } catch (err) {
      return { ok: false, error: `${step}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}` };
    } finally {
      pc.close();
    }
  }, args);
}

/** Closes `ff` and says which of the processes it had before are still alive (none, when it closed well). */
export async function closeAndFindSurvivors(ff: FirefoxBrowser): Promise<{ before: number[]; alive: number[] }> {
  const before = ff.processes();
  await ff.close();
  const alive = before.filter((pid) => { try { process.kill(pid, 0); return true; } catch { return false; } });
  return { before, alive };
}
