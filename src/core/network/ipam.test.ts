import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressPool, DEFAULT_POOLS, firstFreeSubnet, formatCidr, parseCidr, overlaps, macForIp, ipToInt, intToIp, poolSubnets } from './ipam';

test('addresses are handed out lowest first, skipping the gateway', () => {
  const pool = new AddressPool(parseCidr('172.18.0.0/16'), ipToInt('172.18.0.1'));
  assert.equal(pool.allocate(), '172.18.0.2');
  assert.equal(pool.allocate(), '172.18.0.3');
  pool.release('172.18.0.2');
  assert.equal(pool.allocate(), '172.18.0.2');
});

test('a full subnet refuses', () => {
  const pool = new AddressPool(parseCidr('10.9.9.0/30'), ipToInt('10.9.9.1'));
  assert.equal(pool.allocate(), '10.9.9.2');
  assert.throws(() => pool.allocate(), /no available IPv4 addresses/);
});

test('overlap, MAC and conversions', () => {
  assert.ok(overlaps(parseCidr('172.17.0.0/16'), parseCidr('172.17.5.0/24')));
  assert.ok(!overlaps(parseCidr('172.17.0.0/16'), parseCidr('172.18.0.0/16')));
  assert.equal(macForIp('172.17.0.2'), '02:42:ac:11:00:02');
  assert.equal(intToIp(ipToInt('255.1.2.3')), '255.1.2.3');
  assert.throws(() => ipToInt('1.2.3'), /invalid IP/);
});

test('a range narrows dynamic addresses; reserve takes any host address of the subnet', () => {
  const pool = new AddressPool(parseCidr('10.1.0.0/16'), ipToInt('10.1.0.1'), parseCidr('10.1.5.0/30'));
  // 10.1.5.0 is a host address of the /16.
  assert.equal(pool.allocate(), '10.1.5.0');
  assert.equal(pool.allocate(), '10.1.5.1');
  pool.reserve('10.1.9.9');
  assert.throws(() => pool.reserve('10.1.9.9'), /Address already in use/);
  assert.throws(() => pool.reserve('10.2.0.1'), (e) => e instanceof RangeError);
  assert.throws(() => pool.reserve('10.1.0.1'), (e) => e instanceof RangeError);
  assert.equal(pool.allocate(), '10.1.5.2');
  assert.equal(pool.allocate(), '10.1.5.3');
  assert.throws(() => pool.allocate(), /no available IPv4 addresses/);
});

test('pool subnets in Docker\'s default order, skipping used ones', () => {
  const all = [...poolSubnets(DEFAULT_POOLS)].map(formatCidr);
  assert.equal(all[0], '172.17.0.0/16');
  assert.equal(all[14], '172.31.0.0/16');
  assert.equal(all[15], '192.168.0.0/20');
  assert.equal(all.at(-1), '192.168.240.0/20');
  assert.equal(all.length, 31);
  const free = firstFreeSubnet(DEFAULT_POOLS, [parseCidr('172.16.0.0/12')]);
  assert.equal(free && formatCidr(free), '192.168.0.0/20');
});
