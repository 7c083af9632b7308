export * from './primitives';
export * from './content';
export * from './account';
export * from './rule';
export * from './activity';
export * from './site-config';
export * from './decide';
export * from "./admin";
