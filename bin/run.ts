/**
 * The `jingle-gateway` process: runs the command dispatcher on this process's arguments and exits
 * with its code. bin/jingle-gateway.js loads this (built, or through tsx); the build bundles it into
 * dist/server/jingle-gateway.js, which systemd runs with plain node.
 */
import { main } from '../cli/main.ts';

const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
// Once a command is done, libraries that keep timers or sockets (werift, pino) must not keep the
// process alive; the delay lets piped output drain first.
setTimeout(() => process.exit(code), 200).unref();
