/**
 * Where `npm start` keeps what it generates (.stack/ in the checkout, or JG_STACK_DIR), and what it
 * remembers between runs: the demo users' passwords and the stack's secrets.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export interface StackState {
  users: Record<string, string>;
  registered: string[];
  /** Whether the demo users are already in each other's roster. */
  acquainted?: boolean;
  componentSecret: string;
  /** coturn's static-auth-secret, also Prosody's turn_external_secret and the component's turn-secret. */
  turnSecret: string;
}

export interface StackPaths {
  root: string;
  prosody: string;
  coturn: string;
  componentLog: string;
  state: string;
}

/** The stack dir: JG_STACK_DIR (absolute, or relative to the working directory) or ROOT/.stack. */
export function stackPaths(root: string, env: NodeJS.ProcessEnv = process.env): StackPaths {
  const given = env.JG_STACK_DIR;
  const dir = given !== undefined && given !== '' ? (isAbsolute(given) ? given : resolve(given)) : join(root, '.stack');
  return { root: dir, prosody: join(dir, 'prosody'), coturn: join(dir, 'coturn'), componentLog: join(dir, 'component.log'), state: join(dir, 'state.json') };
}

export function loadState(paths: StackPaths): StackState {
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  if (existsSync(paths.state)) {
    const state = JSON.parse(readFileSync(paths.state, 'utf8')) as StackState;
    return state;
  }
  const secret = (): string => randomBytes(12).toString('hex');
  const state: StackState = { users: { alice: secret(), bob: secret() }, registered: [], componentSecret: secret(), turnSecret: secret() };
  saveState(paths, state);
  return state;
}

export function saveState(paths: StackPaths, state: StackState): void {
  writeFileSync(paths.state, JSON.stringify(state, null, 2), { mode: 0o600 });
}
