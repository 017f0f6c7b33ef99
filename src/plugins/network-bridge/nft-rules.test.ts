import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bridgeRulesScript, foreignAcceptScript, legacyChainsScript } from './nft-rules';

test('berth\'s chains: masquerade but for internal networks, internal closed, bridges isolated', () => {
  const s = bridgeRulesScript('berth', [
    { bridge: 'berth0', subnet: '172.18.0.0/16', internal: false, masquerade: true },
    { bridge: 'br-a', subnet: '10.1.0.0/24', internal: true, masquerade: true },
    { bridge: 'br-b', subnet: '10.2.0.0/24', internal: false, masquerade: false },
  ]).split('\n');
  assert.deepEqual(s.filter((l) => l.includes('masquerade')), ['add rule ip berth net-postrouting ip saddr 172.18.0.0/16 oifname != "berth0" masquerade']);
  assert.ok(s.includes('add rule ip berth net-forward iifname "br-a" oifname != "br-a" drop'));
  assert.ok(s.includes('add rule ip berth net-forward oifname "br-a" iifname != "br-a" drop'));
  assert.ok(s.includes('add rule ip berth net-forward iifname "berth0" oifname { "br-a", "br-b" } drop'));
  // Only berth's own chains are flushed: other chains of the table stay.
  assert.deepEqual(s.filter((l) => l.startsWith('flush') || l.startsWith('delete')), ['flush chain ip berth net-postrouting', 'flush chain ip berth net-forward']);
  // A single network needs no isolation rules.
  assert.ok(!bridgeRulesScript('berth', [{ bridge: 'berth0', subnet: '172.18.0.0/16', internal: false, masquerade: true }]).includes(' drop'));
});

const DOCKER = '-P INPUT ACCEPT\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n-N DOCKER\n-A FORWARD -j DOCKER-USER\n-A FORWARD -o docker0 -j DOCKER\n';

test('accepts in a dropping iptables FORWARD chain, replaced by tag only', () => {
  const listing = DOCKER
    + '-A FORWARD -i old0 -m comment --comment "berth:berth" -j ACCEPT\n'
    + '-A FORWARD -i x0 -m comment --comment "berth:berth-x0" -j ACCEPT\n';
  const s = foreignAcceptScript('berth:berth', listing, ['berth0'])!.split('\n');
  assert.deepEqual(s, [
    '*filter',
    '-D FORWARD -i old0 -m comment --comment "berth:berth" -j ACCEPT',
    '-A FORWARD -i berth0 -m comment --comment "berth:berth" -j ACCEPT',
    '-A FORWARD -o berth0 -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -m comment --comment "berth:berth" -j ACCEPT',
    'COMMIT', '',
  ]);
});

test('no accepts where FORWARD accepts anyway; nothing to do is undefined', () => {
  assert.equal(foreignAcceptScript('berth:berth', '-P FORWARD ACCEPT\n', ['berth0']), undefined);
  assert.equal(foreignAcceptScript('berth:berth', DOCKER, []), undefined);
});

test('the chains of versions before named networks are removed, nothing else', () => {
  const listing = JSON.stringify({ nftables: [{ metainfo: {} }, { table: { name: 'berth' } }, { chain: { name: 'postrouting' } }, { chain: { name: 'port-prerouting' } }, { chain: { name: 'net-forward' } }] });
  assert.equal(legacyChainsScript('berth', listing), 'flush chain ip berth postrouting\ndelete chain ip berth postrouting\n');
  assert.equal(legacyChainsScript('berth', JSON.stringify({ nftables: [] })), '');
});
