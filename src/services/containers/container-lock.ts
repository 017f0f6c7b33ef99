/** Serialises the operations on one container (start, exit handling, stop, remove). */
export { KeyedLock } from '../../lib/keyed-lock';
