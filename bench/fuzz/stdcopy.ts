/**
 * The multiplexed stream framing: the client's Demuxer (src/client/stdcopy.ts, used by
 * attach, logs and compose logs) against the daemon's frame() (src/server/stream-framing.ts).
 * Properties: any chunking of a valid frame stream demuxes to the same frames; arbitrary
 * bytes, however chunked, give the same frames and pending bytes, and only the declared
 * stream ids 0-3 reach the callback (or the demuxer throws its declared error).
 */
import * as fc from 'fast-check';
import { Demuxer, encodeFrame, type StreamId } from '../../src/client';
import { frame } from '../../src/server/stream-framing';
import { berthError, returnsOrDeclares, sameJson, type FuzzTarget } from './property';

const declared = berthError('INVALID_ARGUMENT', 'INTERNAL');

interface Frame { stream: StreamId; payload: Uint8Array }

const frames = fc.array(fc.record({
  stream: fc.constantFrom<StreamId>(0, 1, 2, 3),
  payload: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 1000, maxLength: 70_000 })),
}), { maxLength: 12 });

/** Cut points as fractions of the length: any chunking of the bytes. */
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 });

function chunk(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  return out;
}

/** The frames demuxed from `chunks` (as hex) and what is left pending. */
function demux(chunks: Buffer[]): { frames: [number, string][]; pending: number } {
  const got: [number, string][] = [];
  const d = new Demuxer((stream, payload) => {
    if (![0, 1, 2, 3].includes(stream)) throw new Error(`undeclared stream id ${stream} reached the callback`);
    got.push([stream, payload.toString('hex')]);
  });
  for (const c of chunks) d.push(c);
  return { frames: got, pending: d.pending };
}

export const stdcopyTarget: FuzzTarget = {
  name: 'stdcopy',
  module: 'src/client/stdcopy.ts, src/server/stream-framing.ts',
  properties: [
    {
      name: 'chunking',
      arbitrary: fc.tuple(frames, cuts, fc.boolean()),
      check([fs, at, daemonSide]: [Frame[], number[], boolean]) {
        const encode = (f: Frame) => (daemonSide ? frame(f.stream, Buffer.from(f.payload)) : encodeFrame(f.stream, Buffer.from(f.payload)));
        const bytes = Buffer.concat(fs.map(encode));
        const want = fs.filter((f) => f.payload.length > 0).map((f) => [f.stream, Buffer.from(f.payload).toString('hex')]);
        const whole = demux([bytes]);
        sameJson('frames of the whole stream', whole, { frames: want, pending: 0 });
        sameJson('frames of the chunked stream', demux(chunk(bytes, at)), whole);
      },
    },
    {
      name: 'raw-bytes',
      arbitrary: fc.tuple(fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        // Headers with small sizes and any stream byte, then junk.
        fc.array(fc.tuple(fc.nat({ max: 255 }), fc.uint8Array({ maxLength: 12 })), { maxLength: 6 })
          .map((hs) => Uint8Array.from(hs.flatMap(([s, p]) => [s, 0, 0, 0, 0, 0, 0, p.length, ...p]))),
      ), cuts),
      check([raw, at]: [Uint8Array, number[]]) {
        const bytes = Buffer.from(raw);
        const { value: whole } = returnsOrDeclares(() => demux([bytes]), declared);
        const { value: chunked } = returnsOrDeclares(() => demux(chunk(bytes, at)), declared);
        if (whole && chunked) sameJson('frames of whole and chunked bytes', chunked, whole);
        else if (!!whole !== !!chunked) throw new Error(`one chunking threw and the other did not: ${!!whole} ${!!chunked}`);
      },
    },
  ],
};
