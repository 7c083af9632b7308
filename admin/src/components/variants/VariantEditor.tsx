import { useState } from 'preact/hooks';
import type { Content, Segment, SiteConfig, Slot } from '../../../../shared/schemas';
import type { Issue } from '../../api';
import { emptyContent, tidy } from '../../content';
import { scope } from '../../issues';
import { saveEdit, useAppState } from '../../state';
import { ConfirmButton } from '../common/ConfirmButton';
import { ContentEditor } from '../content/ContentEditor';
import { ContentPreview } from './ContentPreview';
import { ErrorSummary } from '../common/ErrorSummary';
import { useFocusOnMount } from '../../focus';

interface Props {
  segment: Segment;
  slot: Slot;
  onClose: () => void;
}

function setVariant(segment: string, slot: string, content: Content | null) {
  return (c: SiteConfig): SiteConfig => {
    const { [slot]: _old, ...others } = c.variants[segment] ?? {};
    const bySlot = content ? { ...others, [slot]: content } : others;
    const { [segment]: _seg, ...rest } = c.variants;
    return { ...c, variants: Object.keys(bySlot).length ? { ...rest, [segment]: bySlot } : rest };
  };
}

/** One variant: its content per the slot's type, and a live preview for a sample account. */
export function VariantEditor({ segment, slot, onClose }: Props) {
  const { site, busy } = useAppState();
  const existing = site!.draft.config.variants[segment.id]?.[slot.id];
  const [content, setContent] = useState<Content>(() => existing ?? (slot.default && slot.default.type === slot.type ? slot.default : emptyContent(slot.type)));
  const [issues, setIssues] = useState<Issue[]>([]);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const prefix = `variants.${segment.id}.${slot.id}`;
  const s = scope(issues, prefix);
  const fieldPaths = ['text', 'href', 'src', 'alt', 'html', 'items'];
  const fieldErrors = fieldPaths.filter((p) => s.at(p)).length;

  const save = async () => {
    const result = await saveEdit(setVariant(segment.id, slot.id, tidy(content)), `Variant for ${segment.name} × ${slot.label ?? slot.id} saved to the draft.`);
    setIssues(result.ok ? [] : result.issues);
  };

  return (
    <div class="card variant-editor">
      <h2 tabIndex={-1} ref={heading}>
        {segment.name} × {slot.label ?? slot.id} <span class="muted id">{slot.type}</span>
      </h2>
      <div class="editor-columns">
        <form
          aria-label={`Variant for ${segment.name} in ${slot.label ?? slot.id}`}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          onKeyDown={(e) => e.key === 'Escape' && onClose()}
        >
          <ErrorSummary fieldErrors={fieldErrors} rest={s.rest(fieldPaths)} />
          <ContentEditor content={content} onChange={setContent} issues={s} />
          <div class="form-actions">
            <button type="submit" disabled={busy}>
              Save variant
            </button>
            {existing && (
              <ConfirmButton
                question="Remove this variant (the slot keeps the page as written)?"
                confirmLabel="Remove"
                disabled={busy}
                onConfirm={async () => {
                  if ((await saveEdit(setVariant(segment.id, slot.id, null), 'Variant removed from the draft.')).ok) onClose();
                }}
              >
                Remove variant
              </ConfirmButton>
            )}
            <button type="button" class="secondary" onClick={onClose}>
              Close
            </button>
          </div>
        </form>
        <ContentPreview content={tidy(content)} />
      </div>
    </div>
  );
}
