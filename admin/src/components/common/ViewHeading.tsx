import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** A view's h1, focused when the view opens so keyboard and screen-reader users land on it. */
export function ViewHeading({ children, intro }: { children: ComponentChildren; intro?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (location.hash) ref.current?.focus();
  }, []);
  return (
    <div class="view-heading">
      <h1 tabIndex={-1} ref={ref}>
        {children}
      </h1>
      {intro && <p class="muted">{intro}</p>}
    </div>
  );
}
