/**
 * Published ports with real traffic: busybox httpd in containers, reached from the host on
 * 127.0.0.1 and on the bridge's gateway address (an address berth made), from another
 * container and from the container itself through the host (hairpin); UDP to a server in the
 * container's namespace; ranges, -P and picked ports; ports already taken; the NAT rules
 * counted before and after, across a restart and a daemon restart.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import dgram from 'node:dgram';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TestDaemon, run } from '../harness';

const d = new TestDaemon('port');
const HTTPD = 'mkdir -p /www && hostname > /www/index.html && httpd -f -p 80 -h /www';

before(async () => { await d.start(); });
after(async () => { await d.stop(); });

/** GET / on ip:port from the host; the body, or the error's code. */
function httpGet(ip: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get({ host: ip, port, path: '/', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (b) => { body += b; });
      res.on('end', () => resolve(body.trim()));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** GET / until the body is `want` (the server in a fresh container needs a moment), at most 5 s. */
async function httpUntil(ip: string, port: number, want: string): Promise<string> {
  let got = '';
  for (let i = 0; i < 50 && got !== want; i++) {
    got = await httpGet(ip, port);
    if (got !== want) await new Promise((r) => setTimeout(r, 100));
  }
  return got;
}

/** GET / on ip:port from inside a container (busybox nc); the body. */
async function httpFrom(container: string, ip: string, port: number): Promise<string> {
  const r = await d.cli(['exec', container, 'sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} ${port} | tail -n 1`]);
  return r.stdout.trim();
}

/** The rules and berth's port chains in the daemon's nft table. */
async function nftState(): Promise<{ rules: number; portChains: string[] }> {
  const r = await run('nft', ['-j', 'list', 'table', 'ip', `berth-${d.bridge}`]);
  const items = (JSON.parse(r.stdout).nftables ?? []) as { rule?: unknown; chain?: { name: string } }[];
  return { rules: items.filter((i) => i.rule).length, portChains: items.flatMap((i) => (i.chain?.name.startsWith('port-') ? [i.chain.name] : [])) };
}

/** Whether a program other than berthd could listen on 0.0.0.0:port now. */
function canListen(port: number, host = '0.0.0.0'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** A base port with count free ports from it, below the ephemeral range. */
async function freePorts(count: number, from = 20000 + (process.pid % 5000) * 2): Promise<number> {
  for (let base = from; base < 32000; base += count) {
    const all = await Promise.all(Array.from({ length: count }, (_, i) => canListen(base + i)));
    if (all.every(Boolean)) return base;
  }
  throw new Error('no free ports');
}

async function inspect(name: string) { return (await d.api('GET', `/containers/${name}/json`)).json; }

async function runDetached(args: string[]): Promise<void> {
  const r = await d.cli(['run', '-d', ...args]);
  assert.equal(r.code, 0, r.stderr);
}

let baseline: { rules: number; portChains: string[] };

test('-p in every form: host, gateway, another container, hairpin; inspect, port, ps and the list', async () => {
  await d.cli(['run', '--rm', 'busybox', 'true']); // the bridge and its rules exist from here on
  baseline = await nftState();
  assert.deepEqual(baseline.portChains, []);
  const p = await freePorts(2);
  await runDetached(['--name', 'web', '-p', `${p}:80`, '-p', '127.0.0.1::80', '-p', `${p + 1}:81/udp`, '--expose', '90', 'busybox', 'sh', '-c', HTTPD]);
  const c = await inspect('web');
  const gw = c.NetworkSettings.Gateway as string;
  const picked = Number(c.NetworkSettings.Ports['80/tcp'][1].HostPort);
  const [lo, hi] = (await run('cat', ['/proc/sys/net/ipv4/ip_local_port_range'])).stdout.trim().split(/\s+/).map(Number);
  assert.ok(picked >= lo && picked <= hi, `picked ${picked} in ${lo}-${hi}`);
  assert.deepEqual(c.NetworkSettings.Ports, {
    '80/tcp': [{ HostIp: '0.0.0.0', HostPort: String(p) }, { HostIp: '127.0.0.1', HostPort: String(picked) }],
    '81/udp': [{ HostIp: '0.0.0.0', HostPort: String(p + 1) }],
    '90/tcp': null,
  });
  assert.deepEqual(c.HostConfig.PortBindings, {
    '80/tcp': [{ HostIp: '', HostPort: String(p) }, { HostIp: '127.0.0.1', HostPort: '' }], '81/udp': [{ HostIp: '', HostPort: String(p + 1) }],
  });

  const host = c.Config.Hostname as string;
  assert.equal(await httpUntil('127.0.0.1', p, host), host);
  assert.equal(await httpGet('127.0.0.1', picked), host);
  assert.equal(await httpGet(gw, p), host);
  assert.notEqual(await httpGet(gw, picked), host, 'a 127.0.0.1 binding is not on the gateway address');
  await runDetached(['--name', 'client', 'busybox', 'sleep', '60']);
  assert.equal(await httpFrom('client', gw, p), host, 'another container through the host');
  assert.equal(await httpFrom('web', gw, p), host, 'hairpin: the container through the host');

  // UDP: a server in the container's namespace answers a datagram sent to the host port.
  const server = spawn('nsenter', [`--net=${c.NetworkSettings.SandboxKey}`, process.execPath, '-e',
    "const s=require('dgram').createSocket('udp4');s.on('message',(m,r)=>s.send('echo:'+m,r.port,r.address));s.bind(81,()=>console.log('ready'))"]);
  try {
    await new Promise((r) => server.stdout.once('data', r));
    for (const ip of ['127.0.0.1', gw]) {
      const reply = await new Promise<string>((resolve) => {
        const s = dgram.createSocket('udp4');
        const t = setTimeout(() => { s.close(); resolve('timeout'); }, 3000);
        s.on('message', (m) => { clearTimeout(t); s.close(); resolve(String(m)); });
        s.send(`ping ${ip}`, p + 1, ip);
      });
      assert.equal(reply, `echo:ping ${ip}`);
    }
  } finally { server.kill(); }

  const port = await d.cli(['port', 'web']);
  assert.equal(port.stdout, `80/tcp -> 0.0.0.0:${p}\n80/tcp -> 127.0.0.1:${picked}\n81/udp -> 0.0.0.0:${p + 1}\n`);
  assert.equal((await d.cli(['port', 'web', '81/udp'])).stdout, `0.0.0.0:${p + 1}\n`);
  const none = await d.cli(['port', 'web', '90']);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, "Error: No public port '90' published for web\n");
  const ps = await d.cli(['ps', '--filter', 'name=web', '--format', '{{.Ports}}']);
  assert.equal(ps.stdout, `90/tcp, 0.0.0.0:${p}->80/tcp, 127.0.0.1:${picked}->80/tcp, 0.0.0.0:${p + 1}->81/udp\n`);
  const list = (await d.api('GET', '/containers/json?filters=' + encodeURIComponent(JSON.stringify({ name: ['^/web$'] })))).json[0].Ports;
  assert.deepEqual(new Set(list.map((x: object) => JSON.stringify(x))), new Set([
    { IP: '0.0.0.0', PrivatePort: 80, PublicPort: p, Type: 'tcp' }, { IP: '127.0.0.1', PrivatePort: 80, PublicPort: picked, Type: 'tcp' },
    { IP: '0.0.0.0', PrivatePort: 81, PublicPort: p + 1, Type: 'udp' }, { PrivatePort: 90, Type: 'tcp' },
  ].map((x) => JSON.stringify(x))));

  // The host ports are held: no other program can take them while the container runs.
  assert.equal(await canListen(p), false);
  assert.equal((await nftState()).portChains.length, 6);
  assert.equal((await d.cli(['stop', '-t', '0', 'web'])).code, 0);
  assert.deepEqual(await inspect('web').then((x) => x.NetworkSettings.Ports), {});
  assert.equal(await canListen(p), true, 'freed at stop');
  assert.deepEqual(await nftState(), baseline, 'no rule left after stop');
  await d.cli(['rm', '-f', 'web', 'client']);
});

test('ranges and -P: each port of a range and every exposed port reachable', async () => {
  const p = await freePorts(3);
  const httpds = [0, 1, 2].map((i) => `httpd -p ${p + i} -h /www`).join('; ');
  await runDetached(['--name', 'range', '-p', `${p}-${p + 2}:${p}-${p + 2}`, '--expose', '90', '--expose', '53/udp', '-P', 'busybox', 'sh', '-c',
    `mkdir -p /www && hostname > /www/index.html && ${httpds}; httpd -f -p 90 -h /www`]);
  const c = await inspect('range');
  const host = c.Config.Hostname as string;
  for (let i = 0; i < 3; i++) assert.equal(await httpUntil('127.0.0.1', p + i, host), host);
  const p90 = Number(c.NetworkSettings.Ports['90/tcp'][0].HostPort);
  const p53 = Number(c.NetworkSettings.Ports['53/udp'][0].HostPort);
  assert.ok(p90 >= 32768 && p53 >= 32768, `picked ${p90} and ${p53}`);
  assert.equal(await httpUntil('127.0.0.1', p90, host), host);
  const ps = await d.cli(['ps', '--filter', 'name=range', '--format', '{{.Ports}}']);
  assert.equal(ps.stdout, `0.0.0.0:${p}-${p + 2}->${p}-${p + 2}/tcp, 0.0.0.0:${p53}->53/udp, 0.0.0.0:${p90}->90/tcp\n`);
  await d.cli(['rm', '-f', 'range']);
  assert.equal((await nftState()).rules, baseline.rules);
});

test('a host port already taken fails the start with Docker\'s error and leaves nothing behind', async () => {
  const p = await freePorts(2);
  const holder = net.createServer().listen(p, '127.0.0.1');
  await new Promise((r) => holder.once('listening', r));
  try {
    const r = await d.cli(['run', '-d', '--name', 'taken', '-p', `${p}:80`, 'busybox', 'sleep', '60']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, new RegExp(`^berth: Error response from daemon: driver failed programming external connectivity on endpoint taken \\([0-9a-f]+\\): listen tcp4 0\\.0\\.0\\.0:${p}: bind: address already in use\\n`));
    assert.equal((await inspect('taken')).State.Status, 'created');
    assert.equal((await nftState()).rules, baseline.rules);
  } finally { holder.close(); }

  await runDetached(['--name', 'owner', '-p', `${p + 1}:80`, 'busybox', 'sleep', '60']);
  const again = await d.cli(['run', '-d', '--name', 'second', '-p', `127.0.0.1:${p}:80`, '-p', `${p + 1}:80`, 'busybox', 'sleep', '60']);
  assert.equal(again.code, 125);
  assert.match(again.stderr, new RegExp(`: Bind for 0\\.0\\.0\\.0:${p + 1} failed: port is already allocated\\n`));
  assert.equal(await canListen(p, '127.0.0.1'), true, 'the port held for the failed start was freed');
  await d.cli(['rm', '-f', 'owner', 'taken', 'second']);
  assert.equal((await nftState()).rules, baseline.rules);

  const bad = await d.cli(['create', '-p', '99999:80', 'busybox']);
  assert.equal(bad.code, 125);
  assert.equal(bad.stderr, "berth: invalid hostPort: 99999\n\nRun 'berth create --help' for more information\n");
  const api = await d.api('POST', '/containers/create', { Image: 'busybox', ExposedPorts: { '80/tcp': {} }, HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '99999' }] } } });
  assert.equal(api.status, 400);
  assert.equal(api.json.message, 'invalid port specification: "99999"');
});

test('rules follow restarts: rebuilt at daemon start for running containers, dropped for gone ones', async () => {
  const p = await freePorts(2);
  await runDetached(['--name', 'keep', '-p', `${p}:80`, 'busybox', 'sh', '-c', HTTPD]);
  await runDetached(['--name', 'gone', '-p', `${p + 1}:80`, 'busybox', 'sh', '-c', HTTPD]);
  const keepHost = (await inspect('keep')).Config.Hostname;
  assert.equal((await d.cli(['restart', '-t', '0', 'keep'])).code, 0);
  assert.equal(await httpUntil('127.0.0.1', p, keepHost), keepHost, 'after berth restart');
  const running = await nftState();
  const gonePid = (await inspect('gone')).State.Pid as number;

  await d.kill('SIGTERM');
  assert.equal(await httpGet('127.0.0.1', p), keepHost, 'the kernel forwards while berthd is down');
  process.kill(gonePid, 'SIGKILL');
  await d.start();
  assert.equal(await httpGet('127.0.0.1', p), keepHost, 'after the daemon restart');
  assert.equal(await canListen(p), false, 'held again by the new berthd');
  assert.equal(await canListen(p + 1), true, 'the exited container\'s port is free');
  const after = await nftState();
  const keepId = (await inspect('keep')).Id as string;
  assert.equal(after.portChains.filter((n) => n.endsWith(keepId)).length, 2);
  assert.equal(after.portChains.length, 6, 'base chains and the running container\'s only');
  assert.equal(after.rules, running.rules - 5, 'the gone container\'s three rules and two jumps removed');
  await d.cli(['stop', '-t', '0', 'keep']);
  assert.deepEqual(await nftState(), baseline);
  await d.cli(['rm', '-f', 'keep', 'gone']);
});

test('iptables=false: ports are held and shown, and berth adds no rule', async () => {
  const off = new TestDaemon('portoff');
  try {
    await off.start();
    await off.kill();
    await writeFile(join(off.dataRoot, 'daemon.json'), '{"iptables": false}');
    await off.start();
    const p = await freePorts(1);
    const r = await off.cli(['run', '-d', '--name', 'quiet', '-p', `${p}:80`, 'busybox', 'sleep', '60']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await off.cli(['port', 'quiet'])).stdout, `80/tcp -> 0.0.0.0:${p}\n`);
    assert.equal(await canListen(p), false);
    const table = await run('nft', ['list', 'table', 'ip', `berth-${off.bridge}`]);
    assert.doesNotMatch(table.stdout, /port-|dnat/);
    await off.cli(['rm', '-f', 'quiet']);
    assert.equal(await canListen(p), true);
  } finally { await off.stop(); }
});
