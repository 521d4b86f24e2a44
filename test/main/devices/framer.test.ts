// The byte framer: each terminator, the inter-byte timeout (timers driven by hand), overlong frames and
// resynchronisation, frames cut by an unplug, and bytes split across chunks at every position.
import { describe, expect, it } from 'vitest';
import type { Framing } from '../../../src-main/devices/config.js';
import { ByteFramer, type FramerOutput } from '../../../src-main/devices/framer.js';
import { ManualTimers } from '../../../src-shared/kernel/timers.js';

type Out = string | { reject: string; length: number };

function framer(framing: Framing, maxFrameLength = 32) {
  const timers = new ManualTimers();
  const out: Out[] = [];
  const f = new ByteFramer({ framing, maxFrameLength, timers }, (o: FramerOutput) =>
    out.push(o.kind === 'frame' ? o.bytes.toString('latin1') : { reject: o.reason, length: o.length }),
  );
  const push = (s: string) => f.push(Buffer.from(s, 'latin1'));
  return { f, out, push, timers };
}

const suffix = (s: 'CR' | 'LF' | 'CRLF' | 'ETX'): Framing => ({
  kind: 'suffix',
  suffix: s,
  partialTimeoutMs: 500,
});

describe('suffix framing', () => {
  it.each([
    ['CR', '4006381333931\r9501101531000\r'],
    ['LF', '4006381333931\n9501101531000\n'],
    ['CRLF', '4006381333931\r\n9501101531000\r\n'],
    ['ETX', '4006381333931\x039501101531000\x03'],
  ] as const)('splits on %s', (name, wire) => {
    const { out, push, f } = framer(suffix(name));
    push(wire);
    expect(out).toEqual(['4006381333931', '9501101531000']);
    expect(f.pending).toBe(0);
  });

  it.each(['CR', 'LF', 'CRLF', 'ETX'] as const)(
    'gives the same frames whatever the chunking (%s)',
    (name) => {
      const term = { CR: '\r', LF: '\n', CRLF: '\r\n', ETX: '\x03' }[name];
      const wire = `]E04006381333931${term};6012345678901234=4912?${term}`;
      for (let cut = 0; cut <= wire.length; cut += 1) {
        const { out, push } = framer(suffix(name));
        push(wire.slice(0, cut));
        push(wire.slice(cut));
        expect(out).toEqual([']E04006381333931', ';6012345678901234=4912?']);
      }
      const { out, f } = framer(suffix(name));
      for (const byte of Buffer.from(wire, 'latin1')) f.push(Uint8Array.of(byte));
      expect(out).toEqual([']E04006381333931', ';6012345678901234=4912?']);
    },
  );

  it('tolerates a scanner set to CRLF when CR or LF is configured', () => {
    const cr = framer(suffix('CR'));
    cr.push('123\r\n456\r\n');
    expect(cr.out).toEqual(['123', '456']);
    const lf = framer(suffix('LF'));
    lf.push('123\r\n456\r\n');
    expect(lf.out).toEqual(['123', '456']);
  });

  it('keeps a lone CR inside a CRLF frame as data', () => {
    const { out, push } = framer(suffix('CRLF'));
    push('ab\rcd\r\n');
    expect(out).toEqual(['ab\rcd']);
  });

  it('reports an empty frame for a bare terminator (the device drops it)', () => {
    const { out, push } = framer(suffix('ETX'));
    push('\x03');
    expect(out).toEqual(['']);
  });

  it('rejects an unterminated partial frame when the line goes quiet', () => {
    const { out, push, timers } = framer(suffix('CR'));
    push('4006381');
    expect(timers.pendingDelays()).toEqual([500]);
    timers.fireAll();
    expect(out).toEqual([{ reject: 'no-terminator', length: 7 }]);
    push('4006381333931\r');
    expect(out.at(-1)).toBe('4006381333931');
    expect(timers.size).toBe(0);
  });
});

describe('overlong frames', () => {
  it.each(['CR', 'LF', 'CRLF', 'ETX'] as const)('accepts exactly the maximum (%s)', (name) => {
    const term = { CR: '\r', LF: '\n', CRLF: '\r\n', ETX: '\x03' }[name];
    const { out, push } = framer(suffix(name), 16);
    push(`${'7'.repeat(16)}${term}${'8'.repeat(17)}${term}9${term}`);
    expect(out[0]).toBe('7'.repeat(16));
    expect(out[1]).toMatchObject({ reject: 'too-long' });
    expect(out[2]).toBe('9');
    expect(out).toHaveLength(3);
  });

  it('rejects once, discards until the next terminator and resynchronises there', () => {
    const { out, push, f } = framer(suffix('CR'), 16);
    push('x'.repeat(1000));
    expect(out).toEqual([{ reject: 'too-long', length: 17 }]);
    expect(f.pending).toBe(0); // nothing buffered while discarding
    push('y'.repeat(100_000));
    expect(out).toHaveLength(1);
    push('tail\r4006381333931\r');
    expect(out).toEqual([{ reject: 'too-long', length: 17 }, '4006381333931']);
  });

  it('resynchronises on a CRLF split across chunks while discarding', () => {
    const { out, push } = framer(suffix('CRLF'), 16);
    push(`${'x'.repeat(40)}\r`);
    push('\n123\r\n');
    expect(out).toEqual([{ reject: 'too-long', length: 18 }, '123']);
  });

  it('resynchronises at the next gap when the line goes quiet while discarding', () => {
    const { out, push, timers } = framer(suffix('CR'), 16);
    push('x'.repeat(40));
    timers.fireAll();
    push('123\r');
    expect(out).toEqual([{ reject: 'too-long', length: 17 }, '123']);
  });
});

describe('inter-byte timeout framing', () => {
  const timeout: Framing = { kind: 'timeout', interByteTimeoutMs: 30 };

  it('ends a frame when no byte arrives for the timeout', () => {
    const { out, push, timers } = framer(timeout);
    push('40063');
    push('81333931');
    expect(out).toEqual([]);
    expect(timers.pendingDelays()).toEqual([30]);
    timers.fireAll();
    expect(out).toEqual(['4006381333931']);
    push('%B6012^X/Y^49?');
    timers.fireAll();
    expect(out).toEqual(['4006381333931', '%B6012^X/Y^49?']);
  });

  it('keeps terminator bytes as data', () => {
    const { out, push, timers } = framer(timeout);
    push('abc\r\n');
    timers.fireAll();
    expect(out).toEqual(['abc\r\n']);
  });

  it('rejects an overlong burst once and resynchronises at the next gap', () => {
    const { out, push, timers, f } = framer(timeout, 16);
    push('z'.repeat(500));
    expect(f.pending).toBe(0);
    timers.fireAll();
    push('123');
    timers.fireAll();
    expect(out).toEqual([{ reject: 'too-long', length: 17 }, '123']);
  });
});

describe('unplug', () => {
  it('reports a partial frame as cut, never delivers it', () => {
    const { out, push, f, timers } = framer(suffix('CR'));
    push('%B4111111111');
    f.cut();
    expect(out).toEqual([{ reject: 'cut-by-unplug', length: 12 }]);
    expect(timers.size).toBe(0);
    push('123\r');
    expect(out.at(-1)).toBe('123');
  });

  it('reports nothing when idle, and a timeout frame in progress as cut', () => {
    const idle = framer(suffix('CR'));
    idle.f.cut();
    expect(idle.out).toEqual([]);
    const t = framer({ kind: 'timeout', interByteTimeoutMs: 30 });
    t.push('40063');
    t.f.cut();
    t.timers.fireAll();
    expect(t.out).toEqual([{ reject: 'cut-by-unplug', length: 5 }]);
  });

  it('reset drops a partial frame silently', () => {
    const { out, push, f } = framer(suffix('CR'));
    push('123');
    f.reset();
    push('456\r');
    expect(out).toEqual(['456']);
  });
});
