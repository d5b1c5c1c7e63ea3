/** The one notice line under the header: the latest message, gone after a few seconds. */
import { signal, type ReadonlySignal } from "@preact/signals";

const SHOWN_MS = 6000;

export type Notify = (text: string) => void;

export function createNotice(): { text: ReadonlySignal<string | undefined>; notify: Notify } {
  const text = signal<string | undefined>(undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const notify = (value: string) => {
    text.value = value;
    clearTimeout(timer);
    timer = setTimeout(() => (text.value = undefined), SHOWN_MS);
  };
  return { text, notify };
}
