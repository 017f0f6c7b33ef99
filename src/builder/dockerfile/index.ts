/**
 * builder/dockerfile: the pure Dockerfile parser. Text in, typed stages out; variable
 * expansion is offered to the executor, which applies it at build time (see types.ts).
 */
export * from './types';
export { parse } from './parser';
export { dumpNode } from './node-dump';
export { parseDockerfile, parseInstructionText } from './parse-dockerfile';
export { expand, expandWithMatches, processWords } from './shell-lexer';
export { expandInstruction } from './expand-instruction';
export { DockerfileParseError } from './errors';
export { parseInstruction } from './instructions/parse-instruction';
