/**
 * Hostile requests on the API socket, sent raw: request lines and headers past Go's limit,
 * bytes that are no HTTP, bodies that are not JSON or hold the wrong types, huge query strings,
 * names with `/` and `..`. Each is answered with Docker's status and words (checked against a
 * Docker 20.10 engine: the same Go messages; Docker 20.10 says 500 for a mistyped create or
 * update body where Docker 25+ says 400, as berthd does), berthd keeps answering, and no file
 * named after the test's marker appears outside its data root.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { TestDaemon } from '../harness';

const d = new TestDaemon('hapi');
const MARK = `hostile-api-${process.pid}`;
before(() => d.start());
after(() => d.stop());

/** Sends bytes on a fresh connection and returns what came back until the server closed it or sent a whole head. */
function raw(data: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(d.socket);
    let out = '';
    const timer = setTimeout(() => s.destroy(), 10_000);
    s.on('data', (b) => { out += b; if (/\r\n\r\n[^]*\S/.test(out)) s.destroy(); });
    s.on('close', () => { clearTimeout(timer); resolve(out); });
    s.on('error', () => {});
    s.write(data);
  });
}

async function alive(): Promise<void> {
  assert.equal(d.proc?.exitCode, null, 'berthd is still running');
  assert.equal((await d.api('GET', '/_ping')).status, 200);
}

/** Paths named after the marker anywhere a path escape could land (the data root lives in /tmp: its own files are left out). */
function strays(): string[] {
  const out = execFileSync('sh', ['-c', `find /tmp /run /etc /var/lib / -maxdepth 4 -xdev -name '*${MARK}*' 2>/dev/null; true`], { encoding: 'utf8' });
  return [...new Set(out.split('\n').filter((p) => p && !p.startsWith(d.dataRoot + '/') && !p.startsWith(d.execRoot + '/')))];
}

test('request heads past 1 MiB are a 431 in Go\'s plain words, garbage a 400, and the daemon lives on', async () => {
  const big = 'a'.repeat(2 << 20);
  const tooLarge = 'HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large';
  assert.equal(await raw(`GET /_ping HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`), tooLarge);
  assert.equal(await raw(`GET /containers/json?x=${big} HTTP/1.1\r\nHost: x\r\n\r\n`), tooLarge);
  const many = Array.from({ length: 40_000 }, (_, i) => `X-H${i}: ${'v'.repeat(30)}`).join('\r\n');
  assert.equal(await raw(`GET /_ping HTTP/1.1\r\nHost: x\r\n${many}\r\n\r\n`), tooLarge);
  // Under the limit a long head is served, as Go serves it (X-Registry-Auth can be long).
  assert.match(await raw(`GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ${'a'.repeat(900_000)}\r\n\r\n`), /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nOK$/);
  const bad = 'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request';
  assert.equal(await raw('HELLO\r\n\r\n'), bad);
  assert.equal(await raw(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x0d, 0x0a, 0x0d, 0x0a])), bad);
  assert.equal(await raw('GET /_ping HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n'), bad);
  await alive();
});

test('huge query strings under the limit are answered, not crashed on', async () => {
  const filters = await d.api('GET', `/containers/json?filters=${'x'.repeat(500_000)}`);
  assert.equal(filters.status, 400);
  assert.match(filters.json.message, /^invalid filter 'x{100}/);
  const list = await d.api('GET', `/containers/json?all=1&${Array.from({ length: 20_000 }, (_, i) => `k${i}=v`).join('&')}`);
  assert.equal(list.status, 200);
  assert.equal((await d.api('GET', '/containers/json?filters=%ZZ')).status, 400);
  const escape = await d.api('GET', '/containers/%ZZ/json');
  assert.deepEqual([escape.status, escape.json.message], [400, 'invalid URL escape "%ZZ"']);
  await alive();
});

const NOT_JSON = /^invalid JSON: /;

test('bodies that are not JSON are a 400 on every JSON endpoint', async () => {
  const c = await d.api('POST', `/containers/create?name=${MARK}-c`, { Image: 'busybox', Cmd: ['sleep', '300'] });
  assert.equal(c.status, 201, c.body);
  assert.equal((await d.api('POST', `/containers/${MARK}-c/start`)).status, 204);
  const exec = await d.api('POST', `/containers/${MARK}-c/exec`, { Cmd: ['true'] });
  for (const [method, path] of [
    ['POST', '/containers/create'], ['POST', '/networks/create'], ['POST', '/volumes/create'],
    ['POST', `/containers/${MARK}-c/exec`], ['POST', `/containers/${MARK}-c/update`], ['POST', `/exec/${exec.json.Id}/start`],
    ['POST', '/networks/bridge/connect'],
  ]) {
    for (const body of ['not json', '{"Image": ', '{"a":1}}', '\u0000\u00ff\u00fe', '[' .repeat(10_000)]) {
      const r = await d.api(method, path, body);
      assert.equal(r.status, 400, `${path} ${JSON.stringify(body.slice(0, 20))}: ${r.body}`);
      assert.match(r.json.message, NOT_JSON, path);
    }
  }
  // as dockerd's CheckForJSON: a body must come as application/json (parameters allowed)
  for (const [path, ct] of [['/containers/create', 'text/plain'], ['/networks/create', 'application/x-www-form-urlencoded'], ['/volumes/create', 'bad;;;'], [`/containers/${MARK}-c/update`, 'application/jsonx']]) {
    const r = await d.api('POST', path, '{}', { 'Content-Type': ct });
    assert.deepEqual([r.status, r.json.message], [400, `Content-Type specified (${ct}) must be 'application/json'`], path);
  }
  const charset = await d.api('POST', '/volumes/create', { Name: `${MARK}-v` }, { 'Content-Type': 'application/json; charset=utf-8' });
  assert.equal(charset.status, 201, charset.body);
  assert.equal((await d.api('DELETE', `/volumes/${MARK}-v`)).status, 204);
  // in Go's words, as dockerd (Docker 20.10 says them without the prefix, with a 500 on create)
  for (const [body, words] of [
    ['not json', "invalid character 'o' in literal null (expecting 'u')"], ['{"Image": ', 'unexpected EOF'],
    ['{invalid', "invalid character 'i' looking for beginning of object key string"], ['{"Image":"busybox"} {}', 'unexpected content after JSON'],
  ]) {
    const r = await d.api('POST', '/containers/create', body);
    assert.deepEqual([r.status, r.json.message], [400, `invalid JSON: ${words}`]);
  }
  // a body past 16 MiB is refused without holding it all
  const huge = await d.api('POST', '/containers/create', `{"Image":"busybox","Labels":{"a":"${'x'.repeat(20 << 20)}"}}`);
  assert.deepEqual([huge.status, huge.json.message], [400, `invalid JSON: request body exceeds ${16 << 20} bytes`]);
  const nul = await d.api('POST', '/containers/create', 'null');
  assert.deepEqual([nul.status, nul.json.message], [400, 'Config cannot be empty in order to create a container']);
  await alive();
});

test("wrong types in JSON are a 400 in Go's words, never a 500, and create nothing", async () => {
  const before = (await d.api('GET', '/containers/json?all=1')).json.length;
  const cases: Array<[string, unknown, string]> = [
    ['/containers/create', { Image: 5 }, 'ContainerConfigWrapper.Image of type string'],
    ['/containers/create', { Image: 'busybox', HostConfig: 'x' }, 'ContainerConfigWrapper.HostConfig of type container.HostConfig'],
    ['/containers/create', { Image: 'busybox', HostConfig: { Memory: 'big' } }, 'HostConfig.HostConfig.Memory of type int64'],
    ['/containers/create', { Image: 'busybox', HostConfig: { Binds: '/:/host' } }, 'HostConfig.HostConfig.Binds of type []string'],
    ['/containers/create', { Image: 'busybox', HostConfig: { Privileged: 'true' } }, 'HostConfig.HostConfig.Privileged of type bool'],
    ['/containers/create', { Image: 'busybox', Env: 5 }, 'ContainerConfigWrapper.Env of type []string'],
    ['/containers/create', { Image: 'busybox', Cmd: [5] }, 'ContainerConfigWrapper.Cmd of type string'],
    ['/containers/create', { Image: 'busybox', Labels: { a: 5 } }, 'ContainerConfigWrapper.Labels of type string'],
    ['/containers/create', { Image: 'busybox', NetworkingConfig: { EndpointsConfig: 5 } }, 'NetworkingConfig.NetworkingConfig.EndpointsConfig of type map[string]*network.EndpointSettings'],
    ['/containers/create', [1, 2], 'Go value of type runconfig.ContainerConfigWrapper'],
    ['/networks/create', { Name: 5 }, 'NetworkCreateRequest.Name of type string'],
    ['/networks/create', { Name: `${MARK}-n`, IPAM: { Config: 'x' } }, 'IPAM.IPAM.Config of type []network.IPAMConfig'],
    ['/volumes/create', { Name: 5 }, 'VolumeCreateBody.Name of type string'],
    ['/volumes/create', { Labels: 'x' }, 'VolumeCreateBody.Labels of type map[string]string'],
    [`/containers/${MARK}-c/exec`, { Cmd: 'ls' }, 'ExecConfig.Cmd of type []string'],
    [`/containers/${MARK}-c/update`, { Memory: 'big' }, 'UpdateConfig.Memory of type int64'],
    [`/containers/${MARK}-c/update`, { RestartPolicy: { Name: 5 } }, 'RestartPolicy.RestartPolicy.Name of type string'],
  ];
  for (const [path, body, where] of cases) {
    const r = await d.api('POST', path, body);
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${r.body}`);
    assert.match(r.json.message, /^invalid JSON: json: cannot unmarshal (number|string|array|object)( \S+)? into Go (struct field|value) /, r.body);
    assert.ok(r.json.message.endsWith(where), `${r.json.message} ends with ${where}`);
  }
  assert.equal((await d.api('GET', '/containers/json?all=1')).json.length, before, 'no container was created');
  assert.equal((await d.api('GET', `/networks/${MARK}-n`)).status, 404);
  await alive();
});

test('names with / and .. are refused or kept as names, never used as paths', async () => {
  const nameRule = (n: string) => `Invalid container name (${n}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`;
  for (const n of ['a/b', '..', `../../${MARK}`, `..%2F..%2F${MARK}`]) {
    const r = await d.api('POST', `/containers/create?name=${encodeURIComponent(n)}`, { Image: 'busybox' });
    assert.deepEqual([r.status, r.json.message], [400, nameRule(n)]);
  }
  for (const n of ['', '/']) {
    const r = await d.api('POST', `/containers/${MARK}-c/rename?name=${encodeURIComponent(n)}`);
    assert.deepEqual([r.status, r.json.message], [400, 'Neither old nor new names may be empty']);
  }
  for (const n of ['..', `../../${MARK}`, 'a/b']) {
    const r = await d.api('POST', `/containers/${MARK}-c/rename?name=${encodeURIComponent(n)}`);
    assert.deepEqual([r.status, r.json.message], [400, `Error when allocating new name: ${nameRule(`/${n}`)}`]);
  }
  const volRule = (n: string) => `create ${n}: "${n}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`;
  for (const n of ['..', `../../${MARK}`, 'a/b', `${MARK}/..`]) {
    const r = await d.api('POST', '/volumes/create', { Name: n });
    assert.deepEqual([r.status, r.json.message], [400, volRule(n)]);
  }
  for (const [method, path, status, message] of [
    ['GET', `/containers/..%2F..%2F${MARK}/json`, 404, `No such container: ../../${MARK}`],
    ['GET', `/volumes/..%2F..%2F${MARK}`, 404, `get ../../${MARK}: no such volume`],
    ['DELETE', `/volumes/..%2F..%2F${MARK}`, 404, `get ../../${MARK}: no such volume`],
    ['GET', `/images/..%2F..%2F${MARK}/json`, 400, 'invalid reference format'],
    ['POST', `/images/busybox/tag?repo=../../${MARK}&tag=1`, 400, 'invalid reference format'],
    ['POST', `/images/busybox/tag?repo=${MARK}&tag=../x`, 400, 'invalid tag format'],
    ['POST', `/commit?container=${MARK}-c&repo=../../${MARK}`, 400, 'invalid reference format'],
  ] as const) {
    const r = await d.api(method, path);
    assert.deepEqual([r.status, r.json?.message], [status, message], `${method} ${path}`);
  }
  // an import named with .. is refused before anything is read, in Docker's words
  for (const [q, message] of [
    [`repo=../../${MARK}`, 'invalid reference format'], [`repo=a/../${MARK}`, 'invalid reference format'],
    [`repo=${MARK}/..`, 'invalid reference format'], [`repo=${MARK}&tag=../x`, 'invalid tag format'],
  ]) {
    const r = await d.api('POST', `/images/create?fromSrc=-&${q}`, 'not a tar', { 'Content-Type': 'application/x-tar' });
    assert.deepEqual([r.status, r.json?.message], [400, message], q);
  }
  // Docker takes any network name (it is never a path): so does berthd, and it stays a name.
  for (const n of [`../../${MARK}`, `${MARK}/x`, '..']) {
    const r = await d.api('POST', '/networks/create', { Name: n });
    assert.equal(r.status, 201, r.body);
    const got = await d.api('GET', `/networks/${r.json.Id}`);
    assert.equal(got.json.Name, n);
    assert.equal((await d.api('DELETE', `/networks/${r.json.Id}`)).status, 204);
  }
  await alive();
});

test('property: create bodies of the right shape with any values are answered without a 500', async () => {
  const fc = await import('fast-check');
  const str = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', '/', '..', '../../x', 'a/../b', '/etc:/x', 'x'.repeat(300), 'busybox', 'host', 'none', 'container:x'));
  const int = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 53 - 1, -(2 ** 53) + 1, 4, 1024));
  const strs = fc.array(str, { maxLength: 3 });
  const strMap = fc.dictionary(str, str, { maxKeys: 3 });
  // each field is left out most of the time, so that bodies get past the first check they fail
  const some = <T>(arb: import('fast-check').Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: arb, weight: 1 });
  const hostConfig = fc.record({
    Memory: some(int), MemorySwap: some(int), CpuShares: some(int), NanoCpus: some(int), CpuQuota: some(int), CpuPeriod: some(int),
    PidsLimit: some(int), ShmSize: some(int), OomScoreAdj: some(int), BlkioWeight: some(fc.integer({ min: 0, max: 65535 })),
    CpusetCpus: some(str), Binds: some(strs), Dns: some(strs), ExtraHosts: some(strs), CapAdd: some(strs), CapDrop: some(strs),
    SecurityOpt: some(strs), NetworkMode: some(str), IpcMode: some(str), PidMode: some(str), UTSMode: some(str), Tmpfs: some(strMap),
    Sysctls: some(strMap), RestartPolicy: some(fc.record({ Name: str, MaximumRetryCount: int }, { requiredKeys: [] })), Privileged: some(fc.boolean()),
    PortBindings: some(fc.dictionary(str, fc.array(fc.record({ HostIp: str, HostPort: str }, { requiredKeys: [] }), { maxLength: 2 }), { maxKeys: 2 })),
    Mounts: some(fc.array(fc.record({ Type: fc.constantFrom('bind', 'volume', 'tmpfs', 'x'), Source: str, Target: str, ReadOnly: fc.boolean() }, { requiredKeys: [] }), { maxLength: 2 })),
  });
  const body = fc.record({
    Image: fc.oneof({ arbitrary: fc.constant('busybox'), weight: 8 }, { arbitrary: str, weight: 1 }), Cmd: some(fc.oneof(str, strs)),
    Entrypoint: some(fc.oneof(str, strs)), Env: some(strs), User: some(str), WorkingDir: some(str), Hostname: some(str), Labels: some(strMap),
    StopSignal: some(str), StopTimeout: some(int), ExposedPorts: some(fc.dictionary(str, fc.constant({}), { maxKeys: 2 })),
    Volumes: some(fc.dictionary(str, fc.constant({}), { maxKeys: 2 })), Healthcheck: some(fc.record({ Test: strs, Interval: int, Retries: int }, { requiredKeys: [] })),
    HostConfig: hostConfig,
  });
  await fc.assert(fc.asyncProperty(body, fc.option(str, { nil: undefined }), async (b, name) => {
    const r = await d.api('POST', `/containers/create${name === undefined ? '' : `?name=${encodeURIComponent(name)}`}`, b);
    assert.ok(r.status < 500, `${r.status} ${r.body} for ${JSON.stringify(b)}`);
    if (r.status === 201) assert.equal((await d.api('DELETE', `/containers/${r.json.Id}?force=1&v=1`)).status, 204);
  }), { numRuns: 300, seed: process.pid });
  await alive();
  assert.deepEqual(strays(), []);
});

test('after all of it berthd runs and nothing was written outside its data root', async () => {
  await alive();
  assert.deepEqual(strays(), []);
  assert.doesNotMatch(d.log, /level=(error|fatal)/, 'no request failed with a 500');
});
