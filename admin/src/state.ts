/**
 * The admin's state: the session and who it signs in (whoami, with the role on the site), the sites
 * they may see, the site's draft as last saved, and the draft workflow (save with baseRevision, 409 conflicts, publish, roll
 * back). A tiny store: `useAppState()` re-renders a component on every change.
 */
import { useEffect, useReducer } from 'preact/hooks';
import { roleOn, includes } from '../../shared/identity/roles';
import {
  type Account,
  type CreateSiteRequest,
  type Draft,
  type Role,
  type SegmentCounts,
  SiteConfig,
  type SiteState,
  type SiteSummary,
  type VersionInfo,
  type WhoAmI,
} from '../../shared/schemas';
import { ApiError, type Issue, type Session, StaleError, api, onUnauthorized } from './api';
import { configIssues, zodIssues } from './issues';

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
  /** Distinguishes equal messages so a repeat is announced again. */
  id: number;
}

export interface AppState {
  session: Session | null;
  /** Who the session signs in, and their role on the session's site (null: none there). */
  me: WhoAmI | null;
  /** The first load, without a stored session, is asking whether Cloudflare Access signed the user in. */
  checkingAccess: boolean;
  /** Why the user is on the sign-in screen (a rejected token, an expired session). */
  signInMessage: string | null;
  /** The sites the user has a role on (GET /sites), for the switcher and the Sites view. */
  sites: SiteSummary[] | null;
  /** The session names no site (the user has none) or one that does not exist: the empty state. */
  siteMissing: boolean;
  site: SiteState | null;
  counts: SegmentCounts | null;
  versions: VersionInfo[] | null;
  /** Accounts to preview variants with (the first page of the site's accounts). */
  sampleAccounts: Account[] | null;
  /** A save or publish that lost to someone else's save: their draft, until the user reloads. */
  conflict: { current: Draft; message: string } | null;
  busy: boolean;
  notice: Notice | null;
}

const TOKEN_KEY = 'pz-admin-session';

/** The `?site=` of the admin's address, if any. */
export const siteInUrl = (): string | null => new URLSearchParams(location.search).get('site');

/** The stored session; a `?site=` in the address (a link, the back button) opens that site instead. */
function storedSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(TOKEN_KEY);
    const s = raw ? (JSON.parse(raw) as Session) : null;
    return s && typeof s.token === 'string' && typeof s.site === 'string' ? { ...s, site: siteInUrl() ?? s.site } : null;
  } catch {
    return null;
  }
}

const initialSession = storedSession();
let state: AppState = {
  session: initialSession,
  me: null,
  checkingAccess: !initialSession,
  signInMessage: null,
  sites: null,
  siteMissing: false,
  site: null,
  counts: null,
  versions: null,
  sampleAccounts: null,
  conflict: null,
  busy: false,
  notice: null,
};
const listeners = new Set<() => void>();

export const getState = (): AppState => state;

export function setState(patch: Partial<AppState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function useAppState(): AppState {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const l = () => rerender(0);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return state;
}

/** Whether the signed-in user's role on this site includes `role`'s. */
export const can = (role: Role): boolean => includes(state.me?.role ?? null, role);

/** Whether the user may create sites: only an owner of every site may. */
export const canCreateSites = (me: WhoAmI | null): boolean => !!me && roleOn(me.grants, '*') === 'owner';

/** `can`, re-rendering the component when the user changes. */
export function useCan(role: Role): boolean {
  useAppState();
  return can(role);
}

let noticeId = 0;
export function notify(kind: Notice['kind'], text: string): void {
  setState({ notice: { kind, text, id: ++noticeId } });
}

/** Shows an error as a notice, except a 401, which has already sent the user to sign in. */
export function report(err: unknown): void {
  if (err instanceof ApiError && err.status === 401) return;
  notify('error', err instanceof Error ? err.message : String(err));
}

export function session(): Session {
  if (!state.session) throw new ApiError(401, 'Not signed in.');
  return state.session;
}

export function signOut(message: string | null = null): void {
  sessionStorage.removeItem(TOKEN_KEY);
  setState({ session: null, me: null, signInMessage: message, sites: null, siteMissing: false, site: null, counts: null, versions: null, sampleAccounts: null, conflict: null, notice: null });
}

onUnauthorized((message) => signOut(message));

function signInError(err: unknown, token: string): string {
  if (!(err instanceof ApiError && err.status === 401)) return err instanceof Error ? err.message : String(err);
  return token ? 'That token was not accepted. Check it and try again.' : 'Cloudflare Access did not sign you in here: paste an API token or the admin token.';
}

/** The site's state, or null when there is no such site. */
async function siteOrNull(s: Session): Promise<SiteState | null> {
  try {
    return await api.site(s);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/**
 * Opens a site for the signed-in user: no site id takes the first served one they have a role on.
 * With no role there, the session stands so the admin can say whom to ask; a site that does not
 * exist (or none at all) is the empty state. The address's `?site=` follows.
 */
async function open(next: Session, me: WhoAmI, sites: SiteSummary[]): Promise<void> {
  const first = sites.find((s) => !s.archivedAt) ?? sites[0];
  const s = { ...next, site: next.site || (first?.id ?? '') };
  const role = s.site ? roleOn(me.grants, s.site) : null;
  const site = role ? await siteOrNull(s) : null;
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(s));
  history.replaceState(null, '', `${location.pathname}${s.site ? `?site=${encodeURIComponent(s.site)}` : ''}${location.hash}`);
  const siteMissing = !site && (!s.site || role !== null);
  setState({ session: s, me: { ...me, role }, sites, site, siteMissing, busy: false, conflict: null, counts: null, versions: null, sampleAccounts: null });
  if (site) void refreshCounts();
}

/** Checks the credential (whoami), then opens the site. A rejected token stays on sign-in. */
export async function signIn(next: Session): Promise<void> {
  setState({ busy: true, signInMessage: null });
  try {
    const me = await api.whoami(next, true);
    await open(next, me, await api.sites(next));
  } catch (err) {
    setState({ busy: false, session: null, me: null, signInMessage: signInError(err, next.token) });
  }
}

/** Opens another site in the same session (the switcher, the Sites view, after creating one). */
export async function switchSite(id: string): Promise<void> {
  setState({ busy: true });
  try {
    const s = session();
    await open({ ...s, site: id }, state.me ?? (await api.whoami(s)), await api.sites(s));
  } catch (err) {
    setState({ busy: false });
    report(err);
  }
}

/**
 * The first load without a stored session: behind Cloudflare Access whoami answers without a token,
 * and the user is signed in with no form, at `?site=` or else their first site.
 */
export async function signInWithAccess(siteFromUrl: string | null): Promise<void> {
  const next = { token: '', site: siteFromUrl ?? '' };
  try {
    if ((await api.whoami(next, true)).kind === 'access') await signIn(next);
  } catch {
    // not behind Access (or it failed): the sign-in form
  }
  setState({ checkingAccess: false });
}

/** Loads the site again (after a publish, a roll back, a conflict). */
export async function loadSite(): Promise<void> {
  try {
    setState({ site: await api.site(session()), conflict: null });
    void refreshCounts();
  } catch (err) {
    report(err);
  }
}

/** Creates a site and opens it on Site & tag, where its tag is; the API's issues are returned for the form. */
export async function createSite(body: CreateSiteRequest): Promise<Issue[]> {
  setState({ busy: true });
  try {
    await api.createSite(session(), body);
    notify('ok', `Created ${body.name}. Paste its tag into your pages; nothing is shown until you publish.`);
    location.hash = '#/site';
    await switchSite(body.id);
    return [];
  } catch (err) {
    setState({ busy: false });
    if (err instanceof ApiError && err.issues.length) return err.issues;
    report(err);
    return [];
  }
}

/** Archives the site (the edge stops serving it; pages stay as written) or restores it. */
export async function setArchived(archived: boolean): Promise<void> {
  setState({ busy: true });
  try {
    const s = session();
    const site = await api.archive(s, archived);
    setState({ site, sites: await api.sites(s), busy: false });
    notify('ok', archived ? 'Archived: the edge no longer serves this site, and its pages show as written.' : 'Restored: the edge serves the live version again.');
  } catch (err) {
    setState({ busy: false });
    report(err);
  }
}

export async function refreshCounts(): Promise<void> {
  try {
    setState({ counts: await api.counts(session()) });
  } catch (err) {
    report(err);
  }
}

export async function loadVersions(): Promise<void> {
  try {
    setState({ versions: await api.versions(session()) });
  } catch (err) {
    report(err);
  }
}

export async function loadSampleAccounts(force = false): Promise<void> {
  if (state.sampleAccounts && !force) return;
  try {
    setState({ sampleAccounts: (await api.accounts(session(), '', null, 100)).accounts });
  } catch (err) {
    report(err);
  }
}

export type SaveResult = { ok: true } | { ok: false; issues: Issue[] };

/**
 * Applies an edit to the draft and saves it over the revision it was loaded at. The edit is a
 * function of the config so the same change can be saved again on top of someone else's draft
 * after a conflict. Validates with the shared schema first; issues come back in config paths.
 */
export async function saveEdit(edit: (config: SiteConfig) => SiteConfig, done = 'Saved to the draft.'): Promise<SaveResult> {
  const site = state.site;
  if (!site) return { ok: false, issues: [{ path: '', message: 'The site is not loaded yet.' }] };
  const parsed = SiteConfig.safeParse(edit(structuredClone(site.draft.config)));
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  setState({ busy: true });
  try {
    const saved = await api.saveDraft(session(), site.draft.revision, parsed.data);
    setState({ site: saved, busy: false, conflict: null });
    notify('ok', done);
    void refreshCounts();
    return { ok: true };
  } catch (err) {
    setState({ busy: false });
    if (err instanceof StaleError) {
      setState({ conflict: { current: err.current, message: err.message } });
      return { ok: false, issues: [] };
    }
    if (err instanceof ApiError && err.issues.length) return { ok: false, issues: configIssues(err.issues) };
    report(err);
    return { ok: false, issues: [] };
  }
}

/**
 * saveEdit for one-click changes (reorder, delete): problems become a notice, as there is no form to
 * show them in. The buttons stay enabled while saving so keyboard focus stays on them.
 */
export async function saveQuick(edit: (config: SiteConfig) => SiteConfig, done: string): Promise<void> {
  if (state.busy) return; // one save at a time: the next one needs this one's revision
  const result = await saveEdit(edit, done);
  if (!result.ok && result.issues.length) notify('error', result.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join(' '));
}

/** After a conflict: take the other admin's draft. Open forms keep the user's edit to save again. */
export async function reloadAfterConflict(): Promise<void> {
  await loadSite();
  if (!state.conflict) notify('ok', 'Reloaded the latest draft. Your edit is still in the form: review it and save again.');
}

export async function publish(): Promise<void> {
  const site = state.site;
  if (!site) return;
  setState({ busy: true });
  try {
    const version = await api.publish(session(), site.draft.revision);
    setState({ busy: false });
    notify('ok', `Published version ${version.version}. It is live at the edge within 10 seconds.`);
    await Promise.all([loadSite(), loadVersions()]);
  } catch (err) {
    setState({ busy: false });
    if (err instanceof StaleError) setState({ conflict: { current: err.current, message: err.message } });
    else report(err);
  }
}

export async function rollback(version: number): Promise<void> {
  setState({ busy: true });
  try {
    const info = await api.rollback(session(), version);
    setState({ busy: false });
    notify('ok', `Rolled back: version ${info.version} re-publishes version ${version}, and the draft is now that version.`);
    await Promise.all([loadSite(), loadVersions()]);
  } catch (err) {
    setState({ busy: false });
    report(err);
  }
}
