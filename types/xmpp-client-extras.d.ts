// More of @xmpp/client 0.14 than types/xmpp.d.ts declares, for the web client's connection controller
// (client/controllers/connection.ts). Ambient module declarations merge with that file's.

declare module '@xmpp/client' {
  import type { Element } from 'ltx';

  /** saslmechanisms' Factory: mechanisms in priority order. */
  export interface SaslFactory {
    use(mechanism: unknown): this;
    readonly _mechs: readonly { name: string }[];
  }

  export interface StreamManagement {
    enabled: boolean;
    id: string;
    on(event: 'resumed' | 'fail' | 'ack', listener: (stanza?: Element) => void): this;
    off(event: 'resumed' | 'fail' | 'ack', listener: (stanza?: Element) => void): this;
  }

  export type Authenticate = (credentials: { username: string; password: string }, mechanism: string) => Promise<void>;
  /** Called instead of the default mechanism choice, with the mechanisms both sides support. */
  export type CredentialsHandler = (authenticate: Authenticate, mechanisms: string[]) => Promise<void>;

  export interface Client {
    saslFactory: SaslFactory;
    streamManagement: StreamManagement;
    isSecure(): boolean;
    connect(service: string): Promise<void>;
    open(options: { domain: string; lang?: string }): Promise<Element>;
    /** Closes the stream and the socket, without going offline for good. */
    disconnect(): Promise<Element | undefined>;
  }

  export function client(options: {
    service: string;
    domain?: string;
    resource?: string;
    lang?: string;
    credentials: CredentialsHandler;
  }): Client;
}

declare module '@xmpp/sasl-scram-sha-1' {
  import type { SaslFactory } from '@xmpp/client';
  /** Registers SCRAM-SHA-1 (WebCrypto based) with a SASL factory. */
  export default function saslScramSha1(factory: SaslFactory): void;
}
