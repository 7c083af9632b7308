import type { ArmStats, SegmentReport } from '../../../../shared/schemas';
import { count, pct } from '../../report-format';

const ARM_LABEL = { personalized: 'Personalized', holdout: 'Holdout' } as const;

/** The two arms side by side: units exposed, visitors, accounts, and the selected goal's conversions. */
export function ArmsTable({ segment: s, goal }: { segment: SegmentReport; goal: { id: string; name: string } }) {
  const row = (a: ArmStats) => {
    const c = a.conversions[goal.id];
    return (
      <tr key={a.arm}>
        <th scope="row">
          <span class={`swatch ${a.arm}`} aria-hidden="true" />
          {ARM_LABEL[a.arm]}
        </th>
        <td class="num">{count(a.units)}</td>
        <td class="num">{count(a.visitors)}</td>
        <td class="num">{count(a.accounts)}</td>
        <td class="num">{count(c?.units ?? 0)}</td>
        <td class="num">{a.units ? pct(c?.rate ?? 0) : '–'}</td>
      </tr>
    );
  };
  return (
    <div class="table-scroll">
      <table class="table arms">
        <caption class="visually-hidden">
          {s.name}: personalized and holdout, {goal.name}
        </caption>
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col" class="num">Units exposed</th>
            <th scope="col" class="num">Visitors</th>
            <th scope="col" class="num">Accounts</th>
            <th scope="col" class="num">Converted units</th>
            <th scope="col" class="num">Conversion rate</th>
          </tr>
        </thead>
        <tbody>
          {row(s.arms.personalized)}
          {row(s.arms.holdout)}
        </tbody>
      </table>
    </div>
  );
}
