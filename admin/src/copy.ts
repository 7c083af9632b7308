import { notify } from './state';

/** Copies `text` to the clipboard and says so; `what` names it ("The tag"). */
export async function copyText(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    notify('ok', `${what} is copied to the clipboard.`);
  } catch {
    notify('error', `Copying failed: select ${what.toLowerCase()} and copy it yourself.`);
  }
}
