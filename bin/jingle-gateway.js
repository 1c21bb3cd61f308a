#!/usr/bin/env node
// Entry point for `npx jingle-gateway`: registers tsx so the TypeScript sources run as they are,
// then hands over to the command dispatcher.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
