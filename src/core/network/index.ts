export * from './types';
export * from './ipam';
export * from './driver';
export * from './errors';
export * from './ports';
