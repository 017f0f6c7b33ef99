import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvFields, parseRunMount } from './run-mount';

const id = (w: string) => w;

test('defaults: bind and secret read-only, cache and tmpfs writable', () => {
  assert.deepEqual(parseRunMount('target=/src'), { type: 'bind', target: '/src', readOnly: true, required: false });
  assert.equal(parseRunMount('type=cache,target=/c').readOnly, false);
  assert.equal(parseRunMount('type=tmpfs,target=/t,size=64m').sizeLimit, 64 * 1024 * 1024);
  assert.equal(parseRunMount('type=bind,source=/s,target=/t,rw').readOnly, false);
  assert.equal(parseRunMount('type=cache,target=/c,ro=true').readOnly, true);
});

test('keys and their checks, in buildkit\'s words', () => {
  const m = parseRunMount('type=cache,id=x,target=/c,sharing=locked,mode=0700,uid=1,gid=2,from=base,source=/s');
  assert.deepEqual(m, { type: 'cache', id: 'x', target: '/c', sharing: 'locked', mode: 0o700, uid: 1, gid: 2, from: 'base', source: '/s', readOnly: false, required: false });
  assert.deepEqual(parseRunMount('type=secret,id=tok,required,env=TOKEN'), { type: 'secret', id: 'tok', required: true, env: 'TOKEN', readOnly: true });
  const bad: [string, RegExp][] = [
    ['type=nfs', /unsupported mount type "nfs"/],
    ['type=cache,sharing=maybe', /unsupported sharing value "maybe"/],
    ['target=/t,mode=0700', /mode not allowed for "bind" type mounts/],
    ['type=secret', /invalid secret mount. one of source, target required/],
    ['type=secret,id=a,source=b', /both source and id can't be set/],
    ['type=bind,sharing=shared', /invalid cache sharing set for bind mount/],
    ['type=bind,size=1m', /unexpected key 'size' for mount type 'bind'/],
    ['type=cache,bogus=1', /unexpected key 'bogus' in 'bogus=1'/],
    ['type=cache,uid=x', /invalid value x for uid/],
    ['type=cache,justword', /invalid field 'justword' must be a key=value pair/],
    ['from=$STAGE', /'from' doesn't support variable expansion/],
  ];
  for (const [spec, err] of bad) assert.throws(() => parseRunMount(spec), err, spec);
});

test('values with variables wait for build time; with an expander they are checked', () => {
  assert.deepEqual(parseRunMount('type=cache,target=$DIR,uid=$UID'), { type: 'cache', readOnly: false, required: false });
  assert.throws(() => parseRunMount('type=cache,uid=$UID', (w) => w.replace('$UID', 'x')), /invalid value x for uid/);
  assert.equal(parseRunMount('type=cache,target=$D', (w) => w.replace('$D', '/d')).target, '/d');
  assert.deepEqual(parseRunMount('type=bind', id).type, 'bind');
});

test('CSV: quoted fields keep commas and doubled quotes', () => {
  assert.deepEqual(csvFields('a=1,"b=2,3","c=""q"""'), ['a=1', 'b=2,3', 'c="q"']);
  assert.throws(() => csvFields('a="1'), /bare " in non-quoted-field/);
  assert.throws(() => csvFields('"a'), /extraneous or missing " in quoted-field/);
});
