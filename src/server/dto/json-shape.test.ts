import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkShape } from './json-shape';
import { containerCreateShape, execCreateShape } from './body-shapes';

const refused = (body: unknown, message: string) => assert.throws(() => checkShape(body, containerCreateShape), { message: `invalid JSON: json: ${message}` });

test("wrong types are refused in Go's words, with the innermost struct and the field path", () => {
  refused({ Image: 5 }, 'cannot unmarshal number into Go struct field ContainerConfigWrapper.Image of type string');
  refused({ HostConfig: 'x' }, 'cannot unmarshal string into Go struct field ContainerConfigWrapper.HostConfig of type container.HostConfig');
  refused({ HostConfig: { Memory: 'big' } }, 'cannot unmarshal string into Go struct field HostConfig.HostConfig.Memory of type int64');
  refused({ HostConfig: { Binds: 'x' } }, 'cannot unmarshal string into Go struct field HostConfig.HostConfig.Binds of type []string');
  refused({ HostConfig: { PortBindings: { '80/tcp': 'x' } } }, 'cannot unmarshal string into Go struct field HostConfig.HostConfig.PortBindings of type []nat.PortBinding');
  refused({ Labels: { a: 5 } }, 'cannot unmarshal number into Go struct field ContainerConfigWrapper.Labels of type string');
  refused({ Cmd: 5 }, 'cannot unmarshal number into Go struct field ContainerConfigWrapper.Cmd of type string');
  refused({ Tty: 'yes' }, 'cannot unmarshal string into Go struct field ContainerConfigWrapper.Tty of type bool');
  refused({ NetworkingConfig: { EndpointsConfig: 5 } }, 'cannot unmarshal number into Go struct field NetworkingConfig.NetworkingConfig.EndpointsConfig of type map[string]*network.EndpointSettings');
  refused([1, 2], 'cannot unmarshal array into Go value of type runconfig.ContainerConfigWrapper');
  refused({ HostConfig: { Memory: 1.5 } }, 'cannot unmarshal number 1.5 into Go struct field HostConfig.HostConfig.Memory of type int64');
  assert.throws(() => checkShape({ Cmd: 'ls' }, execCreateShape), /ExecConfig\.Cmd of type \[\]string/);
});

test('null anywhere, strslice strings and unknown fields pass', () => {
  checkShape({ Image: 'busybox', Cmd: 'echo hi', Entrypoint: null, Env: null, HostConfig: { Memory: null, Whatever: 'x' }, Unknown: [1] }, containerCreateShape);
  checkShape(null, containerCreateShape);
});
