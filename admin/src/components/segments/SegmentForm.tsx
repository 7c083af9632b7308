import { useState } from 'preact/hooks';
import { type Confidence, DEFAULT_HOLDOUT, type Segment, SegmentKind, type SiteConfig } from '../../../../shared/schemas';
import { requiredConfidence } from '../../../../shared/resolve/confidence';
import type { Issue } from '../../api';
import { scope } from '../../issues';
import { type RuleDraft, emptyCondition, fromDraft, slugify, toDraft } from '../../rules';
import { getState, saveEdit, useAppState } from '../../state';
import { upsertById, upsertIndex } from '../../upsert';
import { ErrorSummary } from '../common/ErrorSummary';
import { Field } from '../common/Field';
import { useFocusOnMount } from '../../focus';
import { RuleBuilder } from './RuleBuilder';

interface Props {
  /** The segment to edit; a new one when absent. */
  segment: Segment | undefined;
  onClose: () => void;
}

const CLAIMED = ['id', 'name', 'kind', 'priority', 'holdout', 'rule', 'minConfidence'];

/** What each confidence level means to a marketer, for the "Shown to" select. */
const SHOWN_TO: Record<Confidence, string> = {
  claimed: 'anyone naming the company (unsigned link, identify)',
  inferred: 'visits from the company’s network, or better',
  verified: 'signed links and your own IP ranges only',
};

export function SegmentForm({ segment, onClose }: Props) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const { busy } = useAppState();
  const isNew = !segment;
  const [id, setId] = useState(segment?.id ?? '');
  const [idTouched, setIdTouched] = useState(!isNew);
  const [name, setName] = useState(segment?.name ?? '');
  const [kind, setKind] = useState<Segment['kind']>(segment?.kind ?? 'firmographic');
  const [priority, setPriority] = useState(String(segment?.priority ?? nextPriority(getState().site!.draft.config)));
  const [holdout, setHoldout] = useState(String(Number(((segment?.holdout ?? DEFAULT_HOLDOUT) * 100).toFixed(2))));
  const [rule, setRule] = useState<RuleDraft>(() =>
    segment ? { all: segment.rule.all.map(toDraft), any: segment.rule.any.map(toDraft) } : { all: [emptyCondition()], any: [] },
  );
  /** '' = the default for the kind (and rule), stored as no minConfidence. */
  const [minConfidence, setMinConfidence] = useState<Confidence | ''>(segment?.minConfidence ?? '');
  const [issues, setIssues] = useState<Issue[]>([]);
  const [prefix, setPrefix] = useState('');
  const s = scope(issues, prefix);

  const submit = async () => {
    const config = getState().site!.draft.config;
    const local: Issue[] = [];
    const pct = Number(holdout);
    if (holdout.trim() === '' || !(pct >= 0 && pct <= 50)) local.push({ path: 'holdout', message: 'Must be between 0 and 50 %.' });
    if (isNew && config.segments.some((x) => x.id === id.trim())) local.push({ path: 'id', message: `There is already a segment "${id.trim()}".` });
    if (local.length) {
      setPrefix('');
      setIssues(local);
      return;
    }
    const next: Segment = {
      id: id.trim(),
      name: name.trim(),
      kind,
      priority: priority.trim() === '' ? NaN : Number(priority),
      holdout: pct / 100,
      rule: { all: rule.all.map(fromDraft), any: rule.any.map(fromDraft) },
      ...(minConfidence && { minConfidence }),
    };
    const original = segment?.id;
    const edit = (c: SiteConfig): SiteConfig => ({ ...c, segments: upsertById(c.segments, original, next) });
    setPrefix(`segments.${upsertIndex(config.segments, original)}`);
    const result = await saveEdit(edit, `Segment ${next.name || next.id} saved to the draft.`);
    if (result.ok) onClose();
    else setIssues(result.issues);
  };

  const fieldErrors = CLAIMED.filter((p) => s.at(p)).length;
  return (
    <form
      class="card form"
      aria-labelledby="segment-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <h2 id="segment-form-title" tabIndex={-1} ref={heading}>{isNew ? 'New segment' : `Edit segment ${segment.name}`}</h2>
      <ErrorSummary fieldErrors={fieldErrors} rest={s.rest(CLAIMED)} />
      <div class="grid-2">
        <Field label="Name" error={s.at('name')}>
          {(p) => (
            <input
              {...p}
              value={name}
              onInput={(e) => {
                setName(e.currentTarget.value);
                if (!idTouched) setId(slugify(e.currentTarget.value));
              }}
            />
          )}
        </Field>
        <Field label="Id" error={s.at('id')} hint={isNew ? 'Lower-case letters, digits, - and _. It cannot change later.' : 'Ids cannot change.'}>
          {(p) => (
            <input
              {...p}
              value={id}
              readOnly={!isNew}
              spellcheck={false}
              onInput={(e) => {
                setId(e.currentTarget.value);
                setIdTouched(true);
              }}
            />
          )}
        </Field>
        <Field label="Kind" error={s.at('kind')}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.currentTarget.value as Segment['kind'])}>
              {SegmentKind.options.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Priority" error={s.at('priority')} hint="Lower wins when an account matches several segments.">
          {(p) => <input {...p} type="number" min={0} max={10000} step={1} value={priority} onInput={(e) => setPriority(e.currentTarget.value)} />}
        </Field>
        <Field label="Holdout (%)" error={s.at('holdout')} hint="Visitors who keep the page as written, to measure lift (0–50).">
          {(p) => <input {...p} type="number" min={0} max={50} step={1} value={holdout} onInput={(e) => setHoldout(e.currentTarget.value)} />}
        </Field>
      </div>
      <Field
        label="Shown to"
        error={s.at('minConfidence')}
        hint="Anyone can type a company’s domain into a link, so segments that reveal where an account stands (customers, open deals, intent, behaviour) are shown only when the company is known more surely than that."
      >
        {(p) => (
          <select {...p} value={minConfidence} onChange={(e) => setMinConfidence(e.currentTarget.value as Confidence | '')}>
            <option value="">Default for {kind}: {SHOWN_TO[defaultConfidence(kind, rule)]}</option>
            {(Object.keys(SHOWN_TO) as Confidence[]).map((c) => (
              <option key={c} value={c}>
                {SHOWN_TO[c]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <RuleBuilder rule={rule} onChange={setRule} issues={s} />
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          Save segment
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** What the segment needs without a minConfidence of its own, as the edge decides it. */
function defaultConfidence(kind: Segment['kind'], rule: RuleDraft): Confidence {
  const ops = [...rule.all, ...rule.any].map((c) => ({ op: c.op }) as Segment['rule']['all'][number]);
  return requiredConfidence({ kind, rule: { all: ops, any: [] } });
}

function nextPriority(config: SiteConfig): number {
  return config.segments.reduce((max, s) => Math.max(max, s.priority), 0) + 10;
}
