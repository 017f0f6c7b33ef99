/** ENV, LABEL and ARG: key/value pairs, unexpanded (the executor expands them). */
import { InvalidArgument } from '../../../errdefs';
import type { ArgDef, ArgInstruction, EnvInstruction, KeyValue, LabelInstruction } from '../types';
import { type ParseRequest, atLeastOne, base } from './request';

/** The parse tree holds ENV/LABEL pairs as (key, value, "=" or "") triples. */
function keyValues(args: string[], cmd: string): KeyValue[] {
  if (args.length === 0) throw new InvalidArgument(atLeastOne(cmd));
  if (args.length % 3 !== 0) throw new InvalidArgument(`Bad input to ${cmd}, too many arguments`);
  const pairs: KeyValue[] = [];
  for (let i = 0; i < args.length; i += 3) {
    if (args[i] === '') throw new InvalidArgument(`${cmd} names can not be blank`);
    pairs.push({ key: args[i], value: args[i + 1] });
  }
  return pairs;
}

export function parseEnv(req: ParseRequest): EnvInstruction {
  req.flags.parse();
  return { kind: 'env', pairs: keyValues(req.args, 'ENV'), ...base(req) };
}

export function parseLabel(req: ParseRequest): LabelInstruction {
  req.flags.parse();
  return { kind: 'label', pairs: keyValues(req.args, 'LABEL'), ...base(req) };
}

/** `ARG a b=c d=`: names, with a default when `=` is written (`d=` defaults to "").
 * Flags are ignored, as Docker does. */
export function parseArg(req: ParseRequest): ArgInstruction {
  if (req.args.length === 0) throw new InvalidArgument(atLeastOne('ARG'));
  const args = req.args.map((word): ArgDef => {
    const eq = word.indexOf('=');
    if (eq < 0) return { key: word };
    if (eq === 0) throw new InvalidArgument('ARG names can not be blank');
    return { key: word.slice(0, eq), value: word.slice(eq + 1) };
  });
  return { kind: 'arg', args, ...base(req) };
}
