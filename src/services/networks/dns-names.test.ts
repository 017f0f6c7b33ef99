import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchName, reverseName, type DnsNetworkView } from './dns-names';

const view: DnsNetworkView = {
  networkName: 'mynet',
  endpoints: [
    { containerId: 'aaaaaaaaaaaa1111', name: 'web1', ip: '10.1.0.2', aliases: ['web', 'www'], hostname: 'front' },
    { containerId: 'bbbbbbbbbbbb2222', name: 'web2', ip: '10.1.0.3', aliases: ['web'] },
    { containerId: 'cccccccccccc3333', name: 'client', ip: '10.1.0.4', aliases: [], links: { db: 'web2' } },
  ],
};

test('a container answers to its name, aliases, short ID and hostname, in any case', () => {
  assert.deepEqual(matchName(view, 'web1'), ['10.1.0.2']);
  assert.deepEqual(matchName(view, 'WWW.'), ['10.1.0.2']);
  assert.deepEqual(matchName(view, 'aaaaaaaaaaaa'), ['10.1.0.2']);
  assert.deepEqual(matchName(view, 'front'), ['10.1.0.2']);
  assert.deepEqual(matchName(view, 'aaaaaaaaaaaa1111'), [], 'only the short ID is a name');
  assert.deepEqual(matchName(view, 'nothere'), []);
});

test('a shared alias gives every holder; <name>.<network> is the same name', () => {
  assert.deepEqual(matchName(view, 'web'), ['10.1.0.2', '10.1.0.3']);
  assert.deepEqual(matchName(view, 'web2.mynet'), ['10.1.0.3']);
  assert.deepEqual(matchName(view, 'web2.othernet'), []);
});

test('link aliases resolve for the linking container only', () => {
  assert.deepEqual(matchName(view, 'db', '10.1.0.4'), ['10.1.0.3']);
  assert.deepEqual(matchName(view, 'db', '10.1.0.2'), []);
  assert.deepEqual(matchName(view, 'db'), []);
});

test('reverse names are <name>.<network>', () => {
  assert.equal(reverseName(view, '10.1.0.3'), 'web2.mynet');
  assert.equal(reverseName(view, '10.1.0.9'), undefined);
});
