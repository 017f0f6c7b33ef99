import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkResource } from '../../../client';
import { renderRows } from '../../formatters/format';
import { NETWORKS_DEFAULT_FORMAT, NETWORKS_HEADERS, goTimeOfRfc3339, networkContext, sortNetworks } from '../../formatters/network-context';
import { endpointsConfig } from '../container/network-flags';
import { consolidateIpam } from './create';
import { formatNetworkPrune } from './prune';

const net = (name: string, id: string, extra: Partial<NetworkResource> = {}): NetworkResource => ({
  Name: name, Id: id, Created: '2026-11-22T18:04:35.862231942Z', Scope: 'local', Driver: 'bridge', EnableIPv6: false,
  IPAM: { Driver: 'default', Options: null, Config: [] }, Internal: false, Attachable: false, Ingress: false, Containers: {}, Options: {}, Labels: {}, ...extra,
});

test('network ls: docker\'s table, natural name order, truncated IDs, json and labels', () => {
  const list = sortNetworks([net('net10', 'c'.repeat(64)), net('bridge', 'a'.repeat(64)), net('net9', 'b'.repeat(64), { Labels: { z: '1', a: '2' } })]);
  const rf = { headers: NETWORKS_HEADERS, toContext: (n: NetworkResource) => networkContext(n, { trunc: true }) };
  assert.equal(renderRows(NETWORKS_DEFAULT_FORMAT, list, rf),
    'NETWORK ID     NAME      DRIVER    SCOPE\naaaaaaaaaaaa   bridge    bridge    local\nbbbbbbbbbbbb   net9      bridge    local\ncccccccccccc   net10     bridge    local\n');
  assert.equal(renderRows('{{.Name}} {{.Labels}} {{.Label "z"}} {{.CreatedAt}}', list.slice(1, 2), rf), 'net9 a=2,z=1 1 2026-11-22 18:04:35.862231942 +0000 UTC\n');
  assert.equal(renderRows('json', list.slice(0, 1), rf),
    '{"CreatedAt":"2026-11-22 18:04:35.862231942 +0000 UTC","Driver":"bridge","ID":"aaaaaaaaaaaa","IPv4":"false","IPv6":"false","Internal":"false","Labels":"","Name":"bridge","Scope":"local"}\n');
  assert.equal(goTimeOfRfc3339('2026-11-22T18:04:35.500Z'), '2026-11-22 18:04:35.5 +0000 UTC');
});

test('create: IPAM entries as docker\'s consolidateIpam makes and refuses them', () => {
  assert.deepEqual(consolidateIpam(['10.1.0.0/16'], ['10.1.2.0/24'], ['10.1.0.1']), [{ Subnet: '10.1.0.0/16', IPRange: '10.1.2.0/24', Gateway: '10.1.0.1' }]);
  assert.deepEqual(consolidateIpam([], [], []), []);
  assert.throws(() => consolidateIpam([], [], ['10.1.0.1']), /every ip-range or gateway must have a corresponding subnet/);
  assert.throws(() => consolidateIpam(['10.1.0.0/16'], [], ['10.2.0.1']), /no matching subnet for gateway 10.2.0.1/);
  assert.throws(() => consolidateIpam(['10.1.0.0/16', '10.1.5.0/24'], [], []), /multiple overlapping subnet configuration is not supported/);
  assert.throws(() => consolidateIpam(['10.1.0.0/16'], ['10.3.0.0/24'], []), /no matching subnet for range 10.3.0.0\/24/);
});

test('run --ip/--network-alias: EndpointsConfig as the docker CLI sends it', () => {
  assert.deepEqual(endpointsConfig({ ip: '10.1.0.5', networkAlias: ['web'] }, 'mynet', true), { mynet: { IPAMConfig: { IPv4Address: '10.1.0.5' }, Aliases: ['web'] } });
  assert.deepEqual(endpointsConfig({}, 'mynet', true), { mynet: {} });
  assert.deepEqual(endpointsConfig({}, 'default', false), {});
  assert.deepEqual(endpointsConfig({ ip: '172.17.0.9' }, 'default', false), { default: { IPAMConfig: { IPv4Address: '172.17.0.9' } } });
  assert.throws(() => endpointsConfig({ networkAlias: ['x'] }, 'bridge', false), /network-scoped aliases are only supported for user-defined networks/);
  assert.throws(() => endpointsConfig({ ip: 'nope' }, 'mynet', true), /invalid argument "nope" for "--ip" flag/);
});

test('prune prints the removed networks, and nothing when none went', () => {
  assert.equal(formatNetworkPrune(['a', 'b']), 'Deleted Networks:\na\nb\n\n');
  assert.equal(formatNetworkPrune(null), '');
});
