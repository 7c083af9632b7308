import { Role } from '../../../../shared/schemas';
import { Field } from '../common/Field';

const WHAT: Record<Role, string> = {
  viewer: 'reads the site, accounts and reports',
  editor: 'also edits the draft and accounts, makes preview and signed links',
  publisher: 'also publishes and rolls back',
  owner: 'also manages members and API tokens',
};

/** A role, each option saying what it may do (each role may do everything of the ones before it). */
export function RoleSelect({ value, onChange, error }: { value: Role; onChange: (role: Role) => void; error?: string | undefined }) {
  return (
    <Field label="Role" error={error}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(Role.parse(e.currentTarget.value))}>
          {Role.options.map((r) => (
            <option key={r} value={r}>
              {r}: {WHAT[r]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
