// The console's pages under /console (the built single-page app); filled in by the console shell.
import type { FastifyInstance } from 'fastify';

export function consolePages(_app: FastifyInstance): void {}
