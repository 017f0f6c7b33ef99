import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostPortReserver, PortMapper, PortMapping, PublishRequest } from '../../core/network/ports';
import { PortPublisher, type PublishTarget } from './ports-publisher';

/** Ports taken by "other programs", and the ones the publisher holds. */
class FakeReserver implements HostPortReserver {
  taken = new Set<string>();
  held = new Set<string>();
  reserve(m: Pick<PortMapping, 'proto' | 'hostIp' | 'hostPort'>) {
    const key = `${m.proto}:${m.hostIp}:${m.hostPort}`;
    const clash = [...this.taken, ...this.held].some((k) => {
      const [proto, ip, port] = k.split(':');
      return proto === m.proto && Number(port) === m.hostPort && (ip === m.hostIp || ip === '0.0.0.0' || m.hostIp === '0.0.0.0');
    });
    if (clash) throw Object.assign(new Error('bind: EADDRINUSE'), { code: 'EADDRINUSE' });
    if (m.hostIp === '10.9.9.9') throw Object.assign(new Error('bind: EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' });
    this.held.add(key);
    return { release: () => { this.held.delete(key); } };
  }
}

class FakeMapper implements PortMapper {
  live = new Map<string, PublishRequest>();
  fail?: Error;
  restored?: PublishRequest[];
  async publish(req: PublishRequest) { if (this.fail) throw this.fail; this.live.set(req.containerId, req); }
  async unpublish(id: string) { this.live.delete(id); }
  async restore(live: PublishRequest[]) { this.restored = live; }
}

const target = (n: number): PublishTarget => ({ containerId: `c${n}`, containerName: `web${n}`, endpointId: `e${n}`, ip: `172.18.0.${n}`, bridge: 'berth0', subnet: '172.18.0.0/16' });
const setup = () => {
  const reserver = new FakeReserver();
  const mapper = new FakeMapper();
  return { reserver, mapper, pub: new PortPublisher({ mapper, reserver, ephemeral: { start: 32768, end: 32771 } }) };
};

test('fixed ports are held and mapped; berth\'s own and other programs\' ports are refused as Docker words it', async () => {
  const { reserver, mapper, pub } = setup();
  const got = await pub.publish(target(2), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: { start: 8080, end: 8080 } }]);
  assert.deepEqual(got, [{ proto: 'tcp', hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80 }]);
  assert.deepEqual(mapper.live.get('c2'), { containerId: 'c2', containerIp: '172.18.0.2', bridge: 'berth0', subnet: '172.18.0.0/16', mappings: got });
  await assert.rejects(pub.publish(target(3), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: { start: 8080, end: 8080 } }]),
    { code: 'INTERNAL', message: 'driver failed programming external connectivity on endpoint web3 (e3): Bind for 0.0.0.0:8080 failed: port is already allocated' });
  reserver.taken.add('udp:0.0.0.0:5353');
  await assert.rejects(pub.publish(target(3), [{ proto: 'udp', containerPort: 53, hostIp: '127.0.0.1', hostPorts: { start: 5353, end: 5353 } }]),
    { message: 'driver failed programming external connectivity on endpoint web3 (e3): listen udp4 127.0.0.1:5353: bind: address already in use' });
  await assert.rejects(pub.publish(target(3), [{ proto: 'tcp', containerPort: 80, hostIp: '10.9.9.9', hostPorts: { start: 80, end: 80 } }]),
    /listen tcp4 10\.9\.9\.9:80: bind: cannot assign requested address$/);
  assert.deepEqual([...reserver.held], ['tcp:0.0.0.0:8080']);
  await pub.unpublish('c2');
  assert.equal(reserver.held.size, 0);
  assert.equal(mapper.live.size, 0);
});

test('a range takes its first free port; picks go round the ephemeral range after the last one', async () => {
  const { reserver, pub } = setup();
  reserver.taken.add('tcp:127.0.0.1:8000');
  const r = await pub.publish(target(2), [
    { proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: { start: 8000, end: 8002 } },
    { proto: 'tcp', containerPort: 81, hostIp: '0.0.0.0' },
    { proto: 'tcp', containerPort: 82, hostIp: '0.0.0.0' },
  ]);
  assert.deepEqual(r.map((m) => m.hostPort), [8001, 32768, 32769]);
  reserver.taken.add('tcp:0.0.0.0:32770');
  const r2 = await pub.publish(target(3), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0' }]);
  assert.deepEqual(r2.map((m) => m.hostPort), [32771]);
  await assert.rejects(pub.publish(target(4), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0' }]), /: all ports are allocated$/);
  await pub.unpublish('c2');
  const r3 = await pub.publish(target(4), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0' }]);
  assert.deepEqual(r3.map((m) => m.hostPort), [32768]);
});

test('a failed start keeps nothing: ports held for it are freed when the mapper refuses', async () => {
  const { reserver, mapper, pub } = setup();
  mapper.fail = new Error('nft: Could not process rule');
  await assert.rejects(pub.publish(target(2), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: { start: 8080, end: 8080 } }]), /Could not process rule/);
  assert.equal(reserver.held.size, 0);
  mapper.fail = undefined;
  await pub.publish(target(2), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: { start: 8080, end: 8080 } }, { proto: 'tcp', containerPort: 81, hostIp: '0.0.0.0', hostPorts: { start: 8080, end: 8080 } }])
    .then(() => assert.fail('the same host port twice'), (e: Error) => assert.match(e.message, /Bind for 0\.0\.0\.0:8080 failed: port is already allocated/));
  assert.equal(reserver.held.size, 0);
});

test('restore holds the live containers\' ports again and rebuilds exactly their rules', async () => {
  const { reserver, mapper, pub } = setup();
  const m: PortMapping = { proto: 'tcp', hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80 };
  await pub.restore([{ ...target(2), mappings: [m] }]);
  assert.deepEqual([...reserver.held], ['tcp:0.0.0.0:8080']);
  assert.deepEqual(mapper.restored, [{ containerId: 'c2', containerIp: '172.18.0.2', bridge: 'berth0', subnet: '172.18.0.0/16', mappings: [m] }]);
  await assert.rejects(pub.publish(target(3), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: { start: 8080, end: 8080 } }]), /port is already allocated/);
});
