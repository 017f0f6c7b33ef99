import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageConfig } from '../../core/images';
import { isValidParent } from './load-parents';

const cfg = (history?: ImageConfig['history']): ImageConfig => ({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, history });
const row = (created: string, by: string, extra = {}) => ({ created, created_by: by, ...extra });

test('a valid parent has the child\'s history but its last row, times compared as instants', () => {
  const base = [row('2024-01-02T03:04:05Z', 'ADD rootfs'), row('2024-01-02T03:04:06.5Z', 'ENV A=1', { empty_layer: true })];
  const child = cfg([...base, row('2024-01-02T03:04:07Z', 'RUN x')]);
  assert.equal(isValidParent(child, cfg(base)), true);
  // the same instant written otherwise, and absent fields as their zero values, as moby's time.Equal and struct compare
  assert.equal(isValidParent(child, cfg([row('2024-01-02T04:04:05+01:00', 'ADD rootfs', { comment: '', author: '' }), row('2024-01-02T03:04:06.500000000Z', 'ENV A=1', { empty_layer: true })])), true);
  assert.equal(isValidParent(cfg(), cfg()), true, 'no history on either side');
  assert.equal(isValidParent(child, cfg(base.slice(0, 1))), false, 'two rows short');
  assert.equal(isValidParent(child, cfg([...base, row('2024-01-02T03:04:07Z', 'RUN x')])), false, 'the same history');
  assert.equal(isValidParent(child, cfg([base[0], row('2024-01-02T03:04:06.5Z', 'ENV A=2', { empty_layer: true })])), false);
  assert.equal(isValidParent(child, cfg([base[0], { ...base[1], empty_layer: false }])), false);
  assert.equal(isValidParent(child, cfg([row('2024-01-02T03:04:05.000000001Z', 'ADD rootfs'), base[1]])), false);
});
