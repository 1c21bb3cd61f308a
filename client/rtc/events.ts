/**
 * A small typed event emitter (mediasoup's pattern): events are declared by a map from name to payload,
 * a listener's exception is isolated (reported, never breaking the emitter or the other listeners),
 * and `on` returns the function that unsubscribes.
 */
export type Unsubscribe = () => void;

export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  constructor(private readonly onListenerError: (err: unknown, event: keyof Events) => void = reportListenerError) {}

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): Unsubscribe {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const l = listener as (payload: never) => void;
    set.add(l);
    return () => void set.delete(l);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const l of [...set]) {
      try {
        (l as (payload: Events[K]) => void)(payload);
      } catch (err) {
        this.onListenerError(err, event);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}

function reportListenerError(err: unknown, event: PropertyKey): void {
  console.error(`listener of '${String(event)}' failed`, err);
}
