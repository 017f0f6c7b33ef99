export * from './reference';
export * from './ids';
export * from './types';
