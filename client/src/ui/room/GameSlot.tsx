/**
 * Where the map goes in the room's grid. The Phaser canvas lives in the page for the game's whole
 * life (scenes start and stop in it); this slot borrows it while the room is shown.
 */
import { useLayoutEffect, useRef } from "preact/hooks";

export function GameSlot() {
  const slot = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const game = document.getElementById("game");
    const home = game?.parentElement;
    if (!game || !home || !slot.current) return;
    slot.current.append(game);
    // The canvas fits its parent (Phaser's FIT mode), which it measures on window resizes (and
    // only every half second otherwise): say the parent changed, or it stays at the hidden
    // home's zero size for a moment.
    window.dispatchEvent(new Event("resize"));
    return () => home.append(game);
  }, []);
  return <div id="game-slot" ref={slot} />;
}
