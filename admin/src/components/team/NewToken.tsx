import type { NewApiToken } from '../../api';
import { useFocusOnMount } from '../../focus';
import { copyText } from '../../copy';
import { Field } from '../common/Field';

/** A token just created, shown this once: the edge keeps only its hash. */
export function NewToken({ created, onDone }: { created: NewApiToken; onDone: () => void }) {
  const input = useFocusOnMount<HTMLInputElement>();
  return (
    <div class="new-token" role="group" aria-labelledby="new-token-title">
      <h3 id="new-token-title">
        Token “{created.info.name}” ({created.info.role})
      </h3>
      <p class="warning">Copy it now: it will not be shown again. Whoever has it can act as {created.info.role} on this site until you revoke it.</p>
      <Field label="New API token">
        {(p) => <input {...p} ref={input} class="code" readOnly value={created.token} onFocus={(e) => e.currentTarget.select()} />}
      </Field>
      <div class="form-actions">
        <button type="button" onClick={() => void copyText(created.token, 'The token')}>
          Copy the token
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
