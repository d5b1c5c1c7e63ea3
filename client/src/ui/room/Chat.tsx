/** The room's chat: the lines from state (newest in view) and the line to send. */
import type { Room } from "@colyseus/sdk";
import type { LobbyState } from "@tavern/shared/state";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { useRedraw, useSchemaCallbacks } from "../hooks";
import type { RequestAction } from "./useRequestAction";

export function Chat({ room, act }: { room: Room<unknown, LobbyState>; act: RequestAction }) {
  const redraw = useRedraw();
  useSchemaCallbacks(room, (cb) => [cb.onAdd("chat", redraw), cb.onRemove("chat", redraw)]);
  const list = useRef<HTMLOListElement>(null);
  const [text, setText] = useState("");
  const lines = room.state.chat.map((line) => line);
  useLayoutEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  });
  return (
    <>
      <ol id="chat" ref={list}>
        {lines.map((line, i) => (
          <li key={i} class={line.playerId ? "" : "system"}>
            {line.playerId ? `${line.name}: ${line.text}` : line.text}
          </li>
        ))}
      </ol>
      <form
        id="chat-form"
        onSubmit={(e) => {
          e.preventDefault();
          setText("");
          if (text.trim()) act("chat", { text });
        }}
      >
        <input id="chat-text" maxLength={500} autoComplete="off" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button>Send</button>
      </form>
    </>
  );
}
