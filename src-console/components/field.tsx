// Form fields with a visible label, an optional hint and their error, tied to the control for assistive
// technology (label for, aria-describedby, aria-invalid). `Field` hands any control the attributes it
// needs; TextField and SelectField are the two every form uses.
import { useId, type ReactNode } from 'react';
import type { Problem } from '../api/client.js';

export interface ControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null | undefined;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field-hint" id={hintId ?? undefined}>
          {hint}
        </p>
      )}
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {error && (
        <p className="field-error" id={errorId ?? undefined}>
          {error}
        </p>
      )}
    </div>
  );
}

export function TextField({
  label,
  value,
  onChange,
  type = 'text',
  hint,
  error,
  required,
  autoComplete,
  placeholder,
  name,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'password' | 'search' | 'email' | 'tel' | 'number' | 'date' | 'datetime-local';
  hint?: ReactNode;
  error?: string | null | undefined;
  required?: boolean;
  autoComplete?: string;
  placeholder?: string;
  name?: string;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <input
          {...control}
          name={name}
          type={type}
          value={value}
          required={required}
          autoComplete={autoComplete}
          placeholder={placeholder}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

export function SelectField<V extends string>({
  label,
  value,
  onChange,
  options,
  hint,
  error,
}: {
  label: string;
  value: V;
  onChange: (value: V) => void;
  options: readonly { value: V; label: string }[];
  hint?: ReactNode;
  error?: string | null | undefined;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <select {...control} value={value} onChange={(event) => onChange(event.target.value as V)}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** HQ's problems by field: the message for `body.username` under 'username' (the first one wins). */
export function problemsByField(problems: readonly Problem[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const problem of problems) {
    const field = problem.path.replace(/^(body|query|params)\.?/, '').split('.')[0] ?? '';
    byField[field] ??= problem.message;
  }
  return byField;
}
