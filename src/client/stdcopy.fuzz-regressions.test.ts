/** What the fuzzer (bench/fuzz/stdcopy.ts) found in the demuxer, and its properties in small. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import fc from 'fast-check';
import { isInvalidArgument } from '../errdefs';
import { Demuxer, copyStream, encodeFrame, type StreamId } from './stdcopy';

test('a stream byte above 3 is Docker\'s "Unrecognized input header", not a frame of stream 4', () => {
  const got: number[] = [];
  const d = new Demuxer((s) => got.push(s));
  d.push(encodeFrame(1, 'ok'));
  // The header alone is enough to know, as in Docker's StdCopy.
  assert.throws(() => d.push(Buffer.from([4, 0, 0, 0, 0, 0, 0, 9])), (err) => isInvalidArgument(err) && /^Unrecognized input header: 4$/.test((err as Error).message));
  assert.deepEqual(got, [1]);
});

test('copyStream rejects on a malformed stream and destroys it', async () => {
  const src = new PassThrough();
  const sink = new Writable({ write(_c, _e, cb) { cb(); } });
  const done = copyStream(src, { stdout: sink, stderr: sink }, { tty: false });
  src.write(Buffer.from([255, 0, 0, 0, 0, 0, 0, 1, 65]));
  await assert.rejects(done, { message: 'Unrecognized input header: 255' });
  assert.equal(src.destroyed, true);
});

const frames = fc.array(fc.tuple(fc.constantFrom<StreamId>(0, 1, 2, 3), fc.uint8Array({ maxLength: 20 })), { maxLength: 6 });

test('property: any chunking of a frame stream demuxes to the same frames', () => {
  fc.assert(fc.property(frames, fc.array(fc.nat(), { maxLength: 8 }), (fs, cuts) => {
    const bytes = Buffer.concat(fs.map(([s, p]) => encodeFrame(s, Buffer.from(p))));
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    const got: [number, string][] = [];
    const d = new Demuxer((s, p) => got.push([s, p.toString('hex')]));
    [0, ...points].forEach((p, i, all) => d.push(bytes.subarray(p, all[i + 1] ?? bytes.length)));
    assert.deepEqual(got, fs.filter(([, p]) => p.length > 0).map(([s, p]) => [s, Buffer.from(p).toString('hex')]));
    assert.equal(d.pending, 0);
  }), { numRuns: 300 });
});

test('property: arbitrary bytes give frames of streams 0-3 only, or InvalidArgument', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => {
    try {
      new Demuxer((s) => assert.ok(s <= 3)).push(Buffer.from(raw));
    } catch (err) {
      assert.ok(isInvalidArgument(err), String(err));
    }
  }), { numRuns: 300 });
});
