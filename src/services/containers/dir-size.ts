/** Moved to lib, where plugins reach it too. */
export { dirSize } from '../../lib/dir-size';
