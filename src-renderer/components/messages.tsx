// Messages for the cashier. Errors and refusals are alerts (announced at once, and found by role="alert");
// confirmations are status messages (announced politely). Both say what happened in counter words.
import type { ReactNode } from 'react';

export function ErrorMessage(props: { children: ReactNode; id?: string }) {
  return (
    <div className="message message-error" role="alert" id={props.id}>
      {props.children}
    </div>
  );
}

export function SuccessMessage(props: { children: ReactNode }) {
  return (
    <div className="message message-success" role="status">
      {props.children}
    </div>
  );
}

/** A small notice that does not interrupt (a misread scan): polite, and it fades on its own. */
export function Notice(props: { children: ReactNode }) {
  return (
    <div className="notice" role="status">
      {props.children}
    </div>
  );
}
