// Bugs the fuzzers found that are not fixed yet. Each has tests of the correct behaviour with minimal
// inputs in test/unit/fuzz-component.test.ts ("bugs the fuzzers found", failing until fixed); here it is
// only recognised by the message of the check it breaks, so a run goes on past it and counts it
// (the "known bugs hit" column) instead of stopping at the first. Delete an entry once its bug is
// fixed: the fuzzers then keep the fix in place, and find the next case of the family if any is left.
export interface KnownBug {
  id: string;
  what: string;
  matches: (message: string) => boolean;
}

export const KNOWN_BUGS: readonly KnownBug[] = [];

export function knownBug(message: string): KnownBug | undefined {
  return KNOWN_BUGS.find((b) => b.matches(message));
}
