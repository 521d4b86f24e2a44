// Opening the terminal: storage, replication, the sync status, the counter services and the day close.
export * from './open-terminal.js';
