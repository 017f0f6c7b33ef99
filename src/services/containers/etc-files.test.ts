import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxInfo } from '../../core/network';
import { hostsFile, resolvConfFile, validateEtcForMode, validateExtraHosts } from './etc-files';
import { parseResolvConf } from '../networks/dns-resolv-conf';
import type { ContainerRecord } from './types';

let dir = '';
before(async () => { dir = await mkdtemp(join(tmpdir(), 'etc-files-')); });
after(() => rm(dir, { recursive: true, force: true }));

const DEFAULTS = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n';

function rec(hc: Record<string, unknown> = {}, hostname = 'abc123', domainname = ''): ContainerRecord {
  return { config: { Hostname: hostname, Domainname: domainname }, hostConfig: { Dns: [], DnsSearch: [], DnsOptions: [], ExtraHosts: null, ...hc } } as unknown as ContainerRecord;
}

function sandbox(resolvConf: string, ips: string[], netns = '/run/netns/x'): SandboxInfo {
  return {
    netns, owned: true, resolvConf, extraHosts: [],
    endpoints: ips.map((ip, i) => ({ networkName: `n${i}`, networkId: `${i}`, endpointId: '', ifname: `eth${i}`, bridge: 'b', ipAddress: ip, prefixLen: 16, gateway: '10.0.0.1', macAddress: '' })),
  } as SandboxInfo;
}

async function conf(text: string): Promise<string> {
  const p = join(dir, `resolv-${Math.random()}`);
  await writeFile(p, text);
  return p;
}

test('hosts: defaults, --add-host (host-gateway too), links, then one line per network', async () => {
  const r = rec({ ExtraHosts: ['foo:1.2.3.4', 'gw:host-gateway', 'v6:::1'] }, 'hh', 'dd');
  const text = await hostsFile(r, sandbox('/nonexistent', ['172.21.0.4', '172.24.0.2']), { linkHosts: ['172.17.0.2\ty fd2ca8b2f67f x'], hostGateway: '172.17.0.1' });
  assert.equal(text, `${DEFAULTS}1.2.3.4\tfoo\n172.17.0.1\tgw\n::1\tv6\n172.17.0.2\ty fd2ca8b2f67f x\n172.21.0.4\thh.dd hh\n172.24.0.2\thh.dd hh\n`);
  assert.equal(await hostsFile(rec({}, 'a.b.c'), sandbox('/x', ['10.0.0.2'])), `${DEFAULTS}10.0.0.2\ta.b.c a\n`);
  assert.equal(await hostsFile(rec(), sandbox('/x', [])), DEFAULTS, 'none: no own line');
});

test('hosts in host mode: the host\'s file, unless --add-host asks for entries', async () => {
  const hostHosts = await conf('127.0.0.1 localhost myvm\n');
  assert.equal(await hostsFile(rec(), sandbox('/x', [], 'host'), { hostHosts }), '127.0.0.1 localhost myvm\n');
  assert.equal(await hostsFile(rec({ ExtraHosts: ['foo:1.2.3.4'] }), sandbox('/x', [], 'host'), { hostHosts }), `${DEFAULTS}1.2.3.4\tfoo\n`);
});

test('resolv.conf on the default bridge: the host\'s without loopback servers, or Google\'s', async () => {
  const host = await conf('# generated\nsearch corp.example\nnameserver 127.0.0.53\nnameserver 10.255.255.53\noptions edns0\n');
  assert.equal(await resolvConfFile(rec(), sandbox(host, ['172.17.0.2'])), '# generated\nsearch corp.example\nnameserver 10.255.255.53\noptions edns0\n');
  const onlyLoop = await conf('nameserver 127.0.0.53\n');
  assert.equal(await resolvConfFile(rec(), sandbox(onlyLoop, ['172.17.0.2'])), 'nameserver 8.8.8.8\nnameserver 8.8.4.4\n');
  assert.equal(await resolvConfFile(rec(), sandbox(host, [], 'host')), '# generated\nsearch corp.example\nnameserver 127.0.0.53\nnameserver 10.255.255.53\noptions edns0\n', 'host mode: as it is');
});

test('resolv.conf with --dns, --dns-search, --dns-option as Docker builds it', async () => {
  const host = await conf('search corp.example\nnameserver 10.255.255.53\noptions edns0\n');
  const r = rec({ Dns: ['9.9.9.9', '1.1.1.1'], DnsSearch: ['foo.com', 'bar.com'], DnsOptions: ['ndots:2', 'timeout:3'] });
  assert.equal(await resolvConfFile(r, sandbox(host, ['172.17.0.2'])), 'search foo.com bar.com\nnameserver 9.9.9.9\nnameserver 1.1.1.1\noptions ndots:2 timeout:3\n');
  assert.equal(await resolvConfFile(rec({ DnsSearch: ['.'] }), sandbox(host, ['172.17.0.2'])), 'nameserver 10.255.255.53\noptions edns0\n');
});

test('resolv.conf on a user network names the embedded server, with ndots:0 unless one is given', async () => {
  const host = await conf('nameserver 10.255.255.53\n');
  assert.equal(await resolvConfFile(rec(), sandbox(host, ['172.21.0.2']), { dnsServer: '172.21.0.1' }), 'nameserver 172.21.0.1\noptions ndots:0\n');
  const r = rec({ Dns: ['9.9.9.9'], DnsSearch: ['foo.com'], DnsOptions: ['timeout:3'] });
  assert.equal(await resolvConfFile(r, sandbox(host, ['172.21.0.2']), { dnsServer: '172.21.0.1' }), 'search foo.com\nnameserver 172.21.0.1\noptions timeout:3 ndots:0\n');
  assert.equal(await resolvConfFile(rec({ DnsOptions: ['ndots:3'] }), sandbox(host, ['172.21.0.2']), { dnsServer: '172.21.0.1' }), 'nameserver 172.21.0.1\noptions ndots:3\n');
});

test('create-time checks in Docker\'s words', () => {
  assert.throws(() => validateExtraHosts(['foo']), { code: 'INVALID_ARGUMENT', message: 'bad format for add-host: "foo"' });
  assert.throws(() => validateExtraHosts(['foo:bar']), { message: 'invalid IP address in add-host: "bar"' });
  validateExtraHosts(['a:1.2.3.4', 'b:host-gateway', 'c:::1', 'd=5.6.7.8']);
  assert.throws(() => validateEtcForMode({ NetworkMode: 'container:x' }, 'h'), { message: 'conflicting options: hostname and the network mode' });
  assert.throws(() => validateEtcForMode({ NetworkMode: 'container:x', Dns: ['1.1.1.1'] }, ''), { message: 'conflicting options: dns and the network mode' });
  assert.throws(() => validateEtcForMode({ NetworkMode: 'container:x', ExtraHosts: ['a:1.1.1.1'] }, ''), { message: 'conflicting options: custom host-to-IP mapping and the network mode' });
  validateEtcForMode({ NetworkMode: 'bridge', Dns: ['1.1.1.1'] }, 'h');
  assert.deepEqual(parseResolvConf('search a\nsearch b c\noptions x\noptions y\n'), { nameservers: [], search: ['b', 'c'], options: ['x', 'y'] });
});
