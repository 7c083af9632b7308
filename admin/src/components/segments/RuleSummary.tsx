import { Fragment } from 'preact';
import type { Condition, Rule } from '../../../../shared/schemas';
import { describeCondition } from '../../rules';

const list = (conditions: Condition[], joiner: string) =>
  conditions.map((c, i) => (
    <Fragment key={i}>
      {i > 0 && <span class="joiner"> {joiner} </span>}
      <code>{describeCondition(c)}</code>
    </Fragment>
  ));

/** A rule in one line: `a` and `b` and any of `c` or `d`. */
export function RuleSummary({ rule }: { rule: Rule }) {
  return (
    <p class="rule">
      {list(rule.all, 'and')}
      {rule.any.length > 0 && <span class="joiner">{rule.all.length > 0 ? ' and any of ' : 'any of '}</span>}
      {list(rule.any, 'or')}
    </p>
  );
}
