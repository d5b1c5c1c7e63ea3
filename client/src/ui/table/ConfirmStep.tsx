/**
 * A destructive button in two steps: the first press asks, naming what would go; "Yes" does it;
 * "Cancel" or Escape backs out. Focus lands on Cancel, so an Enter pressed twice deletes nothing.
 * Element ids: `<id>` (the first button), `<id>-confirm` (the question's box, hidden until asked),
 * `<id>-question`, `<id>-yes`, `<id>-no`. Its parent remounts it (a key) to back out of a question
 * about something no longer shown.
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";

export interface ConfirmStepProps {
  id: string;
  label: string;
  /** The question to ask, or undefined when there is nothing to act on. */
  question: string | undefined;
  run(): void;
}

export function ConfirmStep({ id, label, question, run }: ConfirmStepProps) {
  const [asked, setAsked] = useState<string | undefined>(undefined);
  const first = useRef<HTMLButtonElement>(null);
  const no = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useLayoutEffect(() => {
    if (asked) no.current?.focus();
    else if (refocus.current) first.current?.focus();
    refocus.current = false;
  }, [asked]);
  const close = () => {
    refocus.current = true;
    setAsked(undefined);
  };
  return (
    <>
      <button type="button" id={id} ref={first} hidden={asked !== undefined} onClick={() => question && setAsked(question)}>
        {label}
      </button>
      <span
        id={`${id}-confirm`}
        role="group"
        aria-label="confirm deletion"
        hidden={asked === undefined}
        onKeyDown={(e) => {
          if (e.key === "Escape") close();
        }}
      >
        <span id={`${id}-question`}>{asked ?? ""}</span>{" "}
        <button
          type="button"
          id={`${id}-yes`}
          onClick={() => {
            close();
            run();
          }}
        >
          Yes, delete
        </button>{" "}
        <button type="button" id={`${id}-no`} ref={no} onClick={close}>
          Cancel
        </button>
      </span>
    </>
  );
}
