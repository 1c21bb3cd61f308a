/**
 * The component's configuration: every option from a flag, an environment variable or a JSON config
 * file, in that order of precedence, validated once at start-up. A bad value stops start-up with one
 * line that names the option and how to set it.
 */
import { OPTIONS, type OptionSpec, type OptionValues } from './config-options.ts';

export type Config = OptionValues;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`config: ${key}: ${problem}; set it with --${key}, ${envName(key)} or "${key}" in the --config file`);
  }
}

export function envName(key: string): string {
  return `JINGLE_GATEWAY_${key.toUpperCase().replace(/-/g, '_')}`;
}

export interface ConfigSources {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** Reads the --config file; injected so loading stays testable without files. */
  readFile: (path: string) => string;
}

/** Flags as `--key value` or `--key=value`; an unknown flag is an error, not silently ignored. */
function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new ConfigError(arg, 'unexpected argument (options are --name value)');
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (key !== 'config' && !OPTIONS.some((o) => o.key === key)) {
      throw new ConfigError(key, `unknown option (known: ${OPTIONS.map((o) => o.key).join(', ')})`);
    }
    let value: string | undefined = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new ConfigError(key, 'needs a value');
    flags.set(key, value);
  }
  return flags;
}

function readConfigFile(path: string, readFile: ConfigSources['readFile']): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (e) {
    throw new ConfigError('config', `cannot read ${path} as JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('config', `${path} must hold a JSON object of option names to values`);
  }
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (!OPTIONS.some((o) => o.key === key)) throw new ConfigError(key, `unknown option in ${path}`);
    out.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return out;
}

export function loadConfig(sources: ConfigSources): Config {
  const flags = parseFlags(sources.argv);
  const file = flags.get('config') ?? sources.env[envName('config')];
  const fromFile = file ? readConfigFile(file, sources.readFile) : new Map<string, string>();
  const values: Record<string, unknown> = {};
  for (const spec of OPTIONS) {
    const raw = flags.get(spec.key) ?? sources.env[envName(spec.key)] ?? fromFile.get(spec.key);
    values[spec.key] = resolve(spec, raw, values);
  }
  return values as unknown as Config;
}

function resolve(spec: OptionSpec, raw: string | undefined, earlier: Record<string, unknown>): unknown {
  if (raw === undefined || raw === '') {
    const fallback = typeof spec.default === 'function' ? spec.default(earlier) : spec.default;
    if (fallback === undefined && spec.required) throw new ConfigError(spec.key, `is required (${spec.describe})`);
    return fallback;
  }
  const result = spec.parse(raw.trim());
  if (typeof result === 'object' && result !== null && 'problem' in result) {
    throw new ConfigError(spec.key, `${result.problem} (got ${JSON.stringify(raw.slice(0, 80))})`);
  }
  return result;
}
