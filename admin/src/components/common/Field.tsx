import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

/** What an input inside a Field spreads onto itself: its id and the links to its hint and error. */
export interface InputProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

interface Props {
  label: ComponentChildren;
  error?: string | undefined;
  hint?: ComponentChildren;
  class?: string;
  children: (input: InputProps) => ComponentChildren;
}

/** A labelled input with its hint and its validation error, linked for assistive technology. */
export function Field({ label, error, hint, class: cls, children }: Props) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' has-error' : ''}${cls ? ` ${cls}` : ''}`}>
      <label for={id}>{label}</label>
      {children({ id, ...(error && { 'aria-invalid': true }), ...(described && { 'aria-describedby': described }) })}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
