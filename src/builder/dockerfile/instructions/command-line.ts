/** CMD, ENTRYPOINT and SHELL: exec (JSON) or shell form. */
import { InvalidArgument } from '../../../errdefs';
import type { CmdInstruction, EntrypointInstruction, ShellInstruction } from '../types';
import { type ParseRequest, atLeastOne, base, commandLine } from './request';

export function parseCmd(req: ParseRequest): CmdInstruction {
  req.flags.parse();
  return { kind: 'cmd', shell: !req.json, cmd: commandLine(req), ...base(req) };
}

export function parseEntrypoint(req: ParseRequest): EntrypointInstruction {
  req.flags.parse();
  return { kind: 'entrypoint', shell: !req.json, cmd: commandLine(req), ...base(req) };
}

/** SHELL takes only the JSON form: `SHELL ["/bin/bash", "-c"]`. */
export function parseShell(req: ParseRequest): ShellInstruction {
  req.flags.parse();
  const shell = commandLine(req);
  if (shell.length === 0) throw new InvalidArgument(atLeastOne('SHELL'));
  if (!req.json) throw new InvalidArgument('SHELL requires the arguments to be in JSON form');
  return { kind: 'shell', shell, ...base(req) };
}
