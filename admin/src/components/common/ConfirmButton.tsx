import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

interface Props {
  /** The button's text, e.g. "Delete". */
  children: ComponentChildren;
  /** The question asked in place of the button, e.g. "Delete segment Startups?" */
  question: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
  /** Names the button for screen readers when its text alone is ambiguous in a list. */
  label?: string;
  class?: string;
  disabled?: boolean;
}

/** A button that asks inline before acting; focus moves to the confirmation, Escape cancels. */
export function ConfirmButton({ children, question, confirmLabel, onConfirm, label, class: cls = 'secondary', disabled }: Props) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) askRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking)
    return (
      <button type="button" class={cls} ref={askRef} aria-label={label} disabled={disabled} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  return (
    <span class="confirm" role="group" aria-label={question} onKeyDown={(e) => e.key === 'Escape' && setAsking(false)}>
      <span class="confirm-question">{question}</span>
      <button
        type="button"
        class="danger"
        ref={confirmRef}
        onClick={async () => {
          await onConfirm();
          setAsking(false);
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
