/** Words and numbers of the call view, as pure functions (tested without a DOM). */
import { formatDuration } from '../controllers/chat-calls.ts';
import type { CallStats } from '../rtc/media-session.ts';

/** "0:07", "12:34", "1:02:03": how long a call has been connected (whole seconds passed). */
export const formatTimer = (ms: number): string => formatDuration(ms, Math.floor);

/** The media path in a word, from the controller's stats: relayed when either end of the pair is a TURN relay. */
export function pathLabel(stats: Pick<CallStats, 'path'> | undefined): 'Direct' | 'Relayed' | undefined {
  switch (stats?.path) {
    case 'direct': return 'Direct';
    case 'relayed': return 'Relayed';
    default: return undefined;
  }
}

/** Up to two letters for an avatar: "Bob Smith" -> "BS", "carol@localhost" -> "C". */
export function initials(name: string): string {
  const words = name.replace(/@.*$/, '').split(/[\s._-]+/).filter((w) => w !== '');
  const letters = words.slice(0, 2).map((w) => [...w][0] ?? '').join('');
  return letters.toUpperCase() || '?';
}

/** "512 B", "3.4 kB", "12.0 MB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}
