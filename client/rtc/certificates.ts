/**
 * DTLS certificates made ahead of the calls that use them. A new RTCPeerConnection otherwise makes its
 * own key pair as it is created, and its first offer or answer waits for that: tens of milliseconds on a
 * busy machine, on the path of a call being answered (the callee makes its connection on Accept and
 * answers as soon as the offer comes). One certificate per connection, as the browser would make: the
 * fingerprint the peer sees does not link one call to the next.
 */

/** Certificates that expire sooner than this are not used (a call may last). */
const MIN_LIFETIME_MS = 24 * 3_600_000;

export class CertificatePool {
  #ready: RTCCertificate | undefined;
  #making = false;

  constructor(private readonly generate: () => Promise<RTCCertificate>, private readonly now: () => number = Date.now) {}

  /** The certificate made ahead, or undefined (the connection then makes its own); starts making the next. */
  take(): RTCCertificate | undefined {
    const ready = this.#ready;
    this.#ready = undefined;
    this.fill();
    return ready !== undefined && ready.expires - this.now() > MIN_LIFETIME_MS ? ready : undefined;
  }

  /** Starts making one, unless one is ready or on its way. A failure leaves the pool empty: calls go on without. */
  fill(): void {
    if (this.#ready !== undefined || this.#making) return;
    this.#making = true;
    this.generate().then((c) => { this.#ready = c; }, () => undefined).finally(() => { this.#making = false; });
  }
}
