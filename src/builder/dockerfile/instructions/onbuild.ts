/** ONBUILD <instruction>: stored as text, run by builds that use the image as a base. */
import { InvalidArgument } from '../../../errdefs';
import type { OnbuildInstruction } from '../types';
import { type ParseRequest, atLeastOne, base } from './request';

export function parseOnbuild(req: ParseRequest): OnbuildInstruction {
  if (req.args.length === 0) throw new InvalidArgument(atLeastOne('ONBUILD'));
  req.flags.parse();
  const trigger = req.args[0].trim().toUpperCase();
  if (trigger === 'ONBUILD') throw new InvalidArgument('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
  if (trigger === 'MAINTAINER' || trigger === 'FROM') {
    throw new InvalidArgument(`${trigger} isn't allowed as an ONBUILD trigger`);
  }
  let expression = req.original.replace(/^\s*ONBUILD\s*/i, '');
  for (const h of req.heredocs) expression += '\n' + h.content + h.name;
  return { kind: 'onbuild', expression, ...base(req) };
}
