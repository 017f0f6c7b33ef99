import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, run, type RunResult } from '../harness';

/**
 * Black-box compatibility: the real docker CLIs on these machines, pointed at a berthd of the
 * test's own. Docker 28 (/usr/local/bin/docker) is always present; Debian's 20.10
 * (/usr/bin/docker, API 1.41) only sometimes, so its cases skip when it is absent.
 */
const CLIENTS = [
  { name: 'docker 28', bin: '/usr/local/bin/docker', prefix: 'c28' },
  { name: 'docker 20.10', bin: '/usr/bin/docker', prefix: 'c20' },
];

const d = new TestDaemon('dcli');
let config = '';

function docker(bin: string, args: string[], opts: { input?: string } = {}): Promise<RunResult> {
  return run(bin, args, { ...opts, env: { DOCKER_HOST: d.host, DOCKER_CONFIG: config, DOCKER_CONTEXT: '' } });
}

describe('docker CLI against berthd', () => {
before(async () => {
  config = await mkdtemp(join(tmpdir(), 'berth-dcli-config-'));
  await d.start();
});
after(async () => {
  const died = d.proc?.exitCode !== null;
  await d.stop();
  if (config) await rm(config, { recursive: true, force: true });
  assert.ok(!died, `berthd exited during the tests: ${d.log}`);
});

for (const client of CLIENTS) {
  const present = existsSync(client.bin);
  const skip = present ? false : `${client.bin} not installed`;
  const dk = (args: string[], opts: { input?: string } = {}) => docker(client.bin, args, opts);
  const name = (s: string) => `${client.prefix}-${s}`;

  describe(client.name, { skip }, () => {
    test('run --rm prints the output', async () => {
      const r = await dk(['run', '--rm', 'busybox', 'echo', 'hi']);
      assert.equal(r.stdout, 'hi\n', r.stderr);
      assert.equal(r.code, 0);
    });

    test('run -i pipes stdin through', async () => {
      const r = await dk(['run', '--rm', '-i', 'busybox', 'cat'], { input: 'hi\n' });
      assert.equal(r.stdout, 'hi\n', r.stderr);
      assert.equal(r.code, 0);
    });

    test('the exit code of the container is the exit code of run', async () => {
      const r = await dk(['run', '--rm', 'busybox', 'sh', '-c', 'exit 3']);
      assert.equal(r.code, 3, r.stderr);
    });

    test('a missing command exits 127', async () => {
      const r = await dk(['run', '--rm', 'busybox', 'nosuchcmd']);
      assert.equal(r.code, 127, r.stderr);
      assert.match(r.stderr, /nosuchcmd/);
    });

    test('the lifecycle of a detached container', async () => {
      const x = name('x');
      const r = await dk(['run', '-d', '--name', x, 'busybox', 'sh', '-c', 'echo logged-line; exec sleep 100']);
      assert.equal(r.code, 0, r.stderr);
      const id = r.stdout.trim();
      assert.match(id, /^[0-9a-f]{64}$/);

      const ps = await dk(['ps']);
      assert.equal(ps.code, 0, ps.stderr);
      const line = ps.stdout.split('\n').find((l) => l.includes(x));
      assert.ok(line, ps.stdout);
      assert.match(line!, /\bUp /);
      assert.ok(line!.startsWith(id.slice(0, 12)), line);
      assert.match(ps.stdout.split('\n')[0], /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);

      const q = await dk(['ps', '-a', '-q']);
      assert.ok(q.stdout.split('\n').includes(id.slice(0, 12)), q.stdout);

      let logs: RunResult | undefined;
      for (let i = 0; i < 50; i++) {
        logs = await dk(['logs', x]);
        if (logs.stdout) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      assert.equal(logs!.stdout, 'logged-line\n', logs!.stderr);
      assert.equal(logs!.code, 0);

      const running = await dk(['inspect', '-f', '{{.State.Running}}', x]);
      assert.equal(running.stdout, 'true\n', running.stderr);

      const stop = await dk(['stop', '-t', '1', x]);
      assert.equal(stop.code, 0, stop.stderr);
      assert.equal(stop.stdout, `${x}\n`);
      const psa = await dk(['ps', '-a']);
      const stopped = psa.stdout.split('\n').find((l) => l.includes(x));
      assert.match(stopped ?? '', /Exited \((137|143)\)/, psa.stdout);
      assert.equal((await dk(['inspect', '-f', '{{.State.Running}}', x])).stdout, 'false\n');

      const rmr = await dk(['rm', '-f', x]);
      assert.equal(rmr.code, 0, rmr.stderr);
      assert.equal(rmr.stdout, `${x}\n`);
      const after = await dk(['ps', '-a']);
      assert.ok(!after.stdout.includes(x), after.stdout);
      const gone = await dk(['inspect', x]);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, new RegExp(`No such (object|container): ${x}`));
    });

    test('images lists busybox latest', async () => {
      const r = await dk(['images']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.split('\n')[0], /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE/);
      assert.ok(r.stdout.split('\n').some((l) => /^busybox\s+latest\s+[0-9a-f]{12}\s/.test(l)), r.stdout);
    });

    test('version shows the Server section with its API version', async () => {
      const r = await dk(['version']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Server:/m);
      assert.match(r.stdout, /^ Engine:\n  Version:\s+\S+\n  API version:\s+1\.\d+/m);
      const f = await dk(['version', '-f', '{{.Server.APIVersion}}']);
      assert.match(f.stdout, /^1\.\d+\n$/, f.stderr);
    });

    test('info exits 0 and shows Server Version', async () => {
      const r = await dk(['info']);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /Server Version: \S+/);
    });

    test('rm of an unknown container is a daemon error and exit 1', async () => {
      const r = await dk(['rm', 'nosuch']);
      assert.equal(r.code, 1);
      // Docker 20.10's client rewrites a 404 on rm as its own not-found error, against Docker too.
      const expected = client.prefix === 'c20' ? 'Error: No such container: nosuch\n' : 'Error response from daemon: No such container: nosuch\n';
      assert.equal(r.stderr, expected);
    });

    test('start of a running container, restart, and rm of a running one', async () => {
      const x = name('busy');
      const r = await dk(['run', '-d', '--name', x, 'busybox', 'sleep', '100']);
      assert.equal(r.code, 0, r.stderr);
      const id = r.stdout.trim();
      const start = await dk(['start', x]);
      assert.equal(start.code, 0, start.stderr);
      assert.equal(start.stdout, `${x}\n`);
      const rs = await dk(['restart', '-t', '1', x]);
      assert.equal(rs.code, 0, rs.stderr);
      assert.equal((await dk(['inspect', '-f', '{{.State.Running}}', x])).stdout, 'true\n');
      const rm = await dk(['rm', x]);
      assert.equal(rm.code, 1);
      assert.match(rm.stderr, /^Error response from daemon: .*(container is running|cannot remove a running container)/i);
      assert.equal((await dk(['stop', '-t', '1', x])).code, 0);
      const again = await dk(['stop', x]);
      assert.equal(again.code, 0, again.stderr);
      const kill = await dk(['kill', x]);
      assert.equal(kill.code, 1);
      assert.equal(kill.stderr, `Error response from daemon: cannot kill container: ${x}: container ${id} is not running\n`);
      assert.equal((await dk(['rm', x])).code, 0);
    });

    test('kill of an unknown container names the operation', async () => {
      const r = await dk(['kill', 'nosuch']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'Error response from daemon: cannot kill container: nosuch: No such container: nosuch\n');
    });

    test('run -t gives the container a terminal', async () => {
      const r = await dk(['run', '--rm', '-t', 'busybox', 'sh', '-c', 'tty; echo $TERM']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '/dev/pts/0\r\nxterm\r\n');
    });

    test('exec runs a command in a running container, with stdin and exit codes', async () => {
      const x = name('exec');
      assert.equal((await dk(['run', '-d', '--name', x, 'busybox', 'sleep', '100'])).code, 0);
      try {
        const r = await dk(['exec', x, 'echo', 'execd']);
        assert.equal(r.stdout, 'execd\n', r.stderr);
        assert.equal(r.code, 0);
        assert.equal((await dk(['exec', x, 'sh', '-c', 'exit 6'])).code, 6);
        assert.equal((await dk(['exec', '-i', x, 'cat'], { input: 'piped\n' })).stdout, 'piped\n');
        assert.equal((await dk(['exec', x, 'nosuchcmd'])).code, 127);
      } finally {
        await dk(['rm', '-f', x]);
      }
    });

    test('a second run with the same name is a Conflict', async () => {
      const x = name('dup');
      const a = await dk(['run', '--name', x, 'busybox', 'true']);
      assert.equal(a.code, 0, a.stderr);
      const id = (await dk(['inspect', '-f', '{{.Id}}', x])).stdout.trim();
      const b = await dk(['run', '--name', x, 'busybox', 'true']);
      assert.equal(b.code, 125);
      assert.ok(b.stderr.includes(`Conflict. The container name "/${x}" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`), b.stderr);
      await dk(['rm', '-f', x]);
    });
  });
}

describe('Engine API', () => {
  for (const method of ['GET', 'HEAD']) {
    test(`${method} /_ping has docker's headers`, async () => {
      const r = await d.api(method, '/_ping');
      assert.equal(r.status, 200);
      assert.equal(r.body, method === 'GET' ? 'OK' : '');
      assert.match(String(r.headers['api-version']), /^1\.\d+$/);
      assert.equal(r.headers['ostype'], 'linux');
      assert.match(String(r.headers['server']), /^\S+\/\S+ \(linux\)$/);
      assert.equal(r.headers['swarm'], 'inactive');
      assert.equal(r.headers['cache-control'], 'no-cache, no-store, must-revalidate');
    });
  }

  test('an old version prefix is accepted', async () => {
    const r = await d.api('GET', '/v1.24/version');
    assert.equal(r.status, 200);
    assert.match(r.json.ApiVersion, /^1\.\d+$/);
    assert.equal(r.json.Os, 'linux');
  });

  test('a version above the maximum is a 400', async () => {
    const r = await d.api('GET', '/v1.99/version');
    assert.equal(r.status, 400);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.json.message, 'client version 1.99 is too new. Maximum supported API version is 1.47');
  });

  test('a malformed JSON body on create is a 400', async () => {
    const r = await d.api('POST', '/containers/create', '{"Image": "busybox",');
    assert.equal(r.status, 400);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(typeof r.json.message, 'string');
  });

  test('an invalid container name is a 400 in docker words', async () => {
    const r = await d.api('POST', '/containers/create?name=' + encodeURIComponent('bad name!'), { Image: 'busybox' });
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'Invalid container name (bad name!), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed');
  });

  test('wait with condition=removed returns once the container is gone', async () => {
    const c = await d.api('POST', '/containers/create?name=api-waitrm', { Image: 'busybox', Cmd: ['sh', '-c', 'exit 7'], HostConfig: { AutoRemove: true } });
    assert.equal(c.status, 201, c.body);
    const waiting = d.api('POST', `/containers/${c.json.Id}/wait?condition=removed`);
    await new Promise((res) => setTimeout(res, 200));
    const s = await d.api('POST', `/containers/${c.json.Id}/start`);
    assert.equal(s.status, 204, s.body);
    const w = await waiting;
    assert.equal(w.status, 200, w.body);
    assert.equal(w.json.StatusCode, 7);
    const gone = await d.api('GET', `/containers/${c.json.Id}/json`);
    assert.equal(gone.status, 404);
  });
});
});
