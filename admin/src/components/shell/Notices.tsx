import { useEffect, useState } from 'preact/hooks';
import { useAppState } from '../../state';

/**
 * The live regions: confirmations are announced politely, errors assertively. Both regions stay
 * in the page so screen readers pick up each new message.
 */
export function Notices() {
  const { notice } = useAppState();
  const [shown, setShown] = useState(notice);
  useEffect(() => {
    setShown(notice);
    if (notice?.kind !== 'ok') return;
    const t = setTimeout(() => setShown(null), 6000);
    return () => clearTimeout(t);
  }, [notice]);
  return (
    <div class="notices">
      <div role="status" aria-live="polite" class={shown?.kind === 'ok' ? 'notice ok' : 'visually-hidden'}>
        {shown?.kind === 'ok' ? shown.text : ''}
      </div>
      <div role="alert" aria-live="assertive" class={shown?.kind === 'error' ? 'notice error' : 'visually-hidden'}>
        {shown?.kind === 'error' && (
          <>
            {shown.text}
            <button type="button" class="link" onClick={() => setShown(null)}>
              Dismiss
            </button>
          </>
        )}
      </div>
    </div>
  );
}
