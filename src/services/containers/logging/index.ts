export { logSettings, ramInBytes, LOG_DRIVERS, type LogDriver, type LogSettings, type LogConfig } from './log-config';
export { logFilesInOrder, rotatedPath, livePath } from './log-files';
export { keepLog, type KeeperOptions } from './log-keeper';
