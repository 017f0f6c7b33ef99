/** FROM [--platform=p] image [AS name]. */
import { InvalidArgument } from '../../../errdefs';
import type { FromInstruction } from '../types';
import { type ParseRequest, base } from './request';
import { goQuote } from '../go-quote';

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/** The lower-cased stage name of `image AS name`, if any. */
function stageName(args: string[]): string | undefined {
  if (args.length === 3 && args[1].toLowerCase() === 'as') {
    const name = args[2].toLowerCase();
    if (!STAGE_NAME.test(name)) {
      throw new InvalidArgument(`invalid name for build stage: ${goQuote(args[2])}, name can't start with a number or contain symbols`);
    }
    return name;
  }
  if (args.length !== 1) throw new InvalidArgument('FROM requires either one or three arguments');
  return undefined;
}

export function parseFrom(req: ParseRequest): FromInstruction {
  const name = stageName(req.args);
  const platform = req.flags.string('platform');
  req.flags.parse();
  return {
    kind: 'from', image: req.args[0], ...(name ? { stageName: name } : {}),
    ...(platform() ? { platform: platform() } : {}), ...base(req),
  };
}
