import type { Scoped } from '../../issues';
import { type RuleDraft, emptyCondition } from '../../rules';
import { ConditionEditor } from './ConditionEditor';

interface Props {
  rule: RuleDraft;
  onChange: (rule: RuleDraft) => void;
  /** Issues scoped to the segment: `rule`, `rule.all.0.value`… */
  issues: Scoped;
}

const GROUPS = [
  { key: 'all', legend: 'All of these must hold' },
  { key: 'any', legend: 'And at least one of these (optional)' },
] as const;

/** `all` and `any` groups of conditions. */
export function RuleBuilder({ rule, onChange, issues }: Props) {
  const ruleError = issues.exact('rule');
  return (
    <div class="rule-builder">
      <h3>Rule</h3>
      {ruleError && (
        <p class="error" role="alert">
          {ruleError}
        </p>
      )}
      {GROUPS.map(({ key, legend }) => {
        const list = rule[key];
        const set = (next: typeof list) => onChange({ ...rule, [key]: next });
        const groupError = issues.exact(`rule.${key}`);
        return (
          <fieldset key={key} class="group">
            <legend>{legend}</legend>
            {groupError && <p class="error">{groupError}</p>}
            {list.length === 0 && <p class="muted">No conditions.</p>}
            {list.map((c, i) => (
              <ConditionEditor
                key={c.uid}
                number={i + 1}
                group={key}
                condition={c}
                issues={issues}
                path={`rule.${key}.${i}`}
                onChange={(next) => set(list.map((x, j) => (j === i ? next : x)))}
                onRemove={() => set(list.filter((_, j) => j !== i))}
              />
            ))}
            <button type="button" class="secondary" onClick={() => set([...list, emptyCondition()])}>
              Add condition{key === 'any' ? ' to “any”' : ''}
            </button>
          </fieldset>
        );
      })}
    </div>
  );
}
