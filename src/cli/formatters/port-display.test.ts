import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayPorts, naturalLess } from './port-display';

test('PORTS collapses ranges as docker ps does', () => {
  // docker run --expose 7000-7002 --expose 7005 -p 18000-18002:18000-18002 -p 127.0.0.1:18003:18003/udp -p 18010:80
  const ports = [
    ...[7000, 7001, 7002, 7005].map((p) => ({ PrivatePort: p, Type: 'tcp' })),
    ...[18000, 18001, 18002].flatMap((p) => ['0.0.0.0', '::'].map((IP) => ({ IP, PrivatePort: p, PublicPort: p, Type: 'tcp' }))),
    { IP: '127.0.0.1', PrivatePort: 18003, PublicPort: 18003, Type: 'udp' },
    { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 18010, Type: 'tcp' }, { IP: '::', PrivatePort: 80, PublicPort: 18010, Type: 'tcp' },
  ].reverse();
  assert.equal(displayPorts(ports), '7000-7002/tcp, 7005/tcp, 0.0.0.0:18000-18002->18000-18002/tcp, [::]:18000-18002->18000-18002/tcp, '
    + '127.0.0.1:18003->18003/udp, 0.0.0.0:18010->80/tcp, [::]:18010->80/tcp');
  assert.equal(displayPorts([{ PrivatePort: 90, Type: 'tcp' }, { IP: '0.0.0.0', PrivatePort: 95, PublicPort: 18095, Type: 'tcp' }]), '90/tcp, 0.0.0.0:18095->95/tcp');
  assert.equal(displayPorts([]), '');
});

test('port lines sort naturally', () => {
  const lines = ['80/tcp -> 0.0.0.0:18010', '18000/tcp -> 0.0.0.0:18000', '9/udp -> 0.0.0.0:9'].sort((a, b) => (naturalLess(a, b) ? -1 : 1));
  assert.deepEqual(lines, ['9/udp -> 0.0.0.0:9', '80/tcp -> 0.0.0.0:18010', '18000/tcp -> 0.0.0.0:18000']);
});
