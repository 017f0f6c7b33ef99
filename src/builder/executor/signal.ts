import { InvalidArgument } from '../../errdefs';

const NAMES = new Set(['ABRT', 'ALRM', 'BUS', 'CHLD', 'CLD', 'CONT', 'FPE', 'HUP', 'ILL', 'INT', 'IO', 'IOT', 'KILL', 'PIPE', 'POLL', 'PROF', 'PWR', 'QUIT', 'SEGV', 'STKFLT', 'STOP', 'SYS', 'TERM', 'TRAP', 'TSTP', 'TTIN', 'TTOU', 'UNUSED', 'URG', 'USR1', 'USR2', 'VTALRM', 'WINCH', 'XCPU', 'XFSZ']);

/** STOPSIGNAL's check (Docker's signal.ParseSignal): a number 1-64 or a signal name, `SIG` optional. */
export function checkSignal(s: string): void {
  const up = s.toUpperCase().replace(/^SIG/, '');
  if (/^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 64) return;
  if (NAMES.has(up) || /^RTMIN(\+([1-9]|1[0-5]))?$/.test(up) || /^RTMAX(-([1-9]|1[0-4]))?$/.test(up)) return;
  throw new InvalidArgument(`Invalid signal: ${s}`);
}
