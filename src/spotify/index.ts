export * from './errors.js';
export * from './schemas.js';
export * from './accounts.js';
export * from './client.js';
