import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import { TestDaemon, run } from '../harness';

// Name resolution on user networks (berthd's embedded DNS), links and icc on the default
// bridge, and the /etc files. Traffic stays between containers' namespaces, the bridges'
// gateways and a fake upstream resolver on loopback.
const d = new TestDaemon('dnsl');
const UPSTREAM = '127.0.0.153';
const upstream = dgram.createSocket('udp4');
let upstreamQueries = 0;

before(async () => {
  // The fake upstream: ext.example is 192.0.2.55 (never contacted), anything else NXDOMAIN.
  upstream.on('message', (msg, r) => {
    upstreamQueries++;
    const q = dnsPacket.decode(msg);
    const known = q.questions![0].name === 'ext.example' && q.questions![0].type === 'A';
    upstream.send(dnsPacket.encode({
      type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE | (known || q.questions![0].name === 'ext.example' ? 0 : 3),
      questions: q.questions, answers: known ? [{ type: 'A', name: 'ext.example', ttl: 5, data: '192.0.2.55' }] : [],
    }), r.port, r.address);
  });
  await new Promise<void>((r) => upstream.bind(53, UPSTREAM, () => r()));
  await d.start();
});
after(async () => {
  upstream.close();
  await d.stop();
  await run('nft', ['delete', 'table', 'bridge', `berth-${d.bridge}`]);
});

async function ok(args: string[]): Promise<string> {
  const r = await d.cli(args);
  assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const inspect = async (name: string) => (await d.api('GET', `/containers/${name}/json`)).json;

/**
 * busybox-static's wget crashes when it resolves a name (static glibc's getaddrinfo) or is given
 * -T (the same under Docker): scripts resolve with ping (`PING name (ip)`), connect by address
 * and bound the wait with timeout(1).
 */
const RESOLVE = `resolve() { ping -c1 -W1 "$1" 2>/dev/null | sed -n 's/^PING [^ ]* (\\([0-9.]*\\)).*/\\1/p'; }`;

/** Every `Address: x` of busybox nslookup's answers (the server's own line left out). */
const addresses = (out: string) => [...out.matchAll(/^Address:\s+(\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1]);

test('user network: names, aliases, short IDs, hostnames and name.network resolve; the default bridge has no names', async () => {
  await ok(['network', 'create', 'dnsnet']);
  await ok(['run', '-d', '--name', 'web1', '--network', 'dnsnet', '--network-alias', 'www', '--network-alias', 'pool', '-h', 'front', 'busybox',
    'sh', '-c', 'mkdir -p /www && echo web1-page > /www/index.html && exec httpd -f -p 80 -h /www']);
  await ok(['run', '-d', '--name', 'web2', '--network', 'dnsnet', '--network-alias', 'pool', 'busybox', 'sleep', '60']);
  const [w1, w2] = [await inspect('web1'), await inspect('web2')];
  const ip1 = w1.NetworkSettings.Networks.dnsnet.IPAddress;
  const ip2 = w2.NetworkSettings.Networks.dnsnet.IPAddress;
  const gateway = w1.NetworkSettings.Networks.dnsnet.Gateway;
  assert.match(ip1, /^\d+\.\d+\.\d+\.\d+$/);

  const out = await ok(['run', '--rm', '--network', 'dnsnet', '--dns', UPSTREAM, 'busybox', 'sh', '-c', [
    RESOLVE, 'cat /etc/resolv.conf', 'echo ---',
    'for n in web1 www front WEB1.dnsnet ' + w1.Id.slice(0, 12) + '; do nslookup $n | grep -A9 answer; echo =; done', 'echo ---',
    'nslookup pool; echo ---', `nslookup ${ip2}; echo ---`,
    'timeout 3 wget -qO- http://$(resolve www)/', 'ping -c1 -W2 web2 >/dev/null && echo ping-ok', 'echo ---',
    'nslookup ext.example; echo ---', 'nslookup nothere.example; echo rc=$?',
  ].join('; ')]);
  const [resolv, each, pool, ptr, traffic, ext, none] = out.split('---\n');
  assert.equal(resolv, `nameserver ${gateway}\noptions ndots:0\n`, 'resolv.conf names the embedded server on the gateway');
  const answers = each.split('=\n').slice(0, 5).map(addresses);
  assert.deepEqual(answers, [[ip1], [ip1], [ip1], [ip1], [ip1]], each);
  assert.deepEqual(addresses(pool).sort(), [ip1, ip2].sort(), 'a shared alias answers every holder');
  assert.match(ptr, new RegExp(`name = web2\\.dnsnet`), 'PTR names the container');
  assert.equal(traffic, 'web1-page\nping-ok\n');
  assert.deepEqual(addresses(ext), ['192.0.2.55'], 'other names go to the container\'s --dns servers');
  assert.match(none, /NXDOMAIN/);
  assert.match(none, /rc=1/);
  assert.ok(upstreamQueries >= 2, 'the upstream was asked');

  // The default bridge: the host's resolvers, no embedded server, and no names of user networks.
  const bridged = await ok(['run', '--rm', 'busybox', 'cat', '/etc/resolv.conf']);
  assert.doesNotMatch(bridged, new RegExp(`nameserver ${gateway.replace(/\./g, '\\.')}`));
  assert.doesNotMatch(bridged, /ndots:0/);

  // network connect: a line for the new network in /etc/hosts, the embedded server in resolv.conf.
  await ok(['run', '-d', '--name', 'late', '-h', 'latehost', 'busybox', 'sleep', '60']);
  await ok(['network', 'connect', 'dnsnet', 'late']);
  const late = (await inspect('late')).NetworkSettings.Networks;
  const joined = await ok(['exec', 'late', 'sh', '-c', 'tail -2 /etc/hosts; cat /etc/resolv.conf; nslookup web2 | grep -A2 answer']);
  assert.equal(joined.split('\n').slice(0, 4).join('\n'), `${late.bridge.IPAddress}\tlatehost\n${late.dnsnet.IPAddress}\tlatehost\nnameserver ${gateway}\noptions ndots:0`);
  assert.deepEqual(addresses(joined), [ip2]);
  await ok(['network', 'disconnect', 'dnsnet', 'late']);
  assert.equal(await ok(['exec', 'late', 'tail', '-1', '/etc/hosts']), `${late.bridge.IPAddress}\tlatehost\n`);
  await ok(['rm', '-f', 'web1', 'web2', 'late']);
});

test('a shared alias rotates between its holders across queries', async () => {
  await ok(['run', '-d', '--name', 'rr1', '--network', 'dnsnet', '--network-alias', 'rr', 'busybox', 'sleep', '60']);
  await ok(['run', '-d', '--name', 'rr2', '--network', 'dnsnet', '--network-alias', 'rr', 'busybox', 'sleep', '60']);
  const out = await ok(['run', '--rm', '--network', 'dnsnet', 'busybox', 'sh', '-c', 'for i in 1 2 3 4; do ping -c1 -W1 rr | head -1; done']);
  const firsts = new Set([...out.matchAll(/\((\d+\.\d+\.\d+\.\d+)\)/g)].map((m) => m[1]));
  assert.equal(firsts.size, 2, out);
  await ok(['rm', '-f', 'rr1', 'rr2']);
});

test('/etc/hosts and /etc/resolv.conf from -h, --domainname, --add-host, --dns*, as Docker writes them', async () => {
  const out = await ok(['run', '--rm', '-h', 'hh', '--domainname', 'example.com', '--add-host', 'foo:1.2.3.4', '--add-host', 'bar=5.6.7.8',
    '--add-host', 'gw:host-gateway', '--dns', '9.9.9.9', '--dns-search', 'a.example', '--dns-option', 'ndots:2', 'busybox',
    'sh', '-c', 'cat /etc/hosts; echo ---; cat /etc/resolv.conf; echo ---; hostname; cat /etc/hostname']);
  const [hosts, resolv, names] = out.split('---\n');
  const bridgeGw = (await d.api('GET', '/networks/bridge')).json.IPAM.Config[0].Gateway;
  assert.match(hosts, /^127\.0\.0\.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n/);
  const tail = hosts.split('\n').slice(6);
  assert.deepEqual(tail.slice(0, 3), ['1.2.3.4\tfoo', '5.6.7.8\tbar', `${bridgeGw}\tgw`]);
  assert.match(tail[3], /^\d+\.\d+\.\d+\.\d+\thh\.example\.com hh$/);
  assert.equal(resolv, 'search a.example\nnameserver 9.9.9.9\noptions ndots:2\n');
  assert.equal(names, 'hh\nhh\n');

  // host mode: the host's own files; container:<name>: the other container's.
  assert.equal(await ok(['run', '--rm', '--network', 'host', 'busybox', 'cat', '/etc/hosts']), await readFile('/etc/hosts', 'utf8'));
  await ok(['run', '-d', '--name', 'owner', '-h', 'ownerhost', '--add-host', 'only.owner:10.1.2.3', 'busybox', 'sleep', '60']);
  const joined = await ok(['run', '--rm', '--network', 'container:owner', 'busybox', 'sh', '-c', 'tail -2 /etc/hosts; hostname']);
  assert.match(joined, /^10\.1\.2\.3\tonly\.owner\n\d+\.\d+\.\d+\.\d+\townerhost\nownerhost\n$/);
  await ok(['rm', '-f', 'owner']);

  const bad = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { ExtraHosts: ['foo:bar'] } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.message, 'invalid IP address in add-host: "bar"');
  const shared = await d.cli(['create', '--network', 'container:nosuch', '-h', 'x', 'busybox']);
  assert.match(shared.stderr, /conflicting options: hostname and the network mode/);
});

test('links on the default bridge: /etc/hosts, variables, inspect, traffic, and Docker\'s errors', async () => {
  await ok(['run', '-d', '--name', 'db', '--expose', '80', '-e', 'FOO=bar', 'busybox', 'sh', '-c', 'mkdir -p /www && echo db-page > /www/index.html && exec httpd -f -p 80 -h /www']);
  const db = await inspect('db');
  const ip = db.NetworkSettings.Networks.bridge.IPAddress;
  await ok(['create', '--name', 'parent', '--link', 'db:dbalias', 'busybox', 'sh', '-c', `${RESOLVE}; grep dbalias /etc/hosts; env | grep ^DBALIAS | sort; timeout 3 wget -qO- http://$(resolve dbalias)/`]);
  assert.deepEqual((await inspect('parent')).HostConfig.Links, ['/db:/parent/dbalias']);
  const out = await ok(['start', '-a', 'parent']);
  assert.equal(out, [
    `${ip}\tdbalias ${db.Config.Hostname} db`,
    'DBALIAS_ENV_FOO=bar', 'DBALIAS_NAME=/parent/dbalias', `DBALIAS_PORT=tcp://${ip}:80`, `DBALIAS_PORT_80_TCP=tcp://${ip}:80`,
    `DBALIAS_PORT_80_TCP_ADDR=${ip}`, 'DBALIAS_PORT_80_TCP_PORT=80', 'DBALIAS_PORT_80_TCP_PROTO=tcp', 'db-page', '',
  ].join('\n'));

  // A running parent follows its child to a new address.
  await ok(['run', '-d', '--name', 'parent2', '--link', 'db:dbalias', 'busybox', 'sleep', '60']);
  await ok(['stop', '-t', '0', 'db']);
  // Two starts between take db's old address (the attacher keeps one address prepared ahead).
  await ok(['run', '-d', '--name', 'filler1', 'busybox', 'sleep', '60']);
  await ok(['run', '-d', '--name', 'filler2', 'busybox', 'sleep', '60']);
  await ok(['start', 'db']);
  const moved = (await inspect('db')).NetworkSettings.Networks.bridge.IPAddress;
  assert.ok(moved && moved !== ip, `db has another address after its restart: ${ip} -> ${moved}`);
  assert.equal(await ok(['exec', 'parent2', 'grep', 'dbalias', '/etc/hosts']), `${moved}\tdbalias ${db.Config.Hostname} db\n`);

  const missing = await d.cli(['run', '--rm', '--link', 'nosuch:x', 'busybox', 'true']);
  assert.equal(missing.code, 125);
  assert.match(missing.stderr, /could not get container for nosuch: No such container: nosuch/);
  await ok(['create', '--name', 'stopped', 'busybox', 'true']);
  const stopped = await d.cli(['run', '--name', 'linker', '--link', 'stopped:s', 'busybox', 'true']);
  assert.match(stopped.stderr, /Cannot link to a non running container: \/stopped AS \/linker\/s/);
  const hostMode = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { NetworkMode: 'host', Links: ['db:x'] } });
  assert.equal(hostMode.status, 400);
  await ok(['rm', '-f', 'db', 'parent', 'parent2', 'filler1', 'filler2', 'stopped', 'linker']);
});

test('icc=false: the default bridge is closed between containers but for a link\'s exposed ports', async () => {
  await d.kill();
  await writeFile(join(d.dataRoot, 'daemon.json'), JSON.stringify({ icc: false }));
  await d.start();
  await ok(['run', '-d', '--name', 'srv', '--expose', '80', 'busybox', 'sh', '-c', 'mkdir -p /www && echo srv-page > /www/index.html && exec httpd -f -p 80 -h /www']);
  const ip = (await inspect('srv')).NetworkSettings.Networks.bridge.IPAddress;
  // timeout(1) must not be PID 1 (which ignores its SIGTERM): sh stays with a second command.
  const stranger = await ok(['run', '--rm', 'busybox', 'sh', '-c', `timeout 2 wget -qO- http://${ip}/; echo rc=$?`]);
  assert.equal(stranger, 'rc=143\n', 'an unlinked container cannot reach it');
  const linked = await ok(['run', '--rm', '--link', 'srv:web', 'busybox', 'sh', '-c', `${RESOLVE}; timeout 3 wget -qO- http://$(resolve web)/; ping -c1 -W1 web >/dev/null && echo ping-ok || echo ping-blocked`]);
  assert.equal(linked, 'srv-page\nping-blocked\n', 'the link opens the exposed port only');
  const table = await run('nft', ['list', 'table', 'bridge', `berth-${d.bridge}`]);
  assert.match(table.stdout, /drop/);
  await ok(['rm', '-f', 'srv']);

  // Back to icc=true: the table goes, and containers reach each other again.
  await d.kill();
  await writeFile(join(d.dataRoot, 'daemon.json'), '{}');
  await d.start();
  assert.notEqual((await run('nft', ['list', 'table', 'bridge', `berth-${d.bridge}`])).code, 0, 'no icc table is left');
});
