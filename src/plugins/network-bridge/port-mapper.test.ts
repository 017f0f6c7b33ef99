import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PublishRequest } from '../../core/network/ports';
import { NftPortMapper, type PortKernel } from './port-mapper';
import { jumpHandles, portChains } from './port-rules';

/** Plays nft: echoes each `add rule` with a fresh handle, and keeps the scripts it was given. */
class FakeNft implements PortKernel {
  scripts: string[][] = [];
  echoes: string[] = [];
  localnet: string[] = [];
  hairpins: string[] = [];
  table?: string;
  private handle = 100;
  async apply(script: string[]) {
    this.scripts.push(script);
    this.echoes.push(script.map((l) => (l.startsWith('add rule') ? `${l} # handle ${this.handle++}` : l)).join('\n'));
    return this.echoes.at(-1)!;
  }
  async listTable() { return this.table; }
  async allowLocalnet(bridge: string) { this.localnet.push(bridge); }
  async hairpin(bridge: string, link: { netns: string; ifname: string }) { this.hairpins.push(`${bridge}:${link.netns}:${link.ifname}`); }
}

const req = (id: string, ip: string, hostIp = '0.0.0.0'): PublishRequest => ({
  containerId: id, containerIp: ip, bridge: 'berth0', subnet: '172.18.0.0/16', link: { netns: `/run/berth/netns/${id}`, ifname: 'eth0' },
  mappings: [{ proto: 'tcp', hostIp, hostPort: 8080, containerPort: 80 }, { proto: 'udp', hostIp, hostPort: 5353, containerPort: 53 }],
});

test('the first container brings the base chains; each gets its own chains and jumps, removed by handle', async () => {
  const nft = new FakeNft();
  const m = new NftPortMapper({ nftTable: 'berth', rules: true }, nft);
  await m.publish(req('aaa', '172.18.0.2'));
  const first = nft.scripts[0];
  assert.ok(first.includes('add chain ip berth port-prerouting { type nat hook prerouting priority dstnat; policy accept; }'));
  assert.ok(first.includes('add rule ip berth port-output fib daddr type local jump port-dnat'));
  assert.ok(first.includes('add rule ip berth port-dnat-aaa tcp dport 8080 dnat to 172.18.0.2:80'));
  assert.ok(first.includes('add rule ip berth port-dnat-aaa udp dport 5353 dnat to 172.18.0.2:53'));
  assert.ok(first.includes('add rule ip berth port-snat-aaa ip saddr 127.0.0.0/8 masquerade'));
  assert.ok(first.includes('add rule ip berth port-snat-aaa ip saddr 172.18.0.0/16 masquerade'));
  assert.ok(first.includes('add rule ip berth port-postrouting ip daddr 172.18.0.2 ct status dnat jump port-snat-aaa'));
  assert.deepEqual(nft.localnet, ['berth0']);
  assert.deepEqual(nft.hairpins, ['berth0:/run/berth/netns/aaa:eth0']);

  await m.publish(req('bbb', '172.18.0.3', '127.0.0.1'));
  assert.ok(!nft.scripts[1].some((l) => l.includes('port-prerouting')), 'base chains only once');
  assert.ok(nft.scripts[1].includes('add rule ip berth port-dnat-bbb ip daddr 127.0.0.1 tcp dport 8080 dnat to 172.18.0.3:80'));

  const handles = jumpHandles(nft.echoes[0]);
  await m.unpublish('aaa');
  assert.deepEqual(nft.scripts[2], [
    `delete rule ip berth port-dnat handle ${handles.get('aaa')!.dnat}`,
    `delete rule ip berth port-postrouting handle ${handles.get('aaa')!.snat}`,
    'flush chain ip berth port-dnat-aaa', 'delete chain ip berth port-dnat-aaa',
    'flush chain ip berth port-snat-aaa', 'delete chain ip berth port-snat-aaa',
  ]);
  await m.unpublish('aaa');
  assert.equal(nft.scripts.length, 3, 'a second unpublish has nothing to do');
  await m.unpublish('bbb');
  assert.ok(nft.scripts[3].includes('delete chain ip berth port-prerouting'), 'the last one takes the base chains along');
});

test('restore drops every port chain of a previous run and rebuilds the live ones; iptables=false adds nothing', async () => {
  const nft = new FakeNft();
  nft.table = JSON.stringify({ nftables: [{ table: { name: 'berth' } }, { chain: { name: 'net-forward' } }, { chain: { name: 'port-dnat' } }, { chain: { name: 'port-dnat-old' } }] });
  const m = new NftPortMapper({ nftTable: 'berth', rules: true }, nft);
  await m.restore([req('aaa', '172.18.0.2')]);
  const s = nft.scripts[0];
  assert.deepEqual(s.slice(0, 4), ['flush chain ip berth port-dnat', 'flush chain ip berth port-dnat-old', 'delete chain ip berth port-dnat', 'delete chain ip berth port-dnat-old']);
  assert.ok(!s.some((l) => l.includes('net-forward')), 'the bridge\'s chains are not ours');
  assert.ok(s.includes('add rule ip berth port-dnat jump port-dnat-aaa'));
  await m.unpublish('aaa');
  assert.equal(nft.scripts.length, 2);

  const off = new FakeNft();
  const none = new NftPortMapper({ nftTable: 'berth', rules: false }, off);
  await none.restore([req('aaa', '172.18.0.2')]);
  await none.publish(req('bbb', '172.18.0.3'));
  await none.unpublish('bbb');
  assert.deepEqual(off.scripts, []);
  assert.deepEqual(portChains(JSON.stringify({ nftables: [{ chain: { name: 'port-x' } }, { rule: {} }] })), ['port-x']);
});
