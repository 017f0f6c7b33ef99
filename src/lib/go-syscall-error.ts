/**
 * A Node system error in Go's os.PathError / os.SyscallError words, as dockerd prints them:
 * `ENOSPC: no space left on device, write` -> `write: no space left on device`,
 * `ENOENT: no such file or directory, open '/x'` -> `open /x: no such file or directory`.
 * Anything that is not a Node system error (no `code` + `syscall`) gives undefined.
 */
export function goSyscallMessage(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  if (!e || typeof e.code !== 'string' || typeof e.syscall !== 'string' || typeof e.message !== 'string') return undefined;
  const prefix = `${e.code}: `;
  if (!e.message.startsWith(prefix)) return undefined;
  const rest = e.message.slice(prefix.length);
  const cut = rest.indexOf(`, ${e.syscall}`);
  const text = cut >= 0 ? rest.slice(0, cut) : rest;
  return e.path ? `${e.syscall} ${e.path}: ${text}` : `${e.syscall}: ${text}`;
}
