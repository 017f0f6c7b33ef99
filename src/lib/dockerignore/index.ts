export { PatternMatcher, cleanPath } from './pattern-matcher';
export { readIgnoreFile } from './ignore-file';
