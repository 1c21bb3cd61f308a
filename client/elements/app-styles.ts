/** The app shell's layout: a header, the contact list beside the main area (call on top, then chat). */
import { css } from 'lit';

export const APP_STYLES = css`
  :host { display: block; min-block-size: 100vh; }
  header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1rem; border-block-end: 1px solid #8884; }
  header .me { flex: 1; }
  button { font: inherit; }
  button:focus-visible, input:focus-visible { outline: 3px solid #1e88e5; outline-offset: 2px; }
  .setting { display: flex; align-items: center; gap: 0.3rem; font-size: 0.9rem; }
  .banner { margin: 0; padding: 0.3rem 1rem; background: #fff3e0; color: #6d4c00; }
  .layout { display: grid; grid-template-columns: minmax(14rem, 20rem) 1fr; min-block-size: calc(100vh - 3rem); }
  aside { padding: 0.5rem 1rem; border-inline-end: 1px solid #8884; }
  main { padding: 0.5rem 1rem; display: grid; gap: 0.75rem; align-content: start; }
  main.in-call { grid-template-rows: auto auto 1fr; }
  .chat-toggle { justify-self: start; }
  .hint { opacity: 0.87; margin: 0; }
  .sr-only { position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  @media (max-width: 40rem) { .layout { grid-template-columns: 1fr; } aside { border: none; } }
`;
