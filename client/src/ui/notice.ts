/**
 * The one notice line: the latest message, gone after a few seconds. An error (a refused or
 * failed action) is told apart from information (the host changed, a room closed), and it is no
 * longer news once the next action succeeds.
 */
import { signal, type ReadonlySignal } from "@preact/signals";

const SHOWN_MS = 6000;

export type NoticeKind = "error" | "info";

export interface Notice {
  text: string;
  kind: NoticeKind;
}

export interface Notify {
  /** Shows `text`; an error unless said otherwise. */
  (text: string, kind?: NoticeKind): void;
  /** An action succeeded: an error shown about an earlier one goes. */
  succeeded(): void;
}

export function createNotice(): { notice: ReadonlySignal<Notice | undefined>; notify: Notify } {
  const notice = signal<Notice | undefined>(undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const clear = () => {
    clearTimeout(timer);
    notice.value = undefined;
  };
  const show = (text: string, kind: NoticeKind = "error") => {
    notice.value = { text, kind };
    clearTimeout(timer);
    timer = setTimeout(clear, SHOWN_MS);
  };
  const notify: Notify = Object.assign(show, {
    succeeded: () => {
      if (notice.value?.kind === "error") clear();
    },
  });
  return { notice, notify };
}
