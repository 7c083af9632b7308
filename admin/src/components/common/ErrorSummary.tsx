import type { Issue } from '../../api';
import { pathLabel } from '../../issues';

/**
 * Announces a form's problems (role=alert): a count when they are shown next to their fields, and
 * the issues no field shows, with their paths.
 */
export function ErrorSummary({ fieldErrors, rest }: { fieldErrors: number; rest: readonly Issue[] }) {
  if (fieldErrors === 0 && rest.length === 0) return null;
  return (
    <div class="error-summary" role="alert">
      {fieldErrors > 0 && <p>Fix {fieldErrors === 1 ? 'the field marked below' : `the ${fieldErrors} fields marked below`} and save again.</p>}
      {rest.length > 0 && (
        <ul>
          {rest.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              {i.path && <strong>{pathLabel(i.path)}: </strong>}
              {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
