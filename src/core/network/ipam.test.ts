import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressPool, parseCidr, overlaps, macForIp, ipToInt, intToIp } from './ipam';

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
