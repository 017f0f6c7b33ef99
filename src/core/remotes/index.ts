export * from './auth';
export * from './manifest';
