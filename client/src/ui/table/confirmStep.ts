/**
 * A destructive button in two steps: the first press asks, naming what would go; "Yes" does it;
 * "Cancel" or Escape backs out. Focus lands on Cancel, so an Enter pressed twice deletes nothing.
 * Element ids: `<id>` (the first button), `<id>-confirm` (the question's box, hidden until asked),
 * `<id>-question`, `<id>-yes`, `<id>-no`.
 */
import { $ } from "../dom";

export interface ConfirmStep {
  /** Backs out of an open question (what it asked about is no longer shown). */
  reset(): void;
  stop(): void;
}

/** `question` is the text to ask, or undefined when there is nothing to act on. */
export function mountConfirmStep(id: string, question: () => string | undefined, run: () => void): ConfirmStep {
  const box = $(`${id}-confirm`);
  const close = (refocus: boolean) => {
    const wasOpen = !box.hidden;
    box.hidden = true;
    $(id).hidden = false;
    if (wasOpen && refocus) $(id).focus();
  };
  const ask = () => {
    const text = question();
    if (!text) return;
    $(`${id}-question`).textContent = text;
    $(id).hidden = true;
    box.hidden = false;
    $(`${id}-no`).focus();
  };
  const yes = () => {
    close(true);
    run();
  };
  const no = () => close(true);
  const escape = (e: KeyboardEvent) => {
    if (e.key === "Escape") no();
  };
  const handlers: [string, string, EventListener][] = [
    [id, "click", ask],
    [`${id}-yes`, "click", yes],
    [`${id}-no`, "click", no],
    [`${id}-confirm`, "keydown", escape as EventListener],
  ];
  for (const [target, event, fn] of handlers) $(target).addEventListener(event, fn);
  return {
    reset: () => close(false),
    stop: () => {
      for (const [target, event, fn] of handlers) $(target).removeEventListener(event, fn);
    },
  };
}
