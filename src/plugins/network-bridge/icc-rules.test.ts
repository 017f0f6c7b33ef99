import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iccRulesScript } from './icc-rules';

test('icc rules: each link opens its ports both ways, then the subnet is closed', () => {
  const script = iccRulesScript('berth-t', '172.30.0.0/16', [{ parentIp: '172.30.0.3', childIp: '172.30.0.2', ports: [{ port: 80, proto: 'tcp' }, { port: 53, proto: 'UDP' }] }]);
  assert.equal(script, [
    'add table bridge berth-t',
    'add chain bridge berth-t icc-forward { type filter hook forward priority filter; policy accept; }',
    'flush chain bridge berth-t icc-forward',
    'add rule bridge berth-t icc-forward ip saddr 172.30.0.3 ip daddr 172.30.0.2 tcp dport 80 accept',
    'add rule bridge berth-t icc-forward ip saddr 172.30.0.2 ip daddr 172.30.0.3 tcp sport 80 accept',
    'add rule bridge berth-t icc-forward ip saddr 172.30.0.3 ip daddr 172.30.0.2 udp dport 53 accept',
    'add rule bridge berth-t icc-forward ip saddr 172.30.0.2 ip daddr 172.30.0.3 udp sport 53 accept',
    'add rule bridge berth-t icc-forward ip saddr 172.30.0.0/16 ip daddr 172.30.0.0/16 drop',
  ].join('\n') + '\n');
  assert.match(iccRulesScript('t', '10.0.0.0/8', []), /flush chain bridge t icc-forward\nadd rule bridge t icc-forward ip saddr 10.0.0.0\/8 ip daddr 10.0.0.0\/8 drop\n$/);
});
