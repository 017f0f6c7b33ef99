import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePorts, wantedPorts, portKey } from './ports';

test('create refuses malformed ports with Docker\'s messages', () => {
  const bad: [Record<string, unknown> | undefined, Record<string, { HostIp?: string; HostPort?: string }[]>, RegExp][] = [
    [undefined, { 'abc/tcp': [{ HostPort: '80' }] }, /invalid port specification: "abc"$/],
    [undefined, { '70000/tcp': [{ HostPort: '80' }] }, /invalid port specification: "70000"$/],
    [undefined, { '80-81/tcp': [{ HostPort: '90' }] }, /invalid port specification: "80-81"$/],
    [undefined, { '80/tcp': [{ HostPort: '99999' }] }, /invalid port specification: "99999"$/],
    [undefined, { '80/tcp': [{ HostPort: 'abc' }] }, /invalid port specification: "abc"$/],
    [undefined, { '80/tcp': [{ HostPort: '90-80' }] }, /invalid port specification: "90-80"$/],
    [undefined, { '80/xyz': [{ HostPort: '80' }] }, /invalid proto: xyz$/],
    [undefined, { '80/tcp': [{ HostIp: 'foo', HostPort: '80' }] }, /invalid IP address: foo$/],
    [{ 'x/tcp': {} }, {}, /invalid port specification: "x"$/],
  ];
  for (const [exposed, bindings, re] of bad) assert.throws(() => validatePorts(exposed, bindings), re, JSON.stringify(bindings));
  assert.throws(() => validatePorts({}, { '80/tcp': [{ HostIp: '::1', HostPort: '80' }] }), (e: Error & { code?: string }) => e.code === 'NOT_IMPLEMENTED' && /IPv6 address ::1/.test(e.message));
  assert.doesNotThrow(() => validatePorts({ '80/tcp': {}, '53/udp': {}, 81: {} }, {
    '80/tcp': [{ HostIp: '', HostPort: '' }, { HostIp: '127.0.0.1', HostPort: '0' }], '53/udp': [{ HostPort: '8000-8005' }], '81': null as never,
  }));
});

test('only exposed ports are published; -P adds the exposed ports without bindings', () => {
  const exposed = { '80/tcp': {}, '53/udp': {}, '9000': {} };
  const bindings = { '80/tcp': [{ HostIp: '', HostPort: '8080' }, { HostIp: '127.0.0.1', HostPort: '' }], '53/udp': [{ HostIp: '', HostPort: '5300-5302' }], '7/tcp': [{ HostIp: '', HostPort: '7' }] };
  assert.deepEqual(wantedPorts(exposed, bindings, false), [
    { proto: 'udp', containerPort: 53, hostIp: '0.0.0.0', hostPorts: { start: 5300, end: 5302 } },
    { proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: { start: 8080, end: 8080 } },
    { proto: 'tcp', containerPort: 80, hostIp: '127.0.0.1' },
  ]);
  assert.deepEqual(wantedPorts(exposed, bindings, true).at(-1), { proto: 'tcp', containerPort: 9000, hostIp: '0.0.0.0' });
  assert.deepEqual(wantedPorts(undefined, bindings, true), []);
  assert.equal(portKey('80'), '80/tcp');
  assert.equal(portKey('53/UDP'), '53/udp');
});
