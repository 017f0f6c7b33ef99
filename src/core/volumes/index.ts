export * from './types';
export * from './names';
