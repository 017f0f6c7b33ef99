import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { test } from 'node:test';
import { Demuxer, copyStream, encodeFrame } from './stdcopy';

test('demuxer handles frames split across chunks and several frames per chunk', () => {
  const got: [number, string][] = [];
  const d = new Demuxer((s, p) => got.push([s, p.toString()]));
  const all = Buffer.concat([encodeFrame(1, 'hello '), encodeFrame(2, 'oops\n'), encodeFrame(1, 'world\n')]);
  // Feed one byte at a time: every header and payload is split.
  for (let i = 0; i < all.length; i++) d.push(all.subarray(i, i + 1));
  assert.deepEqual(got, [[1, 'hello '], [2, 'oops\n'], [1, 'world\n']]);
  assert.equal(d.pending, 0);
});

test('demuxer waits for a whole frame and keeps the rest', () => {
  const got: string[] = [];
  const d = new Demuxer((_s, p) => got.push(p.toString()));
  const f = Buffer.concat([encodeFrame(1, 'abc'), encodeFrame(1, 'defgh')]);
  d.push(f.subarray(0, 13));
  assert.deepEqual(got, ['abc']);
  assert.equal(d.pending, 2);
  d.push(f.subarray(13));
  assert.deepEqual(got, ['abc', 'defgh']);
});

function sink(): { w: Writable; text: () => string } {
  const parts: Buffer[] = [];
  const w = new Writable({ write(c, _e, cb) { parts.push(c); cb(); } });
  return { w, text: () => Buffer.concat(parts).toString() };
}

test('copyStream demuxes to stdout and stderr, or passes raw bytes with a TTY', async () => {
  const src = new PassThrough();
  const out = sink(); const err = sink();
  const done = copyStream(src, { stdout: out.w, stderr: err.w }, { tty: false });
  src.write(encodeFrame(1, 'out'));
  src.end(encodeFrame(2, 'err'));
  await done;
  assert.equal(out.text(), 'out');
  assert.equal(err.text(), 'err');

  const raw = new PassThrough(); const o2 = sink();
  const d2 = copyStream(raw, { stdout: o2.w, stderr: sink().w }, { tty: true });
  raw.end(Buffer.from([1, 0, 0, 0, 0, 0, 0, 1, 65]));
  await d2;
  assert.equal(o2.text().length, 9);
});
