import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedAddresses, parseListenAddress } from './listeners';
import { tlsSettings } from './tls-config';

const tls = (o: { verify?: boolean; insecureTcp?: boolean } = {}) => ({ verify: false, insecureTcp: false, caCert: 'ca', cert: 'c', key: 'k', ...o });

test('listen addresses: unix paths, tcp with dockerd\'s default ports', () => {
  assert.deepEqual(parseListenAddress('unix:///run/x.sock', false), { kind: 'unix', path: '/run/x.sock' });
  assert.deepEqual(parseListenAddress('tcp://127.0.0.1', true), { kind: 'tcp', host: '127.0.0.1', port: 2376, url: 'tcp://127.0.0.1:2376' });
  assert.deepEqual(parseListenAddress('tcp://[::1]:99', false), { kind: 'tcp', host: '::1', port: 99, url: 'tcp://[::1]:99' });
  assert.throws(() => parseListenAddress('fd://', false), /berthd listens on unix:\/\/ and tcp:\/\//);
});

test('tcp only with --tlsverify, or --insecure-tcp on loopback; checked for every -H before any opens', () => {
  assert.equal(checkedAddresses(['unix:///a', 'tcp://0.0.0.0:2376'], tls({ verify: true })).length, 2);
  assert.throws(() => checkedAddresses(['unix:///a', 'tcp://127.0.0.1:2375'], tls()), /refusing to listen on tcp:\/\/127.0.0.1:2375 without --tlsverify/);
  assert.equal(checkedAddresses(['tcp://127.0.0.1:2375'], tls({ insecureTcp: true })).length, 1);
  assert.throws(() => checkedAddresses(['tcp://10.0.0.1:2375'], tls({ insecureTcp: true })), /loopback addresses only/);
});

test('TLS files: flags over daemon.json over DOCKER_CERT_PATH', () => {
  const s = tlsSettings({ tlsverify: true, tlscert: '/f/cert.pem' }, { tlskey: '/j/key.pem' }, { DOCKER_CERT_PATH: '/env' });
  assert.deepEqual(s, { verify: true, caCert: '/env/ca.pem', cert: '/f/cert.pem', key: '/j/key.pem', insecureTcp: false });
});
