import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePorts } from './publish-flags';

/** Bodies and messages as the docker CLI (28) makes them, captured from it. */
test('-p specs become the create body the docker CLI sends', () => {
  const body = (p: string[], e: string[] = []) => parsePorts(p, e);
  assert.deepEqual(body(['8080:80/udp']).bindings, { '80/udp': [{ HostIp: '', HostPort: '8080' }] });
  assert.deepEqual(body([':80']).bindings, { '80/tcp': [{ HostIp: '', HostPort: '' }] });
  assert.deepEqual(body(['0:80']).bindings, { '80/tcp': [{ HostIp: '', HostPort: '0' }] });
  assert.deepEqual(body(['[::1]:80:80']).bindings, { '80/tcp': [{ HostIp: '::1', HostPort: '80' }] });
  assert.deepEqual(body(['::1:80:80']).bindings, { '80/tcp': [{ HostIp: '::1', HostPort: '80' }] });
  assert.deepEqual(body(['127.0.0.1::80']).bindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
  assert.deepEqual(body(['80-81:90']).bindings, { '90/tcp': [{ HostIp: '', HostPort: '80-81' }] });
  assert.deepEqual(body(['80/UDP']).bindings, { '80/udp': [{ HostIp: '', HostPort: '' }] });
  assert.deepEqual(body(['8080-8082:80-82/udp']), {
    exposed: { '80/udp': {}, '81/udp': {}, '82/udp': {} },
    bindings: { '80/udp': [{ HostIp: '', HostPort: '8080' }], '81/udp': [{ HostIp: '', HostPort: '8081' }], '82/udp': [{ HostIp: '', HostPort: '8082' }] },
  });
  assert.deepEqual(Object.keys(body(['80-82']).bindings), ['80/tcp', '81/tcp', '82/tcp']);
  assert.deepEqual(body(['8080:80', '127.0.0.1:8081:80']).bindings, { '80/tcp': [{ HostIp: '', HostPort: '8080' }, { HostIp: '127.0.0.1', HostPort: '8081' }] });
  assert.deepEqual(body(['published=8080,target=80']).bindings, { '80/tcp': [{ HostIp: '', HostPort: '8080' }] });
  assert.deepEqual(body(['target=80,protocol=udp,host_ip=127.0.0.1']).bindings, { '80/udp': [{ HostIp: '', HostPort: '' }] });
  assert.deepEqual(body([], ['7000-7002', '53/udp', '9/sctp']).exposed, { '7000/tcp': {}, '7001/tcp': {}, '7002/tcp': {}, '53/udp': {}, '9/sctp': {} });
});

test('malformed -p and --expose give the docker CLI\'s words, printed without usage', () => {
  const cases: [string[], string[], string][] = [
    [['99999:80'], [], 'invalid hostPort: 99999'],
    [['abc'], [], 'invalid containerPort: abc'],
    [['80:abc'], [], 'invalid containerPort: abc'],
    [['8080-8081:80-82'], [], 'invalid ranges specified for container and host Ports: 80-82 and 8080-8081'],
    [['1.2.3:80:80'], [], 'invalid IP address: 1.2.3'],
    [['127.0.0.1:8080:80:9'], [], 'invalid IP address: 127.0.0.1:8080'],
    [['80/xyz'], [], 'invalid proto: xyz'],
    [['80-79'], [], 'invalid containerPort: 80-79'],
    [['8080:'], [], 'no port specified: 8080:<empty>'],
    [['-1:80'], [], 'invalid hostPort: -1'],
    [['65536'], [], 'invalid containerPort: 65536'],
    [['published=8080'], [], 'no port specified: 8080:/tcp<empty>'],
    [['target'], [], 'invalid containerPort: target'],
    [['target=80,bogus'], [], "invalid publish opts format (should be name=value but got 'bogus')"],
    [[], ['80:90'], 'invalid port format for --expose: 80:90'],
    [[], ['abc'], 'invalid range format for --expose: abc, error: strconv.ParseUint: parsing "abc": invalid syntax'],
    [[], ['90-80'], 'invalid range format for --expose: 90-80, error: invalid range specified for port: 90-80'],
    [[], ['70000'], 'invalid range format for --expose: 70000, error: strconv.ParseUint: parsing "70000": value out of range'],
  ];
  for (const [p, e, msg] of cases) {
    assert.throws(() => parsePorts(p, e), (err: Error & { kind?: string }) => err.message === msg && err.kind === 'parse', `${p} ${e}`);
  }
});
