// The metrics' cached keys (one label: formatted once per value) count exactly what formatting each
// time counted: per value, apart from other labels and names, and the text is the same.
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../component/metrics.ts';

describe('Metrics', () => {
  it('counts a one-label counter per value, a counter without labels apart, several labels too', () => {
    const m = new Metrics();
    for (let i = 0; i < 3; i++) m.inc('stanzas_in_total', { kind: 'iq' });
    m.inc('stanzas_in_total', { kind: 'message' });
    m.inc('stanzas_in_total', { type: 'iq' });
    m.inc('stanzas_out_total');
    m.inc('stanzas_out_total', {});
    m.inc('errors_total', { condition: 'bad"request', app: 'x' }, 2);
    expect(m.get('stanzas_in_total', { kind: 'iq' })).toBe(3);
    expect(m.get('stanzas_in_total', { kind: 'message' })).toBe(1);
    expect(m.get('stanzas_in_total', { type: 'iq' })).toBe(1);
    expect(m.get('stanzas_out_total')).toBe(2);
    expect(m.sum('stanzas_in_total')).toBe(5);
    expect(m.text()).toBe([
      'jingle_gateway_errors_total{app="x",condition="bad_request"} 2',
      'jingle_gateway_stanzas_in_total{kind="iq"} 3',
      'jingle_gateway_stanzas_in_total{kind="message"} 1',
      'jingle_gateway_stanzas_in_total{type="iq"} 1',
      'jingle_gateway_stanzas_out_total 2',
      '',
    ].join('\n'));
  });

  it('keeps counting values past its cache of 256 per label', () => {
    const m = new Metrics();
    for (let i = 0; i < 300; i++) m.inc('stun_dropped_total', { reason: `r${i}` });
    m.inc('stun_dropped_total', { reason: 'r299' });
    expect(m.get('stun_dropped_total', { reason: 'r299' })).toBe(2);
    expect(m.sum('stun_dropped_total')).toBe(301);
  });
});
