/**
 * The page's localStorage, or undefined where there is none or it may not be used (reading it throws in
 * some private modes and sandboxed frames). What the client keeps across reloads goes through this one
 * door; every user of it treats undefined as "remember nothing".
 */
export function pageStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
