// Minimal types for @xmpp/xml 0.13 (the package ships none): the stream parser xmpp.js reads every
// stanza with, in the component (@xmpp/component-core) and the client (@xmpp/client) alike.
declare module '@xmpp/xml' {
  import type { Element } from 'ltx';

  export class Parser {
    write(data: string): void;
    on(event: 'element' | 'start', listener: (element: Element) => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
  }
  const xml: { Parser: typeof Parser };
  export default xml;
}
