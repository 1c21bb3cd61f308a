/**
 * Re-renders its host once a second while `running()` says so (a call timer): the time itself is read
 * from the clock at render, so a late tick shows the right figure.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class Ticker implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly host: ReactiveControllerHost, private readonly running: () => boolean, private readonly everyMs = 1000) {
    host.addController(this);
  }

  hostConnected(): void { this.hostUpdated(); }

  hostDisconnected(): void { this.halt(); }

  /** Starts or stops with what the host now shows. */
  hostUpdated(): void {
    if (!this.running()) return this.halt();
    this.timer ??= setInterval(() => this.host.requestUpdate(), this.everyMs);
  }

  private halt(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
