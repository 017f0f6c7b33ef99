import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressDisplay } from './progress-display';

const stream = [
  { status: 'Pulling from library/x', id: 'latest' },
  { status: 'Pulling fs layer', progressDetail: {}, id: 'aaa' },
  { status: 'Pulling fs layer', progressDetail: {}, id: 'bbb' },
  { status: 'Downloading', progressDetail: { current: 500, total: 1000 }, id: 'aaa' },
  { status: 'Pull complete', progressDetail: {}, id: 'aaa' },
  { status: 'Digest: sha256:00' },
];

test('not a terminal: one line per message, progress bars left out (docker\'s jsonmessage)', () => {
  let out = '';
  const show = progressDisplay((s) => { out += s; }, false);
  for (const m of stream) show(m);
  assert.equal(out, 'latest: Pulling from library/x\naaa: Pulling fs layer\nbbb: Pulling fs layer\naaa: Pull complete\nDigest: sha256:00\n');
});

test('a terminal: each layer keeps its line, redrawn with the cursor moved up and back', () => {
  let out = '';
  const show = progressDisplay((s) => { out += s; }, true);
  for (const m of stream) show(m);
  const up = (n: number) => `\x1b[${n}A`;
  const down = (n: number) => `\x1b[${n}B`;
  assert.equal(out, [
    'latest: Pulling from library/x\n',
    `\n${up(1)}\x1b[2K\raaa: Pulling fs layer \r${down(1)}`,
    `\n${up(1)}\x1b[2K\rbbb: Pulling fs layer \r${down(1)}`,
    `${up(2)}\x1b[2K\raaa: Downloading [=========================>                         ]     500B/1kB\r${down(2)}`,
    `${up(2)}\x1b[2K\raaa: Pull complete \r${down(2)}`,
    'Digest: sha256:00\n',
  ].join(''));
});
