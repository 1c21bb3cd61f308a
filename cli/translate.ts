/**
 * `jingle-gateway translate`: SDP on stdin -> Jingle XML on stdout, or back. Exit codes: 0 done,
 * 2 bad usage or bad input (the message names the SDP line or the Jingle element).
 */
import type { Element } from 'ltx';
import { parseArgs } from 'node:util';
import {
  JINGLE_ACTIONS, NS, ROLES, isTranslateError, jingleToSdp, parseXml, sdpToJingle, serializeXml,
  type JingleAction, type Role,
} from '../schemas/index.ts';
import { localName, nsOf } from '../schemas/xml.ts';
import type { Io } from './main.ts';
import { textToTransportInfo, transportInfoToText } from './trickle.ts';

const MAX_INPUT = 1024 * 1024;

export async function translateCommand(argv: readonly string[], io: Io): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        to: { type: 'string' }, role: { type: 'string' }, action: { type: 'string' },
        sid: { type: 'string' }, initiator: { type: 'string' }, responder: { type: 'string' }, mid: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const { to, role, action } = values;
  if (to !== 'jingle' && to !== 'sdp') return usage(io, '--to must be jingle or sdp');
  // A transport-info has no directions to interpret: --role is optional there (and checked once the input says so).
  const trickle = to === 'jingle' && action === 'transport-info';
  if (role !== undefined ? !(ROLES as readonly string[]).includes(role) : !trickle && to === 'jingle') return usage(io, '--role must be initiator or responder');
  if (trickle && values.sid === undefined) return usage(io, 'a transport-info needs the --sid of its session');
  if (values.mid !== undefined && !trickle) return usage(io, '--mid is for --to jingle --action transport-info');
  if (action !== undefined && !(JINGLE_ACTIONS as readonly string[]).includes(action)) {
    return usage(io, `--action must be one of ${JINGLE_ACTIONS.join(', ')}`);
  }
  let input: string;
  try {
    input = await readAll(io.stdin, MAX_INPUT);
  } catch (e) {
    io.stderr.write(`jingle-gateway translate: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    if (trickle) {
      const jingle = textToTransportInfo(input, {
        sid: values.sid as string,
        ...(values.mid !== undefined ? { mid: values.mid } : {}),
        ...(values.initiator !== undefined ? { initiator: values.initiator } : {}),
        ...(values.responder !== undefined ? { responder: values.responder } : {}),
      });
      io.stdout.write(`${serializeXml(jingle)}\n`);
    } else if (to === 'jingle') {
      if (/^\s*(a=mid:|a=candidate:|candidate:)/.test(input)) return usage(io, 'candidate lines: add --action transport-info --sid S');
      const jingle = sdpToJingle(input, {
        role: role as Role,
        ...(action !== undefined ? { action: action as JingleAction } : {}),
        ...(values.sid !== undefined ? { sid: values.sid } : {}),
        ...(values.initiator !== undefined ? { initiator: values.initiator } : {}),
        ...(values.responder !== undefined ? { responder: values.responder } : {}),
      });
      io.stdout.write(`${serializeXml(jingle)}\n`);
    } else {
      const jingle = findJingle(parseXml(stripComments(input)));
      if (jingle.attrs.action === 'transport-info') io.stdout.write(transportInfoToText(jingle));
      else if (role === undefined) return usage(io, '--role must be initiator or responder');
      else io.stdout.write(jingleToSdp(jingle, { role: role as Role }));
    }
    return 0;
  } catch (e) {
    if (isTranslateError(e)) {
      io.stderr.write(`jingle-gateway translate: ${e.condition}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** Files people hand us often start with a comment (XEP examples do); XMPP itself has none. */
function stripComments(xml: string): string {
  return xml.replace(/<!--[\s\S]*?-->/g, '');
}

/** The <jingle> itself, or the one inside an <iq>. */
function findJingle(root: Element): Element {
  if (localName(root) === 'jingle') return root;
  for (const c of root.children) {
    if (typeof c === 'object' && c !== null && localName(c) === 'jingle' && nsOf(c, undefined) === NS.jingle) return c;
  }
  return root; // parseJingle names what is wrong with it
}

function usage(io: Io, message: string): number {
  io.stderr.write(`jingle-gateway translate: ${message}\nusage: jingle-gateway translate --to jingle|sdp --role initiator|responder [--action A] [--sid S]\n`
    + '       jingle-gateway translate --to jingle --action transport-info --sid S [--mid M] (candidate lines on stdin)\n');
  return 2;
}

async function readAll(stream: Io['stdin'], max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > max) throw new Error(`input is larger than ${max} bytes`);
    chunks.push(b);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}
