// The console's entry: mounts the shell (app.tsx) into #root.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './app.js';
import './styles.css';

// zod probes for `new Function` to compile faster validators; HQ's CSP forbids eval (script-src 'self'), so
// say no up front instead of logging a CSP violation on every load.
z.config({ jitless: true });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
