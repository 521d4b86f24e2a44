// The customer display's entry point: a page of its own (customer/index.html), built beside the cashier's
// and served at /customer by the browser host or app://terminal/customer/index.html in Electron's second
// window. It hears the customer view and shows it; it never gets TerminalApi.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import './customer.css';
import { CustomerApp } from './customer-app.js';
import { customerViewSource } from './source.js';

// As the cashier's page: the CSP forbids eval, so zod must not probe for it.
z.config({ jitless: true });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <CustomerApp source={customerViewSource()} />
    </StrictMode>,
  );
}
