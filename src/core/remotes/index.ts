export * from './auth';
export * from './manifest';
export * from './registry';
