// Minimal types for sdp-jingle-json 3.x (the package ships none): only what the benchmark calls.
declare module 'sdp-jingle-json' {
  export type JingleRole = 'initiator' | 'responder';
  export type JingleDirection = 'incoming' | 'outgoing';

  export interface ContentJSON {
    creator: JingleRole;
    name: string;
    senders?: string;
    application: { applicationType: string; [field: string]: unknown };
    transport?: { transportType: string; [field: string]: unknown };
  }

  export interface SessionJSON {
    contents: ContentJSON[];
    groups?: Array<{ semantics: string; contents: string[] }>;
  }

  export function toSessionJSON(
    sdp: string,
    opts: { role?: JingleRole; direction?: JingleDirection; creators?: JingleRole[] },
  ): SessionJSON;

  export function toSessionSDP(
    session: SessionJSON,
    opts: { role?: JingleRole; direction?: JingleDirection; sid?: string | number; time?: string | number },
  ): string;
}
