import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildArgs } from './build-args';

test("Docker's build-arg rules: declared args only, --build-arg over defaults, meta values for bare ARGs, proxy args", () => {
  const base = new BuildArgs(new Map<string, string | null>([['A', 'given'], ['HTTP_PROXY', 'http://p'], ['UNUSED', 'x'], ['NOVAL', null]]));
  base.addMetaArg('M', 'meta');
  base.addMetaArg('A', 'meta-a');
  assert.deepEqual(Object.fromEntries(base.metaValues()), { M: 'meta', A: 'given', HTTP_PROXY: 'http://p' });
  const stage = base.forStage();
  assert.deepEqual(Object.fromEntries(stage.allowedValues()), { HTTP_PROXY: 'http://p' }, 'a stage sees no meta ARG it did not declare');
  stage.addArg('M', undefined);
  stage.addArg('A', 'default');
  stage.addArg('D', 'dflt');
  stage.addArg('NOVAL', undefined);
  assert.deepEqual(Object.fromEntries(stage.allowedValues()), { M: 'meta', A: 'given', D: 'dflt', HTTP_PROXY: 'http://p' });
  assert.deepEqual(stage.filterAllowed(['D=from-env', 'PATH=/bin']).sort(), ['A=given', 'HTTP_PROXY=http://p', 'M=meta']);
  assert.equal(stage.isReferencedOrNotBuiltin('HTTP_PROXY'), false, 'an undeclared proxy arg stays out of history');
  stage.addArg('HTTP_PROXY', undefined);
  assert.equal(stage.isReferencedOrNotBuiltin('HTTP_PROXY'), true);
  assert.deepEqual(base.unused(), ['UNUSED']);
});
