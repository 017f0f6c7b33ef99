/** Instructions with plain word arguments: MAINTAINER, WORKDIR, USER, STOPSIGNAL, EXPOSE, VOLUME. */
import { InvalidArgument } from '../../../errdefs';
import type {
  ExposeInstruction, MaintainerInstruction, StopSignalInstruction, UserInstruction, VolumeInstruction, WorkdirInstruction,
} from '../types';
import { type ParseRequest, atLeastOne, base, exactlyOne } from './request';

/** The one argument; flags are checked except for STOPSIGNAL, where Docker ignores them. */
function single(req: ParseRequest, cmd: string): string {
  if (req.args.length !== 1) throw new InvalidArgument(exactlyOne(cmd));
  if (cmd !== 'STOPSIGNAL') req.flags.parse();
  return req.args[0];
}

export const parseMaintainer = (req: ParseRequest): MaintainerInstruction =>
  ({ kind: 'maintainer', maintainer: single(req, 'MAINTAINER'), ...base(req) });

export const parseWorkdir = (req: ParseRequest): WorkdirInstruction =>
  ({ kind: 'workdir', path: single(req, 'WORKDIR'), ...base(req) });

export const parseUser = (req: ParseRequest): UserInstruction =>
  ({ kind: 'user', user: single(req, 'USER'), ...base(req) });

export const parseStopSignal = (req: ParseRequest): StopSignalInstruction =>
  ({ kind: 'stopsignal', signal: single(req, 'STOPSIGNAL'), ...base(req) });

/** EXPOSE keeps the words sorted, as Docker does. */
export function parseExpose(req: ParseRequest): ExposeInstruction {
  if (req.args.length === 0) throw new InvalidArgument(atLeastOne('EXPOSE'));
  req.flags.parse();
  return { kind: 'expose', ports: [...req.args].sort(), ...base(req) };
}

/** VOLUME: JSON array or words; none may be blank. */
export function parseVolume(req: ParseRequest): VolumeInstruction {
  if (req.args.length === 0) throw new InvalidArgument(atLeastOne('VOLUME'));
  req.flags.parse();
  const volumes = req.args.map((v) => {
    const trimmed = v.trim();
    if (trimmed === '') throw new InvalidArgument('VOLUME specified can not be an empty string');
    return trimmed;
  });
  return { kind: 'volume', volumes, ...base(req) };
}
