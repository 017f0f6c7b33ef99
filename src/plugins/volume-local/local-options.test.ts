import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLocalOptions } from './local-options';

test('local driver options as Docker checks them', () => {
  assert.equal(parseLocalOptions(null), undefined);
  assert.equal(parseLocalOptions({}), undefined);
  assert.deepEqual(parseLocalOptions({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m' }), { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });
  assert.deepEqual(parseLocalOptions({ type: 'none', device: '/srv', o: 'bind' }), { type: 'none', device: '/srv', o: 'bind' });
  assert.throws(() => parseLocalOptions({ size: '1g' }), /^InvalidArgument: invalid option: "size"$/);
  assert.throws(() => parseLocalOptions({ type: 'tmpfs' }), /missing required option: "device"/);
  assert.throws(() => parseLocalOptions({ o: 'size=1m' }), /missing required option: "device"/);
  assert.throws(() => parseLocalOptions({ device: '/dev/sda1' }), /missing required option: "type"/);
});
