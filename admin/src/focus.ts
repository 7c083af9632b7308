import { useEffect, useRef } from 'preact/hooks';

/** A ref to focus once, when the component appears (a form's heading: keyboard users land in the form). */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}
