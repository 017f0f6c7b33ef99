import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesEventFilters } from './event-filter';
import type { EngineEvent } from './event-bus';

const ev = (Type: EngineEvent['Type'], Action: string, ID: string, Attributes: Record<string, string>): EngineEvent =>
  ({ Type, Action, Actor: { ID, Attributes }, scope: 'local', time: 1, timeNano: 1e9 });

test('event filters match as Docker\'s do', () => {
  const start = ev('container', 'start', 'abc123', { name: 'web', image: 'busybox', team: 'a' });
  const tag = ev('image', 'tag', 'sha256:feed', { name: 'busybox:latest' });
  const f = (o: Record<string, string[]>) => new Map(Object.entries(o));
  assert.ok(matchesEventFilters(start, f({ type: ['container'], event: ['start', 'die'] })));
  assert.ok(!matchesEventFilters(start, f({ type: ['image'] })));
  assert.ok(matchesEventFilters(start, f({ container: ['web'] })) && matchesEventFilters(start, f({ container: ['abc'] })));
  assert.ok(matchesEventFilters(start, f({ image: ['busybox'] })));
  assert.ok(matchesEventFilters(tag, f({ image: ['feed'] })) && matchesEventFilters(tag, f({ image: ['busybox:latest'] })));
  assert.ok(!matchesEventFilters(tag, f({ container: ['feed'] })));
  assert.ok(matchesEventFilters(start, f({ label: ['team=a'] })) && matchesEventFilters(start, f({ label: ['team'] })));
  assert.ok(!matchesEventFilters(start, f({ label: ['team=b'] })));
});
