import type { PipelineArm, PipelineLift, SegmentReport } from '../../../../shared/schemas';
import { count, pct } from '../../report-format';
import { LiftHeadline, title, toneOf } from './LiftHeadline';

const ARM_LABEL = { personalized: 'Personalized', holdout: 'Holdout' } as const;
/** An amount in the CRM's currency, whole. */
const money = (n: number) => count(Math.round(n));

function PipelineLiftLine({ lift, what }: { lift: PipelineLift; what: string }) {
  if (lift.status === 'insufficient')
    return (
      <div class="lift insufficient">
        <p>
          <strong>{title(lift.conclusion)}</strong> on {what}. {lift.advice}
        </p>
      </div>
    );
  return (
    <div class={`lift ${toneOf(lift.conclusion)}`}>
      <LiftHeadline lift={lift} what={what} />
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
