/**
 * The parts of the call view as Lit templates over plain values: the stage (the contact's picture or
 * video, our preview, placeholders when a camera is off) and the connection details. The videos stay in
 * the DOM while hidden: the remote one also plays the call's audio.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CallStats } from '../rtc/media-session.ts';
import { formatBytes, initials, pathLabel } from './call-format.ts';

export interface StageFacts {
  /** The contact's display name. */
  name: string;
  /** The call has video (either way). */
  video: boolean;
  /** Show the videos at all (not while ringing or ended). */
  media: boolean;
  /** The peer turned their camera off (XEP-0167 mute of video). */
  remoteCameraOff: boolean;
  /** Our camera is off. */
  localCameraOff: boolean;
}

const avatar = (name: string): TemplateResult =>
  html`<span class="avatar" aria-hidden="true">${initials(name)}</span>`;

export function stage(f: StageFacts): TemplateResult {
  const remotePicture = !f.media || !f.video || f.remoteCameraOff;
  return html`
    <div class="stage" data-video=${f.video ? 'true' : 'false'}>
      <div class="remote-box">
        <video class="remote ${remotePicture ? 'covered' : ''}" part="remote-video" autoplay playsinline
          aria-label=${`Video of ${f.name}`}></video>
        ${remotePicture ? html`
          <div class="placeholder" data-placeholder="remote">
            ${avatar(f.name)}<span class="name">${f.name}</span>
            ${f.media && f.video && f.remoteCameraOff ? html`<span class="note">Camera off</span>` : nothing}
          </div>` : nothing}
      </div>
      <div class="local-box" ?hidden=${!f.media || !f.video}>
        <video class="local ${f.localCameraOff ? 'covered' : ''}" part="local-video" autoplay playsinline muted
          aria-label="Your camera"></video>
        ${f.localCameraOff ? html`<div class="placeholder small" data-placeholder="local"><span class="note">Your camera is off</span></div>` : nothing}
      </div>
    </div>`;
}

/** The statistics behind the "Details" toggle. */
export function details(s: CallStats): TemplateResult {
  return html`
    <dl class="quality" aria-label="Connection details">
      <dt>received</dt><dd data-stat="bytes-received" data-value=${s.bytesReceived}>${formatBytes(s.bytesReceived)}</dd>
      <dt>sent</dt><dd data-stat="bytes-sent" data-value=${s.bytesSent}>${formatBytes(s.bytesSent)}</dd>
      <dt>round trip</dt><dd data-stat="rtt">${s.rtt === undefined ? '–' : `${Math.round(s.rtt * 1000)} ms`}</dd>
      <dt>packets lost</dt><dd data-stat="packets-lost">${s.packetsLost}</dd>
      <dt>path</dt><dd data-stat="path">${pathLabel(s) ?? '?'}: ${s.localCandidateType ?? '?'} → ${s.remoteCandidateType ?? '?'}</dd>
    </dl>`;
}

export const STAGE_STYLES = `
  .stage { position: relative; display: grid; place-items: center; min-block-size: 14rem; background: #1b1f24;
    color: #f5f5f5; border-radius: 0.5rem; overflow: hidden; }
  .remote-box { inline-size: 100%; block-size: 100%; display: grid; place-items: center; }
  video.remote { inline-size: 100%; max-block-size: 70vh; aspect-ratio: 4 / 3; object-fit: contain; background: #111; }
  video.covered { position: absolute; inline-size: 1px; block-size: 1px; opacity: 0; pointer-events: none; }
  .local-box { position: absolute; inset-block-end: 0.75rem; inset-inline-end: 0.75rem; inline-size: min(30%, 10rem);
    aspect-ratio: 4 / 3; background: #000; border-radius: 0.4rem; overflow: hidden; display: grid; place-items: center; }
  .local-box[hidden] { display: none; }
  video.local { inline-size: 100%; block-size: 100%; object-fit: cover; }
  .placeholder { display: grid; justify-items: center; gap: 0.5rem; padding: 1.5rem; }
  .placeholder.small { padding: 0.3rem; font-size: 0.8em; text-align: center; }
  .avatar { display: grid; place-items: center; inline-size: 6rem; block-size: 6rem; border-radius: 50%;
    background: #3f51b5; color: #fff; font-size: 2.4rem; font-weight: 600; }
  .placeholder .name { font-size: 1.2rem; }
  .placeholder .note { opacity: 0.87; color: inherit; }
`;
