import { useEffect, useRef, useState } from 'preact/hooks';
import type { Member, Role } from '../../../../shared/schemas';
import { ApiError, type Issue, api } from '../../api';
import { notify, report, session } from '../../state';
import { ConfirmButton } from '../common/ConfirmButton';
import { Field } from '../common/Field';
import { TableHead } from '../common/TableHead';
import { RoleSelect } from './RoleSelect';

/** People signed in by Cloudflare Access (their e-mail), with their role on this site or on every site. */
export function MembersCard() {
  const site = session().site;
  const [members, setMembers] = useState<Member[] | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [issues, setIssues] = useState<Issue[]>([]);
  const emailInput = useRef<HTMLInputElement>(null);
  const at = (path: string) => issues.find((i) => i.path === path)?.message;

  useEffect(() => {
    api.members(session()).then(setMembers, report);
  }, []);

  const save = async () => {
    setIssues([]);
    try {
      setMembers(await api.setMember(session(), email.trim(), role));
      notify('ok', `${email.trim()} is ${role} on this site.`);
      setEmail('');
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) setIssues(err.issues);
      else report(err);
    }
  };
  const remove = async (m: Member) => {
    try {
      setMembers(await api.removeMember(session(), m.email));
      notify('ok', `${m.email} no longer has a role on this site.`);
    } catch (err) {
      report(err);
    }
  };
  const change = (m: Member) => {
    setEmail(m.email);
    setRole(m.role);
    emailInput.current?.focus();
  };

  return (
    <section class="card" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <p class="muted">People signed in by Cloudflare Access, by their e-mail. Adding someone who is already a member changes their role on this site.</p>
      {!members ? (
        <p class="muted">Loading…</p>
      ) : members.length === 0 ? (
        <p class="muted">No members yet.</p>
      ) : (
        <table class="table">
          <TableHead caption="Members" columns={['Member', 'Role', 'Where', 'Added']} />
          <tbody>
            {members.map((m) => (
              <tr key={`${m.site}/${m.email}`}>
                <th scope="row">{m.email}</th>
                <td>{m.role}</td>
                <td>{m.site === '*' ? 'every site' : m.site}</td>
                <td>
                  {m.addedBy}
                  <span class="muted id">
                    <time dateTime={m.addedAt}>{new Date(m.addedAt).toLocaleString()}</time>
                  </span>
                </td>
                <td class="row-actions">
                  {m.site === site && (
                    <>
                      <button type="button" class="secondary" aria-label={`Change the role of ${m.email}`} onClick={() => change(m)}>
                        Change role
                      </button>
                      <ConfirmButton label={`Remove ${m.email}`} question={`Remove ${m.email} from this site?`} confirmLabel="Remove" onConfirm={() => remove(m)}>
                        Remove
                      </ConfirmButton>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="member-form" aria-labelledby="add-member-title" onSubmit={(e) => (e.preventDefault(), void save())}>
        <h3 id="add-member-title">Add a member, or change a role</h3>
        <div class="grid-2">
          <Field label="E-mail" error={at('email')}>
            {(p) => <input {...p} ref={emailInput} type="email" required spellcheck={false} value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
          </Field>
          <RoleSelect value={role} onChange={setRole} error={at('role')} />
        </div>
        <button type="submit">Save member</button>
      </form>
    </section>
  );
}
