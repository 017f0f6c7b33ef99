/** Every fuzz target, in the order `npm run fuzz` runs them. */
import type { FuzzTarget } from './property';
import { dockerfileTarget } from './dockerfile';
import { goTemplateTarget } from './go-template';
import { composeTarget } from './compose';
import { referenceTarget } from './reference';
import { stdcopyTarget } from './stdcopy';

export const TARGETS: FuzzTarget[] = [dockerfileTarget, goTemplateTarget, composeTarget, referenceTarget, stdcopyTarget];
