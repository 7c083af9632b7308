import type { PipelineArm, PipelineLift, SegmentReport } from '../../../../shared/schemas';
import { count, pct, signedPct } from '../../report-format';
import { LiftBar } from './LiftBar';

const ARM_LABEL = { personalized: 'Personalized', holdout: 'Holdout' } as const;
const TONE: Record<string, 'better' | 'worse' | 'inconclusive'> = { 'personalized is better': 'better', 'holdout is better': 'worse' };
const METHOD = { sequential: 'always-valid', fixed: 'fixed-sample' } as const;
/** An amount in the CRM's currency, whole. */
const money = (n: number) => count(Math.round(n));

function PipelineLiftLine({ lift, what }: { lift: PipelineLift; what: string }) {
  const title = lift.conclusion.charAt(0).toUpperCase() + lift.conclusion.slice(1);
  if (lift.status === 'insufficient')
    return (
      <div class="lift insufficient">
        <p>
          <strong>{title}</strong> on {what}. {lift.advice}
        </p>
      </div>
    );
  const tone = TONE[lift.conclusion] ?? 'inconclusive';
  return (
    <div class={`lift ${tone}`}>
      <p>
        <strong class="conclusion">{title}</strong> on {what}: lift{' '}
        <strong>
          {signedPct(lift.lift)} ({METHOD[lift.method]} 95% CI {signedPct(lift.low)} to {signedPct(lift.high)})
        </strong>
      </p>
      <LiftBar lift={lift.lift} low={lift.low} high={lift.high} verdict={tone} />
      <p>{lift.advice}</p>
    </div>
  );
}

/** The Pipeline goal of one segment: the CRM's new opportunities of the accounts each arm exposed, and the lifts. */
export function PipelineReport({ segment: s, attributionDays }: { segment: SegmentReport; attributionDays: number }) {
  const p = s.pipeline;
  const row = (a: PipelineArm) => (
    <tr key={a.arm}>
      <th scope="row">
        <span class={`swatch ${a.arm}`} aria-hidden="true" />
        {ARM_LABEL[a.arm]}
      </th>
      <td class="num">{count(a.accounts)}</td>
      <td class="num">{count(a.withOpportunity)}</td>
      <td class="num">{a.accounts ? pct(a.rate) : '–'}</td>
      <td class="num">{money(a.pipeline)}</td>
      <td class="num">{money(a.pipelinePerAccount)}</td>
      <td class="num">{money(a.won)}</td>
      <td class="num">{a.winRate === null ? '–' : pct(a.winRate)}</td>
      <td class="num">{a.medianDaysToOpportunity === null ? '–' : a.medianDaysToOpportunity.toFixed(1)}</td>
    </tr>
  );
  return (
    <>
      <PipelineLiftLine lift={p.opportunityLift} what="accounts with a new opportunity" />
      <PipelineLiftLine lift={p.pipelineLift} what="pipeline per exposed account" />
      <div class="table-scroll">
        <table class="table arms">
          <caption class="visually-hidden">{s.name}: pipeline of personalized and holdout accounts</caption>
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col" class="num">Accounts exposed</th>
              <th scope="col" class="num">With new opportunity</th>
              <th scope="col" class="num">Opportunity rate</th>
              <th scope="col" class="num">Pipeline</th>
              <th scope="col" class="num">Per account</th>
              <th scope="col" class="num">Won</th>
              <th scope="col" class="num">Win rate</th>
              <th scope="col" class="num">Median days</th>
            </tr>
          </thead>
          <tbody>
            {row(p.arms.personalized)}
            {row(p.arms.holdout)}
          </tbody>
        </table>
      </div>
      <p class="muted">
        Accounts exposed from {p.from} to {p.to}; an opportunity counts when the CRM created it within {attributionDays} days of the account's first exposure. Amounts in the
        CRM's currency.
      </p>
    </>
  );
}
