/** WORKDIR: sets the working directory and creates it in the image when it is missing (as root, 0755). */
import { mkdir, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { WorkdirInstruction } from '../dockerfile';
import { nopCmdString, cloneConfig } from './run-config';
import { commitStep, probe, stepKey, type StepEnv } from './step';
import { resolveInScope } from './scoped-path';

/** Docker's normalizeWorkdir: relative paths join the current one. */
export function normalizeWorkdir(current: string | undefined, requested: string): string {
  return posix.isAbsolute(requested) ? posix.normalize(requested) : posix.join('/', current || '/', requested);
}

async function exists(path: string): Promise<boolean> {
  try { await stat(path); return true; } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw err;
  }
}

export async function dispatchWorkdir(env: StepEnv, i: WorkdirInstruction): Promise<void> {
  const { state, backend } = env;
  state.config.WorkingDir = normalizeWorkdir(state.config.WorkingDir, i.path);
  const cmd = nopCmdString(state.config, `WORKDIR ${state.config.WorkingDir}`);
  const key = stepKey(state, cmd);
  if (probe(env, key, cmd)) return;
  const layer = await backend.openLayer(state.imageId);
  let committed;
  try {
    const dir = await resolveInScope(layer.root, state.config.WorkingDir);
    if (!(await exists(dir))) await mkdir(dir, { recursive: true, mode: 0o755 });
    committed = await layer.commit();
  } finally {
    await layer.release();
  }
  await commitStep(env, { key, containerConfig: { ...cloneConfig(state.config), Cmd: cmd }, layer: committed });
}
