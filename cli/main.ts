/** `jingle-gateway <command>`: the dispatcher. Each command returns its exit code. */
import type { Readable, Writable } from 'node:stream';
import { translateCommand } from './translate.ts';

export interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

const USAGE = `usage: jingle-gateway <command> [options]

commands:
  translate --to jingle --role initiator|responder [--action A] [--sid S] [--initiator JID] [--responder JID]
            reads SDP on stdin, prints one <jingle xmlns='urn:xmpp:jingle:1'> element
  translate --to sdp --role initiator|responder
            reads a <jingle> (or an <iq> holding one) on stdin, prints SDP; for a transport-info
            (no --role needed) prints its candidates: per content an a=mid:M line, a=ice-ufrag:U if
            it has one, then one a=candidate: line each (and a=end-of-candidates)
  translate --to jingle --action transport-info --sid S [--mid M] [--initiator JID]
            reads candidate lines in that form (a=candidate: or candidate:, under a=mid: lines, or
            under --mid), prints one transport-info
  component --service xmpp://HOST:PORT --domain DOMAIN --secret SECRET [options]
            runs the XMPP component (every option also as JINGLE_GATEWAY_* or in --config FILE.json)
  help      prints this text
`;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'translate':
      return translateCommand(rest, io);
    case 'component': {
      // Loaded on demand: the translator CLI should not pay for the component's dependencies.
      const { componentCommand } = await import('../component/main.ts');
      return componentCommand(rest, io.stderr);
    }
    case 'help': case '--help': case '-h':
      io.stdout.write(USAGE);
      return 0;
    default:
      io.stderr.write(`${command === undefined ? 'no command given' : `unknown command '${command}'`}\n\n${USAGE}`);
      return 2;
  }
}
