/** RUN [--mount=...] [--network=default|none|host] [--security=sandbox|insecure] <command>. */
import { InvalidArgument } from '../../../errdefs';
import type { RunInstruction } from '../types';
import { type ParseRequest, base, commandLine } from './request';
import { parseRunMount } from './run-mount';
import { chompHeredocContent } from '../heredoc';

const NETWORKS = ['default', 'none', 'host'] as const;
const SECURITY = ['sandbox', 'insecure'] as const;

export function parseRun(req: ParseRequest): RunInstruction {
  const mounts = req.flags.strings('mount');
  const network = req.flags.string('network', 'default');
  const security = req.flags.string('security', 'sandbox');
  req.flags.parse();
  const net = network() as RunInstruction['network'] & string;
  if (!NETWORKS.includes(net)) throw new InvalidArgument(`invalid network mode "${net}"`);
  const sec = security() as RunInstruction['security'] & string;
  if (!SECURITY.includes(sec)) throw new InvalidArgument(`security "${sec}" is not valid`);
  return {
    kind: 'run',
    shell: !req.json,
    cmd: commandLine(req),
    heredocs: req.heredocs.map((h) => ({
      name: h.name, data: h.chomp ? chompHeredocContent(h.content) : h.content, chomp: h.chomp, expand: h.expand,
    })),
    mounts: mounts().map((spec) => parseRunMount(spec)),
    mountSpecs: mounts(),
    ...(req.flags.isUsed('network') ? { network: net } : {}),
    ...(req.flags.isUsed('security') ? { security: sec } : {}),
    ...base(req),
  };
}
