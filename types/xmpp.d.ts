// Minimal types for the parts of xmpp.js we use: @xmpp/component 0.13 (CommonJS) and @xmpp/client 0.14
// (ESM). Neither ships types. Both build stanzas with ltx's CommonJS Element (ltx/lib/Element.js), a
// different class from the ESM `import { Element } from 'ltx'` our schemas use: same shape, so one type,
// but `instanceof` fails across the two (see toXmppElement in test/harness/xmpp.ts).

declare module '@xmpp/component' {
  import type { Element } from 'ltx';

  export type XmlAttrs = Record<string, string | number | boolean | null | undefined>;
  export type XmlChild = Element | string | number | boolean | null | undefined | XmlChild[];
  export interface Xml {
    (name: string, attrs?: XmlAttrs | string | null, ...children: XmlChild[]): Element;
    /** ltx's CommonJS Element class: replies must be instances of it (the iq callee checks). */
    Element: new (name: string, attrs?: XmlAttrs) => Element;
  }
  export const xml: Xml;

  export interface JID {
    local: string;
    domain: string;
    resource: string;
    bare(): JID;
    equals(other: JID): boolean;
    toString(): string;
  }
  export function jid(address: string): JID;
  export function jid(local: string | null, domain: string, resource?: string): JID;

  export type Status = 'offline' | 'connecting' | 'connect' | 'opening' | 'open' | 'online' | 'closing'
    | 'close' | 'disconnecting' | 'disconnect';

  export interface IqContext {
    stanza: Element;
    /** The single child of the query iq. */
    element: Element;
    from: JID | null;
    to: JID | null;
    id: string;
    type: string;
  }
  /** Return an Element (the payload, or an `<error>`), or nothing for service-unavailable. */
  export type IqHandler = (ctx: IqContext) => Element | undefined | Promise<Element | undefined>;

  export interface IqCaller {
    /** Sends an iq (an id is added if missing) and resolves with the result iq; rejects on an error iq. */
    request(iq: Element, timeoutMs?: number): Promise<Element>;
    get(payload: Element, to?: string, timeoutMs?: number): Promise<Element | undefined>;
    set(payload: Element, to?: string, timeoutMs?: number): Promise<Element | undefined>;
  }
  export interface IqCallee {
    get(ns: string, name: string, handler: IqHandler): void;
    set(ns: string, name: string, handler: IqHandler): void;
  }

  export interface Reconnect {
    /** Milliseconds between the 'disconnect' status and the next attempt (1000). */
    delay: number;
    start(): void;
    stop(): void;
    reconnect(): Promise<void>;
    on(event: 'reconnecting' | 'reconnected', listener: () => void): this;
    once(event: 'reconnecting' | 'reconnected', listener: () => void): this;
    off(event: 'reconnecting' | 'reconnected', listener: () => void): this;
  }

  export interface EntityEvents {
    stanza: (el: Element) => void;
    element: (el: Element) => void;
    nonza: (el: Element) => void;
    error: (err: Error) => void;
    online: (address: JID) => void;
    offline: (el?: Element) => void;
    status: (status: Status, ...details: unknown[]) => void;
    disconnect: (info: { clean: boolean }) => void;
    send: (el: Element) => void;
    input: (data: string) => void;
    output: (data: string) => void;
  }

  export interface Entity {
    jid: JID | null;
    status: Status;
    timeout: number;
    options: { service: string; domain: string; lang?: string };
    reconnect: Reconnect;
    iqCaller: IqCaller;
    iqCallee: IqCallee;
    /** Incoming stanzas pass this chain; a function that does not call next() consumes the stanza. */
    middleware: { use(fn: (ctx: { stanza: Element; from: JID | null; to: JID | null }, next: () => Promise<unknown>) => unknown): void };
    /** Connects, opens the stream, authenticates; resolves when online. */
    start(): Promise<JID>;
    /** Closes the stream and the socket. Does not stop `reconnect`: do that first. */
    stop(): Promise<Element | undefined>;
    send(el: Element): Promise<void>;
    on<E extends keyof EntityEvents>(event: E, listener: EntityEvents[E]): this;
    once<E extends keyof EntityEvents>(event: E, listener: EntityEvents[E]): this;
    off<E extends keyof EntityEvents>(event: E, listener: EntityEvents[E]): this;
    removeListener<E extends keyof EntityEvents>(event: E, listener: EntityEvents[E]): this;
  }

  export interface Component extends Entity {}
  export function component(options: {
    service: string;
    domain: string;
    password: string | ((authenticate: (password: string) => Promise<void>) => Promise<void>);
  }): Component;
}

declare module '@xmpp/client' {
  import type { Entity, Xml, JID } from '@xmpp/component';
  export type { JID, Entity, IqContext, IqHandler, Status } from '@xmpp/component';

  export const xml: Xml;
  export function jid(address: string): JID;
  export function jid(local: string | null, domain: string, resource?: string): JID;

  export interface Client extends Entity {}
  export function client(options: {
    service: string;
    domain?: string;
    username?: string;
    password?: string;
    resource?: string;
    lang?: string;
  }): Client;
}

declare module '@xmpp/component-core' {
  import type { Element } from 'ltx';
  import type { EntityEvents, JID, Status, Xml } from '@xmpp/component';

  /** The bare XEP-0114 connection, without xmpp.js's middleware, iq callee or fixed-delay reconnect. */
  export class Component {
    constructor(options: { service: string; domain: string });
    jid: JID | null;
    status: Status;
    timeout: number;
    connect(service: string): Promise<void>;
    open(options: { domain: string; lang?: string }): Promise<Element>;
    authenticate(id: string, password: string): Promise<void>;
    disconnect(timeoutMs?: number): Promise<void>;
    stop(): Promise<Element | undefined>;
    send(el: Element): Promise<void>;
    on<E extends keyof EntityEvents>(event: E, listener: EntityEvents[E]): this;
    on(event: 'open', listener: (el: Element) => void): this;
    once<E extends keyof EntityEvents>(event: E, listener: EntityEvents[E]): this;
    off<E extends keyof EntityEvents>(event: E, listener: EntityEvents[E]): this;
    emit(event: string, ...args: unknown[]): boolean;
  }
  export const xml: Xml;
  const _default: { Component: typeof Component; xml: Xml };
  export default _default;
}
