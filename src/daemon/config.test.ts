import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POOLS } from '../core/network';
import { loadConfig } from './config';

async function withFile<T>(json: object, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-cfg-'));
  try {
    await writeFile(join(dir, 'daemon.json'), JSON.stringify(json));
    return await fn(join(dir, 'daemon.json'));
  } finally { await rm(dir, { recursive: true, force: true }); }
}

test('network options: Docker\'s defaults, daemon.json keys, flags over the file', async () => {
  await withFile({}, async (f) => {
    const c = await loadConfig(['--config-file', f]);
    assert.deepEqual([c.defaultAddressPools, c.ipForward, c.iptables, c.bip, c.bridge], [DEFAULT_POOLS, true, true, undefined, 'berth0']);
  });
  await withFile({ 'default-address-pools': [{ base: '10.10.0.0/16', size: 24 }], 'ip-forward': false, iptables: false, bip: '10.9.0.1/24', bridge: 'br9' }, async (f) => {
    const c = await loadConfig(['--config-file', f]);
    assert.deepEqual([c.defaultAddressPools, c.ipForward, c.iptables, c.bip, c.bridge], [[{ base: '10.10.0.0/16', size: 24 }], false, false, '10.9.0.1/24', 'br9']);
    const flags = await loadConfig(['--config-file', f, '--iptables', '--ip-forward', '--default-address-pool', 'base=10.20.0.0/16,size=20', '-b', 'brx']);
    assert.deepEqual([flags.defaultAddressPools, flags.ipForward, flags.iptables, flags.bridge], [[{ base: '10.20.0.0/16', size: 20 }], true, true, 'brx']);
  });
});

test('a pool that cannot be split is refused at start', async () => {
  await withFile({ 'default-address-pools': [{ base: '10.10.0.0/16', size: 8 }] }, async (f) => {
    await assert.rejects(loadConfig(['--config-file', f]), /size 8 must be between the base's prefix length and 32/);
  });
  await assert.rejects(withFile({}, (f) => loadConfig(['--config-file', f, '--default-address-pool', 'base=nope,size=24'])), /base "nope" is not a CIDR/);
});
