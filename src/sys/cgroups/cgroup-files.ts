/** Reading and writing single cgroup control files, with the kernel's errors as berth's. */
import { readFile, writeFile } from 'node:fs/promises';
import { InvalidArgument, NotFound, hasErrno } from '../../errdefs';

export async function readControl(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (e) {
    if (hasErrno(e, 'ENOENT')) throw new NotFound(`cgroup file ${path} not found`, { cause: e });
    throw e;
  }
}

/** Writes `value` to a control file; EBUSY/EINVAL (the kernel refusing it) become InvalidArgument in runc's words. */
export async function writeControl(path: string, value: string | number): Promise<void> {
  try {
    await writeFile(path, String(value));
  } catch (e) {
    if (hasErrno(e, 'ENOENT')) throw new NotFound(`cgroup file ${path} not found`, { cause: e });
    if (hasErrno(e, 'EBUSY') || hasErrno(e, 'EINVAL')) {
      const reason = hasErrno(e, 'EBUSY') ? 'device or resource busy' : 'invalid argument';
      throw new InvalidArgument(`failed to write ${JSON.stringify(String(value))} to ${JSON.stringify(path)}: write ${path}: ${reason}`, { cause: e });
    }
    throw e;
  }
}

/** `key value` lines (memory.oom_control, memory.events) as numbers by key. */
export function keyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined) out[k] = Number(v);
  }
  return out;
}
