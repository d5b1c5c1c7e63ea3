/**
 * Hooks that tie components to the room: schema callbacks and patch listeners are registered in
 * effects and released when the component unmounts (or its inputs change).
 */
import { Callbacks, type Room } from "@colyseus/sdk";
import type { Schema } from "@colyseus/schema";
import { useEffect, useReducer, useRef, useState } from "preact/hooks";
import type { Selection } from "../table/selection";
import type { TokenRef } from "../table/entities";

type StateCallbacks<S extends Schema> = ReturnType<typeof Callbacks.get<S>>;

/** Redraws the component (its render reads the decoded state directly). */
export function useRedraw(): () => void {
  return useReducer((n: number) => n + 1, 0)[1] as () => void;
}

/**
 * Registers schema callbacks; `register` returns the SDK's unsubscribe functions, all called on
 * unmount or when `deps` change.
 */
export function useSchemaCallbacks<S extends Schema>(
  room: Room<unknown, S>,
  register: (cb: StateCallbacks<S>) => (() => void)[],
  deps: unknown[] = [],
): void {
  useEffect(() => {
    const offs = register(Callbacks.get(room));
    return () => {
      for (const off of offs) off();
    };
  }, [room, ...deps]);
}

/**
 * A view model computed after each decoded patch. A panel shows many fields at once (the tracker
 * alone reads combatants, actors and the round), so one model per patch is simpler and always
 * consistent, where per-field callbacks would each see half a patch. The component only redraws
 * when the model changed; `deps` are inputs that are not in state (the selection).
 */
export function usePatchModel<S, M>(room: Room<unknown, S>, compute: () => M, deps: unknown[] = []): M {
  const latest = useRef(compute);
  latest.current = compute;
  const [model, setModel] = useState<M>(() => compute());
  const key = useRef(JSON.stringify(model));
  useEffect(() => {
    const run = () => {
      if (!room.state) return;
      const next = latest.current();
      const nextKey = JSON.stringify(next);
      if (nextKey === key.current) return;
      key.current = nextKey;
      setModel(() => next);
    };
    run();
    room.onStateChange(run);
    return () => room.onStateChange.remove(run);
  }, [room, ...deps]);
  return model;
}

/** The selected token, following the selection store. */
export function useSelected(selection: Selection): TokenRef | undefined {
  const [ref, setRef] = useState(selection.ref);
  useEffect(() => {
    setRef(selection.ref);
    return selection.on(setRef);
  }, [selection]);
  return ref;
}
