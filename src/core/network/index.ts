export * from './types';
export * from './ipam';
