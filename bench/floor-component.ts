// The floor for bench:component: the most trivial XEP-0114 component xmpp.js makes, answering XEP-0199
// pings and nothing else, in its own process as ours runs in its own. Pinging it through the same
// Prosody costs the same routing hop as pinging ours, so the ratio is our component's own cost.
// Usage: tsx bench/floor-component.ts <xmpp://host:port> <domain> <secret>; prints "online" when ready.
import { component } from '@xmpp/component';
import type { Element } from 'ltx';

const [service, domain, password] = process.argv.slice(2);
if (!service || !domain || !password) throw new Error('usage: floor-component.ts <service> <domain> <secret>');
const entity = component({ service, domain, password });
// xmpp.js's iq callee answers an empty result to any truthy value that is not an element.
entity.iqCallee.get('urn:xmpp:ping', 'ping', () => true as unknown as Element);
let stopping = false;
entity.on('error', (err: Error) => {
  if (!stopping) process.stderr.write(`floor component: ${err.message}\n`);
});
entity.on('online', () => process.stdout.write('online\n'));
process.once('SIGTERM', () => {
  stopping = true;
  entity.reconnect.stop();
  void entity.stop().finally(() => process.exit(0));
});
await entity.start();
