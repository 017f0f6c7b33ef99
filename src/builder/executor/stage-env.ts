import type { EnvLookup } from '../dockerfile';
import type { StageState } from './step';

/** The variables a stage's instructions expand with: its ENV, then its build args ENV does not shadow. */
export function stageLookup(state: StageState): EnvLookup {
  const env = state.config.Env ?? [];
  const vars = new Map<string, string>();
  for (const e of [...env, ...state.args.filterAllowed(env)]) {
    const i = e.indexOf('=');
    const k = i < 0 ? e : e.slice(0, i);
    if (!vars.has(k)) vars.set(k, i < 0 ? '' : e.slice(i + 1));
  }
  return (name) => vars.get(name);
}
