/** Commander helpers giving every command docker's conventions (`--help` only, usage errors). */
import { Command, CommanderError, Option } from 'commander';

export const PROG = 'berth';

/** A new command with docker's usage line, `--help` (never `-h`: run uses it) and errors. */
export function newCommand(name: string, usage: string, description: string): Command {
  const cmd = new Command(name).usage(usage).description(description);
  cmd.helpOption('--help', 'Print usage');
  return cmd;
}

/** Repeatable flag collector: `-e A -e B`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function intArg(flag: string) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value)) throw new UsageError(`invalid argument "${value}" for "${flag}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
    return Number(value);
  };
}

export function hiddenOption(flags: string, description = ''): Option {
  return new Option(flags, description).hideHelp();
}

/**
 * A flag or argument error: reported with the usage line, exit 125 (flags) or 1 (arguments);
 * `parse`, a value the command's own parsing refuses, without it (`berth: invalid hostPort: 99999`).
 */
export class UsageError extends Error {
  constructor(message: string, readonly kind: 'flag' | 'args' | 'parse' = 'flag') { super(message); }
}

export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  names[0] = PROG;
  return names.join(' ');
}

/** docker's text for a usage error. */
export function usageErrorText(cmd: Command, err: UsageError): { text: string; status: number } {
  const path = commandPath(cmd);
  const usage = `Usage:  ${path} ${cmd.usage()}`;
  if (err.kind === 'parse') return { text: `${PROG}: ${err.message}\n\nRun '${path} --help' for more information\n`, status: 125 };
  if (err.kind === 'args') {
    return { text: `${PROG}: ${err.message}\n\n${usage}\n\nSee '${path} --help' for more information\n`, status: 1 };
  }
  return { text: `${err.message}\n\n${usage}\n\nRun '${path} --help' for more information\n`, status: 125 };
}

/** Translates commander's parse errors into docker's wording. */
export function fromCommanderError(cmd: Command, err: CommanderError): UsageError | undefined {
  const path = commandPath(cmd);
  switch (err.code) {
    case 'commander.unknownOption': {
      const flag = /'([^']+)'/.exec(err.message)?.[1] ?? '';
      return new UsageError(flag.startsWith('--') ? `unknown flag: ${flag}` : `unknown shorthand flag: '${flag.slice(1, 2)}' in ${flag}`);
    }
    case 'commander.optionMissingArgument': {
      const flag = /'([^']+)'/.exec(err.message)?.[1] ?? '';
      return new UsageError(`flag needs an argument: ${flag.split(/[ ,]/).pop()}`);
    }
    case 'commander.missingArgument':
      return new UsageError(`'${path}' requires at least 1 argument`, 'args');
    case 'commander.excessArguments':
      return new UsageError(`'${path}' accepts no arguments`, 'args');
    case 'commander.invalidArgument':
      return new UsageError(err.message.replace(/^error: /, ''));
    default:
      return undefined;
  }
}

/** Requires between min and max positional arguments, docker's way. */
export function checkArgs(cmd: Command, args: string[], min: number, max = Infinity): void {
  const path = commandPath(cmd);
  if (args.length < min) {
    throw new UsageError(min === 1 && max === Infinity ? `'${path}' requires at least 1 argument`
      : min === max ? `'${path}' requires exactly ${min} argument${min === 1 ? '' : 's'}` : `'${path}' requires at least ${min} arguments`, 'args');
  }
  if (args.length > max) {
    throw new UsageError(max === 0 ? `'${path}' accepts no arguments`
      : min === max ? `'${path}' requires exactly ${min} argument${min === 1 ? '' : 's'}` : `'${path}' requires at most ${max} arguments`, 'args');
  }
}
