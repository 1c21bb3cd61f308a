/**
 * The ring tone of an incoming call, made with Web Audio (no sound file): two short bursts of a
 * 440 + 480 Hz chord every 3 s, until stop(). Without Web Audio (or if the browser refuses it) it is
 * silent; the call still shows on screen and in the title.
 */

/** The part of AudioContext the ringer uses (a fake one in tests). */
export interface ToneContext {
  readonly currentTime: number;
  readonly destination: AudioNode;
  createOscillator(): OscillatorNode;
  createGain(): GainNode;
  resume(): Promise<void>;
  close(): Promise<void>;
}

export type ToneContextFactory = () => ToneContext | undefined;

const defaultContext: ToneContextFactory = () => {
  const Ctor = (globalThis as { AudioContext?: new () => ToneContext }).AudioContext;
  try { return Ctor ? new Ctor() : undefined; } catch { return undefined; }
};

/** Seconds from the start of a ring: [start, length] of each burst. */
export const RING_PATTERN: readonly (readonly [number, number])[] = [[0, 0.4], [0.6, 0.4]];
export const RING_EVERY_MS = 3000;
const FREQUENCIES = [440, 480];
const VOLUME = 0.12;

export class Ringer {
  private context: ToneContext | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly makeContext: ToneContextFactory = defaultContext) {}

  get ringing(): boolean { return this.timer !== undefined; }

  /** Starts ringing (again is a no-op). */
  start(): void {
    if (this.timer !== undefined) return;
    this.context = this.makeContext();
    this.context?.resume().catch(() => undefined);
    this.ring();
    this.timer = setInterval(() => this.ring(), RING_EVERY_MS);
  }

  /** Stops at once, also a burst under way (closing the context silences its oscillators). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    const context = this.context;
    this.context = undefined;
    context?.close().catch(() => undefined);
  }

  private ring(): void {
    const ctx = this.context;
    if (!ctx) return;
    try {
      const now = ctx.currentTime;
      for (const [at, length] of RING_PATTERN) {
        const gain = ctx.createGain();
        // A short fade in and out: no click at either end of the burst.
        gain.gain.setValueAtTime(0, now + at);
        gain.gain.linearRampToValueAtTime(VOLUME, now + at + 0.02);
        gain.gain.setValueAtTime(VOLUME, now + at + length - 0.02);
        gain.gain.linearRampToValueAtTime(0, now + at + length);
        gain.connect(ctx.destination);
        for (const frequency of FREQUENCIES) {
          const osc = ctx.createOscillator();
          osc.frequency.value = frequency;
          osc.connect(gain);
          osc.start(now + at);
          osc.stop(now + at + length);
        }
      }
    } catch {
      // A closed or broken context: stay silent rather than fail the call view.
    }
  }
}
