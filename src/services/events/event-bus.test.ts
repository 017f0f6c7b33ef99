import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from './event-bus';

test('since keeps the events at or after a fractional unix time', () => {
  const bus = new EventBus();
  bus.publish('image', 'tag', 'sha256:a', { name: 'x:1' });
  const [ev] = bus.since(0);
  assert.equal(ev.Type, 'image');
  assert.deepEqual(ev.Actor, { ID: 'sha256:a', Attributes: { name: 'x:1' } });
  assert.equal(ev.status, undefined);
  const at = ev.timeNano / 1e9;
  assert.equal(bus.since(Math.floor(at)).length, 1);
  assert.equal(bus.since(at - 0.001).length, 1);
  assert.equal(bus.since(at + 0.01).length, 0);
});
