/** The Jingle model: one module per XEP, each with its types, parse(Element) and build(model). */
export * from './xep0166-types.ts';
export * from './xep0166.ts';
export * from './xep0167.ts';
export * from './xep0176.ts';
export * from './xep0293.ts';
export * from './xep0294.ts';
export * from './xep0320.ts';
export * from './xep0338.ts';
export * from './xep0339.ts';
export * from './xep0343.ts';
export * from './sdp-lines.ts';
export * from './xep0167-info.ts';
export * from './xep0215.ts';
export * from './xep0353.ts';
