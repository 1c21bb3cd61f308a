/**
 * A Prosody 0.12 configuration for a loopback stack (the demo `npm start` and the test harness): one
 * VirtualHost "localhost" with WebSocket, the components given, mod_turn_external for TURN credentials.
 */
import { join } from 'node:path';

export interface ProsodyConfigOptions {
  dir: string;
  ports: { c2s: number; http: number; component: number };
  /** component domain -> secret */
  components: Record<string, string>;
  turnSecret: string;
  turnPort: number;
  extraModules?: readonly string[];
  /** Lines for the global section, e.g. plugin_paths (written as given: callers build them with lua()). */
  globalLines?: readonly string[];
}

export const PROSODY_MODULES: readonly string[] = ['roster', 'saslauth', 'disco', 'ping', 'websocket', 'carbons', 'mam',
  'external_services', 'turn_external'];

/** A Lua string literal; refuses characters we never need rather than escaping them wrongly. */
export function lua(value: string): string {
  if (!/^[\w.@:/+=~ -]*$/.test(value)) throw new Error(`unsafe Prosody config value ${JSON.stringify(value)}`);
  return `"${value}"`;
}

export function prosodyConfig(o: ProsodyConfigOptions): string {
  const modules = [...PROSODY_MODULES, ...(o.extraModules ?? [])].map(lua).join('; ');
  const components = Object.entries(o.components).map(([domain, secret]) => `Component ${lua(domain)}\n  component_secret = ${lua(secret)}\n`);
  return `-- generated: a loopback Prosody for Jingle Gateway
pidfile = ${lua(join(o.dir, 'prosody.pid'))}
data_path = ${lua(join(o.dir, 'data'))}
run_as_root = true
log = { info = ${lua(join(o.dir, 'prosody.log'))} }
modules_enabled = { ${modules} }
modules_disabled = { "s2s" }
authentication = "internal_hashed"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
c2s_ports = { ${o.ports.c2s} }
c2s_interfaces = { "127.0.0.1" }
http_ports = { ${o.ports.http} }
http_interfaces = { "127.0.0.1" }
https_ports = {}
component_ports = { ${o.ports.component} }
component_interfaces = { "127.0.0.1" }
consider_websocket_secure = true
-- Jingle is a conversation of small stanzas: with Nagle's algorithm a stanza waits for the delayed ACK
-- of the one before it (40 ms a hop), which doubles call set-up time.
network_settings = { nagle = false }
turn_external_secret = ${lua(o.turnSecret)}
turn_external_host = "127.0.0.1"
turn_external_port = ${o.turnPort}
${(o.globalLines ?? []).map((l) => `${l}\n`).join('')}VirtualHost "localhost"
${components.join('')}`;
}
