#!/usr/bin/env node
// Entry point for `npx jingle-gateway`: registers tsx so the TypeScript sources run as they are,
// then hands over to the command dispatcher.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
// Once a command is done, libraries that keep timers or sockets (werift, pino) must not keep the
// process alive; the delay lets piped output drain first.
setTimeout(() => process.exit(code), 200).unref();
