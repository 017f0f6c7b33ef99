import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerNetworks, networksToJoin } from './container-networks';
import type { ContainerRecord } from './types';

const rec = (mode: string, networks?: ContainerRecord['networks']) => ({ hostConfig: { NetworkMode: mode }, networks } as unknown as ContainerRecord);

test('the mode\'s network joins first (by name or ID prefix), the others by name', () => {
  const nets = { zeta: { NetworkID: 'f'.repeat(64) }, alpha: { NetworkID: 'a'.repeat(64) }, mid: { NetworkID: 'b'.repeat(64) } };
  assert.deepEqual(networksToJoin(rec('mid', nets)).map((j) => j.name), ['mid', 'alpha', 'zeta']);
  assert.deepEqual(networksToJoin(rec('fff', nets)).map((j) => j.name), ['zeta', 'alpha', 'mid']);
  // Disconnected from its mode's network: only the others.
  assert.deepEqual(networksToJoin(rec('gone', { alpha: {} })).map((j) => j.name), ['alpha']);
});

test('records of older versions are on their mode\'s network only', () => {
  assert.deepEqual(containerNetworks(rec('default')), { bridge: {} });
  assert.deepEqual(containerNetworks(rec('container:abc')), {});
  assert.deepEqual(containerNetworks(rec('host')), { host: {} });
});
