export * from './version';
export * from './query';
