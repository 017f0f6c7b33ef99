import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../loader';
import { configHash } from './config-hash';
import { parseBytes, replicaPlan } from './container-body';
import { scratchDir } from '../../lib/testing/scratch-dir';

function load(yaml: string) {
  const dir = scratchDir('compose-plan-');
  writeFileSync(join(dir, 'compose.yaml'), yaml);
  writeFileSync(join(dir, 'token.txt'), 's3cret');
  return { dir, p: loadProject({ files: [join(dir, 'compose.yaml')], env: {}, cwd: dir, projectName: 'demo' }) };
}

const YAML = `
services:
  db:
    image: busybox
  app:
    image: busybox:1.36
    entrypoint: /bin/sh -c
    command: ["echo hi"]
    environment: { A: "1", UNSET_IN_SHELL: null }
    ports: ["8080:80", { target: 53, published: "5353", protocol: udp, host_ip: 127.0.0.1 }]
    expose: ["9000"]
    volumes: ["data:/data:ro", "./src:/src", "/anon", { type: tmpfs, target: /scratch }]
    networks: { front: { aliases: [api], ipv4_address: 10.99.0.5 }, back: {} }
    links: ["db:database"]
    healthcheck: { test: "true", interval: 2s, retries: 3 }
    restart: on-failure:4
    deploy: { replicas: 2, resources: { limits: { cpus: "0.5", memory: 64m } } }
    labels: [team=core]
    hostname: apphost
    working_dir: /w
    user: "1000:1000"
    extra_hosts: ["gw:10.0.0.1"]
    dns: 1.1.1.1
    cap_add: [NET_ADMIN]
    privileged: true
    tmpfs: /run:size=1m
    ulimits: { nofile: { soft: 100, hard: 200 }, nproc: 50 }
    init: true
    stop_signal: SIGUSR1
    stop_grace_period: 1m30s
    secrets: [token, { source: token, target: /etc/tok }]
    configs: [{ source: conf, target: /etc/conf }]
volumes: { data: {} }
networks: { front: { ipam: { config: [{ subnet: 10.99.0.0/24 }] } }, back: { external: true, name: shared-back } }
secrets: { token: { file: ./token.txt } }
configs: { conf: { file: ./token.txt } }
`;

test('a service replica as the Engine API create body: names, labels, mounts, ports, networks, limits', () => {
  const { dir, p } = load(YAML);
  const plan = replicaPlan(p, p.services.app, 2);
  const b = plan.body;
  const hc = b.HostConfig as Record<string, any>;
  assert.equal(plan.name, 'demo-app-2');
  assert.equal(b.Image, 'busybox:1.36');
  assert.deepEqual(b.Entrypoint, ['/bin/sh', '-c']);
  assert.deepEqual(b.Cmd, ['echo hi']);
  assert.deepEqual(b.Env, ['A=1']);
  assert.deepEqual(Object.keys(b.ExposedPorts!).sort(), ['53/udp', '80/tcp', '9000/tcp']);
  assert.deepEqual(hc.PortBindings, { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }] });
  assert.deepEqual(hc.Binds, [
    'demo_data:/data:ro', `${dir}/src:/src`, `${dir}/token.txt:/run/secrets/token:ro`, `${dir}/token.txt:/etc/tok:ro`, `${dir}/token.txt:/etc/conf:ro`,
  ]);
  assert.deepEqual(b.Volumes, { '/anon': {} });
  assert.deepEqual(hc.Tmpfs, { '/run': 'size=1m', '/scratch': '' });
  assert.equal(hc.NetworkMode, 'demo_front');
  assert.deepEqual(b.NetworkingConfig, { EndpointsConfig: { demo_front: { Aliases: ['demo-app-2', 'app', 'api'], IPAMConfig: { IPv4Address: '10.99.0.5' } } } });
  assert.deepEqual(plan.moreNetworks, [{ network: 'shared-back', aliases: ['demo-app-2', 'app'], ipv4: undefined }]);
  assert.deepEqual(hc.Links, ['demo-db-1:database']);
  assert.deepEqual(b.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 2e9, Timeout: undefined, StartPeriod: undefined, StartInterval: undefined, Retries: 3 });
  assert.deepEqual(hc.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 4 });
  assert.equal(hc.NanoCpus, 5e8);
  assert.equal(hc.Memory, 64 * 1024 * 1024);
  assert.deepEqual(hc.Ulimits, [{ Name: 'nofile', Soft: 100, Hard: 200 }, { Name: 'nproc', Soft: 50, Hard: 50 }]);
  assert.deepEqual([b.Hostname, b.WorkingDir, b.User, b.StopSignal, b.StopTimeout], ['apphost', '/w', '1000:1000', 'SIGUSR1', 90]);
  assert.deepEqual([hc.ExtraHosts, hc.Dns, hc.CapAdd, hc.Privileged, hc.Init], [['gw:10.0.0.1'], ['1.1.1.1'], ['NET_ADMIN'], true, true]);
  assert.equal(p.services.app.replicas, 2);
  assert.deepEqual(p.services.app.depends_on, { db: { condition: 'service_started', required: true } }, 'a link is a dependency');
  const l = b.Labels!;
  assert.equal(l.team, 'core');
  assert.equal(l['com.docker.compose.container-number'], '2');
  assert.equal(l['com.docker.compose.config-hash'], configHash(p.services.app));
});

test('the config hash ignores replicas and follows everything a container is made from', () => {
  const { p } = load(YAML);
  const app = p.services.app;
  assert.equal(configHash({ ...app, replicas: 7 }), configHash(app));
  assert.notEqual(configHash({ ...app, environment: { A: '2' } }), configHash(app));
  assert.notEqual(configHash({ ...app, image: 'busybox:1.37' }), configHash(app));
});

test('sizes as compose reads them', () => {
  assert.equal(parseBytes('512m'), 512 * 1024 ** 2);
  assert.equal(parseBytes('1g'), 1024 ** 3);
  assert.equal(parseBytes('100'), 100);
  assert.throws(() => parseBytes('lots'), /invalid size/);
});
