import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEtcSettings, parseAddHost } from './etc-flags';

test('--add-host: host:ip and host=ip sent as host:ip, IPv6 brackets dropped, docker\'s errors', () => {
  assert.equal(parseAddHost('bar=5.6.7.8'), 'bar:5.6.7.8');
  assert.equal(parseAddHost('v6:::1'), 'v6:::1');
  assert.equal(parseAddHost('b6=[::2]'), 'b6:::2');
  assert.equal(parseAddHost('gw:host-gateway'), 'gw:host-gateway');
  assert.throws(() => parseAddHost('foo'), { message: 'invalid argument "foo" for "--add-host" flag: bad format for add-host: "foo"' });
  assert.throws(() => parseAddHost('foo:bar'), { message: 'invalid argument "foo:bar" for "--add-host" flag: invalid IP address in add-host: "bar"' });
});

test('the body: Dns* lists always, ExtraHosts null when none, links by network kind', () => {
  const none = buildEtcSettings({}, false);
  assert.deepEqual(none, { hostConfig: { Dns: [], DnsOptions: [], DnsSearch: [], ExtraHosts: null }, domainname: '' });
  const bridge = buildEtcSettings({ link: ['db:d'], dns: ['9.9.9.9'], dnsSearch: ['a.com', '.'], dnsOption: ['ndots:2'], domainname: 'example.com' }, false);
  assert.deepEqual(bridge.hostConfig, { Dns: ['9.9.9.9'], DnsOptions: ['ndots:2'], DnsSearch: ['a.com', '.'], ExtraHosts: null, Links: ['db:d'] });
  assert.equal(bridge.domainname, 'example.com');
  const user = buildEtcSettings({ link: ['db:d'] }, true);
  assert.equal(user.hostConfig.Links, undefined);
  assert.deepEqual(user.endpointLinks, ['db:d']);
});

test('docker\'s flag errors', () => {
  assert.throws(() => buildEtcSettings({ link: ['a:b:c'] }, false), { message: 'invalid argument "a:b:c" for "--link" flag: bad format for links: a:b:c' });
  assert.throws(() => buildEtcSettings({ dns: ['foo'] }, false), { message: 'invalid argument "foo" for "--dns" flag: IP address is not correctly formatted: foo' });
  assert.throws(() => buildEtcSettings({ dnsSearch: ['foo..com'] }, false), { message: 'invalid argument "foo..com" for "--dns-search" flag: foo..com is not a valid domain' });
});
