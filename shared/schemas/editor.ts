import { z } from 'zod';
import { Draft, SaveDraftRequest } from './admin';
import { Id } from './primitives';

/**
 * The visual editor: an admin makes an edit link (the customer's page with a short-lived signed token
 * in its fragment), and the editor (editor/src, loaded by the snippet only when the fragment has
 * `pz_edit=`) reads and saves the draft through `/v1/editor/*` with that token as its only credential.
 */

/** An edit token lives at most this long. */
export const EDIT_TOKEN_MAX_SECONDS = 30 * 60;

/** POST /api/admin/sites/:site/editor-link: the page to open, http(s) on one of the site's allowed origins. */
export const EditorLinkRequest = z.strictObject({ pageUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048) });
export type EditorLinkRequest = z.infer<typeof EditorLinkRequest>;

/** The page URL with `#pz_edit=<token>`: in the fragment, so it never reaches the customer's server. */
export const EditorLink = z.object({ url: z.string(), expiresAt: z.string() });
export type EditorLink = z.infer<typeof EditorLink>;

/** What an edit token carries: the site, the verified admin who asked for it, expiry and issue time (epoch seconds). */
export const EditClaims = z.object({ site: Id, user: z.string().min(1).max(320), exp: z.number().int(), iat: z.number().int() });
export type EditClaims = z.infer<typeof EditClaims>;

/** GET /v1/editor/draft?site= → the draft, and who the token names. */
export const EditorDraft = z.object({ site: Id, user: z.string(), draft: Draft });
export type EditorDraft = z.infer<typeof EditorDraft>;

/** PUT /v1/editor/draft?site= → EditorDraft; 409 StaleWrite (as the admin's) when someone saved since `baseRevision`. */
export const EditorSaveRequest = z.strictObject({ site: Id, ...SaveDraftRequest.shape });
export type EditorSaveRequest = z.infer<typeof EditorSaveRequest>;
