// A labelled form control with its validation message next to it (linked with aria-describedby, and
// aria-invalid set), so the cashier sees which field to fix and a screen reader says why.
import { useId, type ReactNode } from 'react';

export interface FieldProps {
  label: string;
  error?: string | null | undefined;
  hint?: string | undefined;
  /** Renders the control with the ids and ARIA attributes it must carry. */
  children: (control: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}

export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A one-line text field with its label and message (a reason, a note): what the manager's panels ask. */
export function TextField(props: {
  label: string;
  error?: string | null | undefined;
  value: string;
  onChange: (value: string) => void;
  maxLength?: number;
}) {
  return (
    <Field label={props.label} error={props.error}>
      {(control) => (
        <input
          {...control}
          type="text"
          autoComplete="off"
          maxLength={props.maxLength ?? 200}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
